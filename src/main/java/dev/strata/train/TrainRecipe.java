package dev.strata.train;

import dev.strata.StrataException;
import dev.strata.train.model.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trainer settings a research run varies: architecture (dim, layers, heads, kv-heads, ffn, MoE
 * experts), learning rate, warmup, weight decay, the loop-training probability (0 = plain
 * training) and the batch shape. {@link #DEFAULT} is {@code strata train}'s defaults. Text form:
 * comma-separated {@code key=value}, e.g. {@code dim=64,layers=2,lr=1e-3,loop=0.5}.
 */
public record TrainRecipe(int dim, int layers, int heads, int kvHeads, int ffn, int experts, int expertsUsed, float lr, float warmup,
        float weightDecay, float loop, int batch, int seq) {
    public static final TrainRecipe DEFAULT = new TrainRecipe(128, 4, 4, 0, 0, 0, 2, 3e-3f, 0.03f, 0.1f, 0f, 8, 256);
    public static final List<String> KEYS = List.of("dim", "layers", "heads", "kv-heads", "ffn", "experts", "experts-used", "lr", "warmup",
            "weight-decay", "loop", "batch", "seq");

    public TrainRecipe {
        if (dim < 2 || layers < 1 || heads < 1 || kvHeads < 0 || ffn < 0 || experts < 0 || expertsUsed < 1 || batch < 1 || seq < 8)
            throw new StrataException("train recipe sizes must be positive (seq at least 8)");
        if (!(lr >= 0) || !(warmup >= 0 && warmup < 1) || !(weightDecay >= 0) || !(loop >= 0 && loop <= 1))
            throw new StrataException("train recipe: lr and weight-decay must be >= 0, warmup in [0, 1), loop in [0, 1]");
    }

    /** The FFN width {@code strata train} gives a model of width {@code dim}: 8/3 of it, rounded up to 16. */
    public static int defaultFfn(int dim) {
        return (int) Math.ceil(8.0 * dim / 3 / 16) * 16;
    }

    /** This recipe with {@code text}'s settings applied in order. */
    public TrainRecipe with(String text) {
        TrainRecipe r = this;
        if (text == null || text.isBlank()) return r;
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) throw new StrataException("train setting '" + part.strip() + "' must look like key=value (keys: " + String.join(", ", KEYS) + ")");
            r = r.with(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return r;
    }

    public TrainRecipe with(String key, String value) {
        Map<String, String> m = values();
        if (!m.containsKey(key)) throw new StrataException("unknown train setting '" + key + "' (keys: " + String.join(", ", KEYS) + ")");
        try {
            m.put(key, key.equals("lr") || key.equals("warmup") || key.equals("weight-decay") || key.equals("loop")
                    ? Float.toString(Float.parseFloat(value)) : Integer.toString(Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            throw new StrataException("train setting " + key + "=" + value + ": not a number");
        }
        return of(m);
    }

    private static TrainRecipe of(Map<String, String> m) {
        return new TrainRecipe(i(m, "dim"), i(m, "layers"), i(m, "heads"), i(m, "kv-heads"), i(m, "ffn"), i(m, "experts"), i(m, "experts-used"),
                f(m, "lr"), f(m, "warmup"), f(m, "weight-decay"), f(m, "loop"), i(m, "batch"), i(m, "seq"));
    }

    private static int i(Map<String, String> m, String k) {
        return Integer.parseInt(m.get(k));
    }

    private static float f(Map<String, String> m, String k) {
        return Float.parseFloat(m.get(k));
    }

    /**
     * The grid around this recipe: {@code ;}-separated axes, each {@code key=v1,v2,...}; every
     * combination of one value per axis, in order (the first axis varies slowest), e.g.
     * {@code dim=32,48;lr=1e-3,3e-3} gives four recipes.
     */
    public List<TrainRecipe> grid(String text) {
        if (text == null || text.isBlank()) throw new StrataException("--train-grid is empty (e.g. \"dim=32,48;lr=1e-3,3e-3\")");
        List<TrainRecipe> out = new ArrayList<>(List.of(this));
        for (String axis : text.split(";")) {
            if (axis.isBlank()) continue;
            int eq = axis.indexOf('=');
            if (eq < 0) throw new StrataException("--train-grid axis '" + axis.strip() + "' must look like key=v1,v2 (keys: " + String.join(", ", KEYS) + ")");
            String key = axis.substring(0, eq).strip();
            List<TrainRecipe> next = new ArrayList<>();
            for (TrainRecipe r : out)
                for (String v : axis.substring(eq + 1).split(",")) if (!v.isBlank()) next.add(r.with(key, v.strip()));
            out = next;
        }
        return out;
    }

    /** Every setting by key, in {@link #KEYS} order. */
    public Map<String, String> values() {
        Map<String, String> m = new LinkedHashMap<>();
        Object[] v = {dim, layers, heads, kvHeads, ffn, experts, expertsUsed, lr, warmup, weightDecay, loop, batch, seq};
        for (int k = 0; k < KEYS.size(); k++) m.put(KEYS.get(k), String.valueOf(v[k]));
        return m;
    }

    /** The stable name: the settings that differ from {@link #DEFAULT}, e.g. {@code train:dim=64,lr=0.001}, or {@code train:default}. */
    public String name() {
        List<String> diff = new ArrayList<>();
        Map<String, String> mine = values(), base = DEFAULT.values();
        for (String k : KEYS) if (!mine.get(k).equals(base.get(k))) diff.add(k + "=" + mine.get(k));
        return "train:" + (diff.isEmpty() ? "default" : String.join(",", diff));
    }

    /** The {@code strata train} flags that train this recipe. */
    public String flags() {
        return String.format(Locale.ROOT, "--dim %d --layers %d --heads %d --kv-heads %d --ffn %d --experts %d --experts-used %d --lr %s --warmup %s"
                + " --weight-decay %s%s --batch %d --seq %d", dim, layers, heads, kvHeads, ffn, experts, expertsUsed, lr, warmup, weightDecay,
                loop > 0 ? " --loop-train --loop-prob " + loop : "", batch, seq);
    }

    public ModelConfig modelConfig(int vocabSize) {
        ModelConfig c = new ModelConfig(vocabSize, dim, layers, heads, kvHeads > 0 ? kvHeads : heads, ffn > 0 ? ffn : defaultFfn(dim), seq,
                10000f, 1e-5f, 0, 0, 0f);
        return experts > 0 ? c.withExperts(experts, expertsUsed, 0.01f) : c;
    }

    /**
     * Options for one training: {@code steps} > 0 makes it bit-reproducible, else {@code budgetSeconds} of wall clock.
     * The trainer's own evaluation is off (the research run scores the model) and validation is one batch.
     */
    public TrainOptions options(List<String> families, int minDifficulty, int maxDifficulty, long steps, double budgetSeconds, int threads, long seed) {
        return new TrainOptions(families, minDifficulty, maxDifficulty, batch, seq, 1, lr, 0.1f, warmup, weightDecay, 1.0f,
                steps > 0 ? 0 : budgetSeconds, Math.max(0, steps), threads, seed, loop > 0, loop, 1, 0, 0, 0);
    }
}
