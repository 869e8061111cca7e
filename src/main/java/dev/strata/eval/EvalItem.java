package dev.strata.eval;

/**
 * One scored unit of a task. {@code group} and {@code difficulty} are for breakdowns in reports
 * (curriculum family and difficulty; 0 when a task has none); {@code doc} is the task's own payload.
 */
public record EvalItem(String id, String group, int difficulty, Object doc) {}
