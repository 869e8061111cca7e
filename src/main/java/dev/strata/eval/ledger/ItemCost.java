package dev.strata.eval.ledger;

/**
 * What scoring one item cost, from the accounting counters of its forward passes: tokens
 * processed, multiply-adds and weight bytes as executed, experts selected and streamed bytes, the
 * KV bytes each position holds under the variant's plan, wall and CPU time, and joules, either
 * measured (RAPL) or estimated from CPU time. With a streaming store, expert bytes read are the
 * batch's reads from disk (prefetches included) apportioned by experts selected. The forward-pass
 * time splits into decode steps (one token per sequence: {@code decodeTokens}, {@code decodeNanos})
 * and prompt processing (the rest of {@code tokens} in {@code forwardNanos - decodeNanos}).
 */
public record ItemCost(long tokens, long multiplyAdds, long weightBytes, long expertsSelected, long expertBytesRead,
        long kvBytesPerToken, long wallNanos, long cpuNanos, double joules, String energy,
        long forwardNanos, long decodeTokens, long decodeNanos) {
    public static final String RAPL = "rapl";
    public static final String ESTIMATED = "estimated";

    /** Without the prompt/decode split (ledgers written before it have none: their split is zero). */
    public ItemCost(long tokens, long multiplyAdds, long weightBytes, long expertsSelected, long expertBytesRead,
                    long kvBytesPerToken, long wallNanos, long cpuNanos, double joules, String energy) {
        this(tokens, multiplyAdds, weightBytes, expertsSelected, expertBytesRead, kvBytesPerToken, wallNanos, cpuNanos, joules, energy, 0, 0, 0);
    }

    public ItemCost withExpertBytesRead(long bytes) {
        return new ItemCost(tokens, multiplyAdds, weightBytes, expertsSelected, bytes, kvBytesPerToken, wallNanos, cpuNanos, joules, energy,
                forwardNanos, decodeTokens, decodeNanos);
    }

    public ItemCost withJoules(double joules, String energy) {
        return new ItemCost(tokens, multiplyAdds, weightBytes, expertsSelected, expertBytesRead, kvBytesPerToken, wallNanos, cpuNanos,
                joules, energy, forwardNanos, decodeTokens, decodeNanos);
    }
}
