package dev.strata.train.curriculum;

/** One chat message; mirrors dev.strata.tokenizer.ChatMessage so a chat template can render it. */
public record ChatTurn(String role, String content) {}
