package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.bench.ServeLoad;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The load-test tool against a real server: every token counted once, latencies measured per request. */
class ServeLoadTest {

    @Test
    void countsEveryStreamedTokenAndOneFirstTokenPerRequest() {
        try (TestServer s = new TestServer(ServerConfig.loopback(0, 4, 8))) {
            ServeLoad.Result r = ServeLoad.run(new ServeLoad.Config(s.base(), null, 3, 2, "Once upon a time", 12, 0));
            assertEquals(0, r.failed());
            assertEquals(6, r.requests());
            assertEquals(6 * 12, r.tokens(), "usage.completion_tokens summed over the requests");
            assertEquals(6, r.ttft().size());
            assertTrue(r.itl().size() >= 6 && r.itl().size() <= 6 * 11, "at most one gap between consecutive chunks: " + r.itl().size());
            assertTrue(ServeLoad.Result.percentile(r.ttft(), 50) <= ServeLoad.Result.percentile(r.ttft(), 99));
            assertTrue(r.tokensPerSecond() > 0);
        }
    }

    /** Warm-up requests reach the server (its completion counter sees them) but not the measured counts. */
    @Test
    void warmUpRequestsRunButAreNotCounted() throws Exception {
        try (TestServer s = new TestServer(ServerConfig.loopback(0, 4, 8))) {
            ServeLoad.Result r = ServeLoad.run(new ServeLoad.Config(s.base(), null, 3, 1, "Once upon a time", 10, 0, 4));
            assertEquals(0, r.failed());
            assertEquals(3 * 10, r.tokens());
            assertEquals(3, r.ttft().size());
            String metrics = s.get("/metrics").body();
            long completion = metrics.lines().filter(l -> l.startsWith("strata_completion_tokens_total "))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
            assertEquals(3 * 10 + 3 * 4, completion, "measured plus warm-up tokens generated");
        }
    }

    @Test
    void percentilesAreNearestRank() {
        List<Double> xs = IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
        assertEquals(50.0, ServeLoad.Result.percentile(xs, 50));
        assertEquals(99.0, ServeLoad.Result.percentile(xs, 99));
        assertEquals(3.0, ServeLoad.Result.percentile(List.of(1.0, 2.0, 3.0), 99));
    }
}
