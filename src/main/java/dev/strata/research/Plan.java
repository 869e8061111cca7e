package dev.strata.research;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A kept variant as something to run: its layer path (null = the model's own), experts per token
 * (0 = the model's), per-layer weight types requantized in memory (null = the file's; see
 * {@link dev.strata.tools.quantize.LayerTypes}), the model it was found on, and the held-out evidence for keeping it.
 */
public record Plan(String name, String variant, String layers, int expertsPerToken, String modelSha256, int n, double accuracy,
        double baselineAccuracy, double delta, double deltaLow95, double deltaHigh95, double p, double pAdjusted,
        @JsonInclude(JsonInclude.Include.NON_NULL) String quant) {

    /** A file- and URL-safe name from a canonical variant: {@code dup:1-2+experts=1} becomes {@code dup-1-2-experts-1}. */
    public static String nameOf(String canonical) {
        return canonical.replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^-|-$", "");
    }
}
