package dev.strata.frontier;

import java.util.Locale;

/**
 * The score of random guessing, used as the sigmoid's fixed floor, on a 0–1 scale. Benchmarks
 * without a meaningful one get NaN and a fitted floor: TruthfulQA here is the MC2 score (the
 * Open LLM Leaderboard's metric; even 0.1B models score 0.4–0.46, far above MC1's chance of about
 * 0.23), and BBH and MuSR mix tasks with different numbers of choices.
 */
public final class ChanceLevels {
    private ChanceLevels() {}

    public static double of(String benchmark) {
        String b = benchmark.toLowerCase(Locale.ROOT);
        if (b.contains("mmlu_pro") || b.contains("mmlu-pro")) return 0.1; // 10 options
        if (b.contains("mmlu")) return 0.25;
        if (b.contains("arc")) return 0.25;
        if (b.contains("hellaswag")) return 0.25;
        if (b.contains("winogra")) return 0.5; // Winogrande and XWinograd: two options
        if (b.contains("gpqa")) return 0.25;
        if (b.contains("gsm8k") || b.contains("humaneval") || b.contains("math")) return 0; // free-form answers
        return Double.NaN;
    }
}
