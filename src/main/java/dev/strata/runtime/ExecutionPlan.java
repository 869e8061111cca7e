package dev.strata.runtime;

import java.util.List;

/**
 * The forward pass's program: a list of steps, each running one weight layer and owning one KV
 * slot. The default plan is i -> (i, i); layer paths reuse weight layers with new KV slots.
 */
public record ExecutionPlan(List<Step> steps) {

    /** Run weight layer {@code weightLayer}, keeping its K/V in cache slot {@code kvSlot}. */
    public record Step(int weightLayer, int kvSlot) {}

    public ExecutionPlan {
        steps = List.copyOf(steps);
    }

    public static ExecutionPlan identity(int layers) {
        int[] path = new int[layers];
        for (int i = 0; i < layers; i++) path[i] = i;
        return ofPath(path);
    }

    /** One step per entry of the layer path; every step gets its own KV slot. */
    public static ExecutionPlan ofPath(int[] layerPath) {
        Step[] s = new Step[layerPath.length];
        for (int i = 0; i < s.length; i++) s[i] = new Step(layerPath[i], i);
        return new ExecutionPlan(List.of(s));
    }

    /** Equal steps, compared without iterators (the batch grouping runs every decode step). */
    public boolean sameSteps(ExecutionPlan other) {
        if (other == this) return true;
        if (other.steps.size() != steps.size()) return false;
        for (int i = 0; i < steps.size(); i++) if (!steps.get(i).equals(other.steps.get(i))) return false;
        return true;
    }

    public int kvSlots() {
        return steps.size();
    }

    public int[] layerPath() {
        return steps.stream().mapToInt(Step::weightLayer).toArray();
    }

    public boolean isIdentity(int layers) {
        if (steps.size() != layers) return false;
        for (int i = 0; i < layers; i++) if (steps.get(i).weightLayer() != i) return false;
        return true;
    }
}
