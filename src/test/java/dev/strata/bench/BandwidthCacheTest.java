package dev.strata.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bandwidth cache is per CPU and thread count, and is measured again once it is a week old. */
class BandwidthCacheTest {
    @TempDir Path dir;

    @Test
    void reusesAFreshFigureAndRemeasuresAStaleOrForeignOne() throws Exception {
        Path cache = dir.resolve("bandwidth.json");
        AtomicInteger probes = new AtomicInteger();
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        assertEquals(10e9, BandwidthProbe.cachedOrMeasure(2, cache, "CPU A", t0, () -> 10e9 + 0 * probes.incrementAndGet()));
        assertEquals(10e9, BandwidthProbe.cachedOrMeasure(2, cache, "CPU A", t0.plus(Duration.ofDays(6)), () -> 99e9 + 0 * probes.incrementAndGet()));
        assertEquals(1, probes.get());
        assertEquals(20e9, BandwidthProbe.cachedOrMeasure(2, cache, "CPU B", t0, () -> 20e9 + 0 * probes.incrementAndGet()));
        assertEquals(30e9, BandwidthProbe.cachedOrMeasure(1, cache, "CPU A", t0, () -> 30e9 + 0 * probes.incrementAndGet()));
        assertEquals(40e9, BandwidthProbe.cachedOrMeasure(2, cache, "CPU A", t0.plus(Duration.ofDays(8)), () -> 40e9 + 0 * probes.incrementAndGet()));
        assertEquals(4, probes.get());
        Files.writeString(cache, "{\"2\": 1.0E10}");
        assertEquals(50e9, BandwidthProbe.cachedOrMeasure(2, cache, "CPU A", t0, () -> 50e9), "the old, unkeyed format is measured again");
    }

    @Test
    void shareOfTheLimitNeverExceedsOne() {
        assertEquals(1.0, BandwidthProbe.fractionOfLimit(1e9, 20, 10e9));
        assertEquals(0.5, BandwidthProbe.fractionOfLimit(1e9, 5, 10e9), 1e-12);
    }

    @Test
    void cpuModelComesFromProcCpuinfo() throws Exception {
        Path info = dir.resolve("cpuinfo");
        Files.writeString(info, "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9R14\nflags\t: fpu\n");
        assertEquals("AMD EPYC 9R14", CpuInfo.modelName(info));
    }

    @Test
    void aRunFasterThanTheCachedFigureMeasuresItAgain() throws Exception {
        Path cache = dir.resolve("bandwidth.json");
        String cpu = CpuInfo.modelName();
        Files.writeString(cache, "{\"" + cpu + " | 1 threads\": {\"bytes_per_second\": 1.0, \"measured_at\": "
                + Instant.now().getEpochSecond() + "}}");
        assertEquals(1.0, BandwidthProbe.checked(1, cache, 0.5), "slower than the cached figure: kept");
        double again = BandwidthProbe.checked(1, cache, 2.0);
        assertTrue(again > 1.0, "a 1-byte/s figure is measured again: " + again);
        assertEquals(again, BandwidthProbe.cachedOrMeasure(1, cache), "and stored");
    }
}
