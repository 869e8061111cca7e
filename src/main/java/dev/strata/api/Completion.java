package dev.strata.api;

import dev.strata.generate.FinishReason;

/** What one call produced: the text, why it stopped, token counts and llama.cpp-style speeds. */
public record Completion(String text, FinishReason finishReason, int promptTokens, int generatedTokens,
                         double promptTokensPerSecond, double generationTokensPerSecond) {}
