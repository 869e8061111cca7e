package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.SharedData;
import dev.strata.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Greedy text over the API equals what {@code strata generate} prints for the same prompt and settings, on the
 * model's own layer path, on per-request {@code layers} (against the CLI's {@code --layers}) and on per-request
 * {@code experts_per_token} (against {@code --experts-per-token}) on a mixture-of-experts fixture.
 */
class ServerCliEquivalenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "Once upon a time, there was a little";
    private static final int TOKENS = 24;
    private static final String MOE_FILE = "qwen2moe-tiny-random.gguf";
    private static TestServer dense;
    private static TestServer moe;

    @BeforeAll
    static void start() {
        dense = new TestServer(ServerConfig.loopback(0, 2, 8));
        moe = new TestServer(MOE_FILE, ServerConfig.loopback(0, 1, 4).withContextSize(512));
    }

    @AfterAll
    static void stop() {
        dense.close();
        moe.close();
    }

    /** What {@code strata generate --temp 0 --no-display-prompt} prints on stdout, without its final newline. */
    private static String cliGenerate(String modelFile, String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", "-m", SharedData.model(modelFile).toString(), "-p", PROMPT,
                "-n", Integer.toString(TOKENS), "--temp", "0", "--no-display-prompt", "-t", "1"));
        args.addAll(List.of(extra));
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args.toArray(String[]::new)), "strata generate failed");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals('\n', printed.charAt(printed.length() - 1));
        return printed.substring(0, printed.length() - 1);
    }

    /** The text of a greedy /v1/completions answer; extra is a JSON object of additional request fields. */
    private static String apiComplete(TestServer server, String extra) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("prompt", PROMPT).put("max_tokens", TOKENS).put("temperature", 0);
        if (extra != null) body.setAll((ObjectNode) JSON.readTree(extra));
        HttpResponse<String> r = server.post("/v1/completions", body.toString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("choices").get(0).get("text").asText();
    }

    @Test
    void greedyCompletionEqualsStrataGenerate() throws Exception {
        String cli = cliGenerate(TestServer.MODEL_FILE);
        assertEquals(cli, apiComplete(dense, null));
        assertEquals(cli, apiComplete(dense, "{\"seed\": 7, \"top_p\": 0.5}"), "temperature 0 is greedy whatever the other knobs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dup:1-3", "skip:2", "loop:1-2x3", "0-2,1-4"})
    void perRequestLayersEqualCliLayers(String layers) throws Exception {
        String cli = cliGenerate(TestServer.MODEL_FILE, "--layers", layers);
        assertNotEquals(cliGenerate(TestServer.MODEL_FILE), cli, "the path must change the answer, or this test proves nothing");
        assertEquals(cli, apiComplete(dense, "{\"layers\": \"" + layers + "\"}"));
    }

    @Test
    void perRequestExpertsPerTokenEqualsCliFlag() throws Exception {
        String cli = cliGenerate(MOE_FILE, "--experts-per-token", "1");
        assertNotEquals(cliGenerate(MOE_FILE), cli, "one expert instead of two must change the answer");
        assertEquals(cli, apiComplete(moe, "{\"experts_per_token\": 1}"));
        assertEquals(cliGenerate(MOE_FILE, "--experts-per-token", "1", "--layers", "dup:0"),
                apiComplete(moe, "{\"experts_per_token\": 1, \"layers\": \"dup:0\"}"));
    }
}
