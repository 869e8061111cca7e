package dev.strata.eval.ledger;

import java.util.List;

/**
 * The first ledger line: the exact configuration of the run. {@link #sameRun} decides whether a
 * resumed run may append to it: everything that changes which items exist or what they score must
 * match; threads, watts and the start time may differ.
 */
public record LedgerHeader(int version, String task, int items, String model, String modelSha256, List<VariantInfo> variants,
        String kernels, int threads, long seed, int limit, double watts, String strataCommit, String cpu, String started) {
    public static final int VERSION = 1;

    /** A variant as it ran on this model: its plan length, active parameters and KV bytes per position. */
    public record VariantInfo(String name, String hash, String layers, int expertsPerToken, String kernels, String attention,
            int planSteps, long activeParameters, long kvBytesPerToken) {}

    public LedgerHeader {
        variants = List.copyOf(variants);
    }

    /** Null when {@code other} may continue this run, else what differs. */
    public String mismatch(LedgerHeader other) {
        if (version != other.version) return "ledger version " + version + " vs " + other.version;
        if (!task.equals(other.task)) return "task " + task + " vs " + other.task;
        if (items != other.items) return items + " items vs " + other.items;
        if (!modelSha256.equals(other.modelSha256)) return "model SHA-256 " + modelSha256.substring(0, 12) + " vs " + other.modelSha256.substring(0, 12);
        if (!variants.stream().map(VariantInfo::hash).toList().equals(other.variants.stream().map(VariantInfo::hash).toList()))
            return "variants " + variants.stream().map(VariantInfo::name).toList() + " vs " + other.variants.stream().map(VariantInfo::name).toList();
        if (!kernels.equals(other.kernels)) return "kernels " + kernels + " vs " + other.kernels;
        if (seed != other.seed) return "seed " + seed + " vs " + other.seed;
        if (limit != other.limit) return "limit " + limit + " vs " + other.limit;
        return null;
    }
}
