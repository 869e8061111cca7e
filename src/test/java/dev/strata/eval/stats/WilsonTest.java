package dev.strata.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WilsonTest {
    /** Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (score interval without continuity correction). */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "81, 263, 0.2553, 0.3662",
        "15, 148, 0.0624, 0.1605",
        "0, 20, 0.0000, 0.1611",
        "1, 29, 0.0061, 0.1718",
    })
    void matchesNewcombesPublishedIntervals(long x, long n, double low, double high) {
        Wilson.Interval ci = Wilson.interval95(x, n);
        assertEquals(low, ci.low(), 5e-5);
        assertEquals(high, ci.high(), 5e-5);
    }

    /** The interval is where the score statistic |p̂ - π| / sqrt(π(1-π)/n) equals z: check that at both ends. */
    @Test
    void endsAreRootsOfTheScoreEquation() {
        for (long[] c : new long[][] {{3, 7}, {50, 100}, {999, 1000}, {1, 1000}}) {
            double p = c[0] / (double) c[1];
            Wilson.Interval ci = Wilson.interval95(c[0], c[1]);
            for (double pi : new double[] {ci.low(), ci.high()}) {
                assertEquals(Wilson.Z95, Math.abs(p - pi) / Math.sqrt(pi * (1 - pi) / c[1]), 1e-9, c[0] + "/" + c[1]);
            }
        }
    }

    @Test
    void emptyAndInvalidCounts() {
        assertEquals(new Wilson.Interval(0, 1), Wilson.interval95(0, 0));
        assertEquals(1.0, Wilson.interval95(20, 20).high());
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval95(5, 4));
    }
}
