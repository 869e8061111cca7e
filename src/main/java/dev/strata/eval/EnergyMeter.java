package dev.strata.eval;

import dev.strata.eval.ledger.ItemCost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Joules from the RAPL powercap counters ({@code /sys/class/powercap/*}/energy_uj, Intel and AMD)
 * when they are readable, summed over the package zones only (sub-zones such as core or dram are
 * already inside their package). Otherwise energy is estimated as CPU-seconds × watts per core.
 */
public final class EnergyMeter {
    private record Zone(Path energy, long maxMicrojoules) {}

    private final List<Zone> zones;
    private final double wattsPerCore;

    private EnergyMeter(List<Zone> zones, double wattsPerCore) {
        this.zones = zones;
        this.wattsPerCore = wattsPerCore;
    }

    public static EnergyMeter detect(double wattsPerCore) {
        return detect(Path.of("/sys/class/powercap"), wattsPerCore);
    }

    static EnergyMeter detect(Path powercap, double wattsPerCore) {
        List<Zone> zones = new ArrayList<>();
        if (Files.isDirectory(powercap)) {
            try (Stream<Path> dirs = Files.list(powercap)) {
                for (Path d : dirs.sorted().toList()) {
                    if (!d.getFileName().toString().matches("[^:]+:\\d+")) continue; // packages only, not sub-zones
                    Path energy = d.resolve("energy_uj");
                    if (!Files.isReadable(energy) || readLong(energy) < 0) continue;
                    long max = Files.isReadable(d.resolve("max_energy_range_uj")) ? readLong(d.resolve("max_energy_range_uj")) : Long.MAX_VALUE;
                    zones.add(new Zone(energy, max > 0 ? max : Long.MAX_VALUE));
                }
            } catch (IOException e) {
                zones.clear();
            }
        }
        return new EnergyMeter(List.copyOf(zones), wattsPerCore);
    }

    public boolean measured() {
        return !zones.isEmpty();
    }

    public String source() {
        return measured() ? ItemCost.RAPL : ItemCost.ESTIMATED;
    }

    /** Microjoule counter readings, one per zone (empty when estimating). */
    public long[] read() {
        long[] r = new long[zones.size()];
        for (int i = 0; i < r.length; i++) r[i] = readLong(zones.get(i).energy());
        return r;
    }

    /** Joules between two readings, allowing each counter to wrap once. */
    public double joulesBetween(long[] before, long[] after) {
        double uj = 0;
        for (int i = 0; i < before.length; i++) {
            long d = after[i] - before[i];
            if (d < 0) d += zones.get(i).maxMicrojoules();
            uj += d;
        }
        return uj / 1e6;
    }

    /**
     * Gives each item of a batch its energy: with RAPL, the batch's measured joules split in
     * proportion to the items' CPU time; otherwise the item's CPU-seconds × watts.
     */
    public List<ItemCost> attribute(List<ItemCost> costs, double measuredJoules) {
        if (!measured()) return costs.stream().map(c -> c.withJoules(c.cpuNanos() / 1e9 * wattsPerCore, ItemCost.ESTIMATED)).toList();
        long cpu = costs.stream().mapToLong(ItemCost::cpuNanos).sum();
        return costs.stream().map(c -> c.withJoules(cpu == 0 ? measuredJoules / costs.size() : measuredJoules * c.cpuNanos() / cpu, ItemCost.RAPL)).toList();
    }

    private static long readLong(Path p) {
        try {
            return Long.parseLong(Files.readString(p).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
