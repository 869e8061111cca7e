package dev.strata.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.eval.ledger.ItemCost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnergyMeterTest {
    @TempDir Path powercap;

    private void zone(String name, long energy, long max) throws IOException {
        Path d = Files.createDirectories(powercap.resolve(name));
        Files.writeString(d.resolve("energy_uj"), energy + "\n");
        Files.writeString(d.resolve("max_energy_range_uj"), max + "\n");
    }

    private static ItemCost cost(long cpuNanos) {
        return new ItemCost(1, 0, 0, 0, 0, 0, cpuNanos, cpuNanos, 0, null);
    }

    /** Packages are summed, their sub-zones skipped (already inside), and a wrapped counter adds its range. */
    @Test
    void readsPackageZonesAndHandlesWraparound() throws IOException {
        zone("intel-rapl:0", 1_000_000, 10_000_000);
        zone("intel-rapl:0:0", 999, 10_000_000); // core sub-zone
        zone("intel-rapl:1", 9_500_000, 10_000_000);
        EnergyMeter m = EnergyMeter.detect(powercap, 10);
        assertTrue(m.measured());
        long[] before = m.read();
        assertArrayEquals(new long[] {1_000_000, 9_500_000}, before);
        zone("intel-rapl:0", 3_000_000, 10_000_000);
        zone("intel-rapl:1", 500_000, 10_000_000); // wrapped
        assertEquals(2.0 + 1.0, m.joulesBetween(before, m.read()), 1e-12);
        List<ItemCost> split = m.attribute(List.of(cost(1_000), cost(3_000)), 4.0);
        assertEquals(1.0, split.get(0).joules(), 1e-12);
        assertEquals(3.0, split.get(1).joules(), 1e-12);
        assertEquals(ItemCost.RAPL, split.get(0).energy());
    }

    @Test
    void withoutCountersEnergyIsCpuSecondsTimesWatts() {
        EnergyMeter m = EnergyMeter.detect(powercap.resolve("absent"), 12.5);
        assertFalse(m.measured());
        ItemCost c = m.attribute(List.of(cost(2_000_000_000L)), 0).get(0);
        assertEquals(25.0, c.joules(), 1e-12);
        assertEquals(ItemCost.ESTIMATED, c.energy());
    }
}
