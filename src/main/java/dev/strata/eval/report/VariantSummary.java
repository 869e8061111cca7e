package dev.strata.eval.report;

import dev.strata.eval.stats.PairedBootstrap;
import dev.strata.eval.stats.Wilson;
import java.util.Map;

/**
 * One variant's row of the report, recomputed from the ledger. The comparison fields are against
 * the first variant on the items both have (null / NaN for the first itself); {@code significant}
 * is decided by the Holm-adjusted exact McNemar p at 0.05 and nothing else. Costs are per token
 * processed (prompt and generated); {@code energy} says whether joules were measured or estimated.
 */
public record VariantSummary(String variant, String hash, int n, int correct, double accuracy, Wilson.Interval wilson95,
        Comparison comparison, long activeParameters, int planSteps, double multiplyAddsPerToken, double weightBytesPerToken,
        double kvBytesPerToken, long promptTokens, long generatedTokens, double wallSeconds, double tokensPerSecond,
        double joulesPerToken, String energy, Map<Integer, Cell> byDifficulty, double promptTokensPerSecond, double generationTokensPerSecond) {

    public VariantSummary(String variant, String hash, int n, int correct, double accuracy, Wilson.Interval wilson95,
            Comparison comparison, long activeParameters, int planSteps, double multiplyAddsPerToken, double weightBytesPerToken,
            double kvBytesPerToken, long promptTokens, long generatedTokens, double wallSeconds, double tokensPerSecond,
            double joulesPerToken, String energy, Map<Integer, Cell> byDifficulty) {
        this(variant, hash, n, correct, accuracy, wilson95, comparison, activeParameters, planSteps, multiplyAddsPerToken, weightBytesPerToken,
                kvBytesPerToken, promptTokens, generatedTokens, wallSeconds, tokensPerSecond, joulesPerToken, energy, byDifficulty, 0, 0);
    }

    /** Paired comparison with the first variant: pairs, discordant counts, Δaccuracy and its bootstrap interval, p-values. */
    public record Comparison(String against, int pairs, long onlyFirstRight, long onlySecondRight, PairedBootstrap.Interval delta95,
            double mcnemarP, double holmP, boolean significant) {}

    /** Accuracy in one difficulty, with its Wilson interval. */
    public record Cell(int n, int correct, double accuracy, Wilson.Interval wilson95) {}
}
