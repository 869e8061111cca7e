package dev.strata.server;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client that hangs up on a non-streaming request frees its slot at the next token (issue #20 finding 5). */
class NonStreamingCancelTest {
    private static final String SLOW = "{\"prompt\": \"Once\", \"max_tokens\": 8000, \"ignore_eos\": true}";
    private static TestServer fixture;

    @BeforeAll
    static void start() {
        fixture = new TestServer(ServerConfig.loopback(0, 1, 1).withContextSize(8192));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static double metric(String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.]+)$").matcher(fixture.get("/metrics").body());
        assertTrue(m.find(), name);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void hangingUpCancelsTheGenerationAndFreesTheSlot() throws Exception {
        double cancelledBefore = metric("strata_requests_cancelled_total");
        double tokensBefore = metric("strata_completion_tokens_total");
        try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
            byte[] body = SLOW.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            for (int i = 0; i < 500 && metric("strata_active_slots") < 1; i++) Thread.sleep(10);
            assertEquals(1.0, metric("strata_active_slots"), "the slow request never took the slot");
        }
        var quick = fixture.post("/v1/completions", "{\"prompt\": \"Once\", \"max_tokens\": 2}");
        assertEquals(200, quick.statusCode(), quick.body());
        assertEquals(cancelledBefore + 1, metric("strata_requests_cancelled_total"));
        double generated = metric("strata_completion_tokens_total") - tokensBefore - 2;
        assertTrue(generated < 8000, "the hung-up request generated " + generated + " tokens");
    }

    @Test
    void aPipelinedSecondRequestIsNotMistakenForAHangUp() throws Exception {
        String one = "{\"prompt\": \"Once\", \"max_tokens\": 3, \"temperature\": 0}";
        String req = "POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + one.length() + "\r\n\r\n" + one;
        try (Socket s = new Socket("127.0.0.1", fixture.server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write((req + req).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            RawHttp.Response first = RawHttp.parse(RawHttp.readAvailable(s.getInputStream()));
            RawHttp.Response second = RawHttp.parse(RawHttp.readAvailable(s.getInputStream()));
            assertEquals(200, first.status(), first.body());
            assertEquals(200, second.status(), second.body());
            assertEquals(fixture.greedyCompletion("Once", 3), JsonFields.MAPPER.readTree(second.body()).get("choices").get(0).get("text").asText());
        }
    }
}
