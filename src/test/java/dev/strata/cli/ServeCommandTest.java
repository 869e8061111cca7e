package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.SharedData;
import org.junit.jupiter.api.Test;

/** The serve command's argument errors are one-line failures before anything listens. */
class ServeCommandTest {
    @Test
    void badParallelIsAnError() {
        String model = SharedData.require(SharedData.model("stories260K-F32.gguf")).toString();
        assertEquals(1, Main.run("serve", "-m", model, "--parallel", "0"));
        assertEquals(1, Main.run("serve", "-m", model, "--port", "70000"));
    }

    @Test
    void missingModelFileIsAnError() {
        assertEquals(1, Main.run("serve", "-m", "/nonexistent/model.gguf"));
    }
}
