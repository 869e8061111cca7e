package dev.strata.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arithmetic behind the bench's accounting columns, on known numbers. */
class BenchAccountingTest {

    @Test
    void bandwidthFractionIsBytesPerTokenTimesRateOverBandwidth() {
        // 4 GiB of weights per token at 5 tokens/s = 21.47 GB/s; against 42.95 GB/s that is half
        double bytesPerToken = 4.0 * (1L << 30);
        assertEquals(0.5, BandwidthProbe.fractionOfLimit(bytesPerToken, 5, 2 * bytesPerToken * 5), 1e-12);
        assertEquals(0.25, BandwidthProbe.fractionOfLimit(1e9, 10, 40e9), 1e-12);
    }

    @Test
    void reportShowsAccountingPerTokenAndThePercentOfTheLimit() {
        BenchResult tg = new BenchResult("m Q8_0", 3L << 20, 2_500_000, "strata", "panama", 2, "tg128", 128,
                new double[] {9, 11}, 2e9, 1.5e9, null);
        BenchResult withFraction = tg.withBandwidthFraction(BandwidthProbe.fractionOfLimit(2e9, tg.mean(), 40e9));
        String md = new BenchReport(List.of(withFraction), 40e9, 2).markdown();
        assertTrue(md.contains("| m Q8_0 | 3.00 MiB | 2.50 M | strata panama | 2 | tg128 | 10.00 ± 1.41 |"), md);
        assertTrue(md.contains("| m Q8_0 | strata panama | tg128 | 2000.000 | 3.0000 | 20.00 | 50.0 % |"), md);
        assertTrue(md.contains("read bandwidth: 40.00 GB/s"), md);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        BenchResult r = new BenchResult("m", 1, 1, "strata", "scalar", 1, "pp4", 4, new double[] {2, 4, 4, 4, 5, 5, 7, 9}, null, null, null);
        assertEquals(5, r.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), r.sd(), 1e-12);
        assertEquals(0, new BenchResult("m", 1, 1, "strata", "scalar", 1, "pp4", 4, new double[] {3}, null, null, null).sd());
    }

    @Test
    void sizesAndParamsFormatAsLlamaBench() {
        assertEquals("0.45 MiB", ModelDescription.formatSize(474_848));
        assertEquals("3.56 GiB", ModelDescription.formatSize((long) (3.56 * (1L << 30))));
        assertEquals("292.80 K", ModelDescription.formatParams(292_800));
        assertEquals("6.74 B", ModelDescription.formatParams(6_740_000_000L));
    }

    @Test
    void probeMeasuresAPositiveBandwidth() {
        assertTrue(BandwidthProbe.measure(1, 16L << 20) > 0);
    }
}
