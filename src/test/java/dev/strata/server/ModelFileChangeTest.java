package dev.strata.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.SharedData;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.Generator;
import dev.strata.weights.ModelFileChangedException;
import dev.strata.runtime.Engine;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model file overwritten under a running process (issue #20 finding 1): 503 or a clean error, never a crash. */
class ModelFileChangeTest {
    private static final String REQUEST = "{\"prompt\":\"Once upon a time\",\"max_tokens\":4,\"temperature\":0}";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Path servedCopy() throws Exception {
        return Files.copy(SharedData.require(SharedData.model("stories260K-F32.gguf")), dir.resolve("served.gguf"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void cpOver(Path target) throws Exception {
        Path other = SharedData.require(SharedData.model("stories260K-Q8_0.gguf"));
        assertEquals(0, new ProcessBuilder("cp", other.toString(), target.toString()).inheritIO().start().waitFor());
    }

    private HttpResponse<String> complete(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFileCopiedOverTheServedModelGets503AndTheServerLives() throws Exception {
        Path served = servedCopy();
        try (ChildServer child = new ChildServer("-Xmx256m", served, "--kernels", "auto")) {
            assertEquals(200, complete(child.port).statusCode());
            cpOver(served);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = complete(child.port);
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(r.headers().firstValue("Retry-After").isPresent());
                JsonNode error = JsonFields.MAPPER.readTree(r.body()).get("error");
                assertEquals("model_file_changed", error.get("code").asText());
                assertTrue(error.get("message").asText().contains("restarted"), r.body());
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertTrue(child.alive());
            String log = child.log.toString();
            assertEquals(1, log.split("changed on disk", -1).length - 1, "logged once:\n" + log);
            assertTrue(log.contains("run strata serve again"), log);
        }
    }

    @Test
    void withNoMmapTheServerKeepsServingItsOwnCopy() throws Exception {
        Path served = servedCopy();
        try (ChildServer child = new ChildServer("-Xmx256m", served, "--no-mmap")) {
            HttpResponse<String> before = complete(child.port);
            assertEquals(200, before.statusCode());
            cpOver(served);
            HttpResponse<String> after = complete(child.port);
            assertEquals(200, after.statusCode(), after.body());
            String text = "choices";
            assertEquals(JsonFields.MAPPER.readTree(before.body()).get(text).get(0).get("text"),
                    JsonFields.MAPPER.readTree(after.body()).get(text).get(0).get("text"));
        }
    }

    @Test
    void aTruncatedMappingOnThePanamaPathIsACleanError() throws Exception {
        Path served = servedCopy();
        try (Engine engine = Engine.open(served, 1, "panama")) {
            int[] prompt = engine.tokenizer().encode("Once upon a time", true, true);
            try (FileChannel ch = FileChannel.open(served, StandardOpenOption.WRITE)) {
                ch.truncate(20_000);
            }
            var seq = engine.newSequence(null, 0, 64);
            ModelFileChangedException e = assertThrows(ModelFileChangedException.class, () -> Generator.generate(engine, seq,
                    new GenerationRequest(prompt, SamplerConfig.greedy(), 4, List.of(), false), s -> {}, () -> false, new ForwardStats()));
            assertTrue(e.getMessage().contains("--no-mmap"), e.getMessage());
        }
    }
}
