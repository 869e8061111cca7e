package dev.strata.tools.synth;

import dev.strata.StrataException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a synthetic model. {@code expertFfn} and {@code sharedFfn} are 0 for dense models;
 * {@code llama3RopeScaling} adds a {@code rope_freqs} tensor computed as Meta's Llama 3 scaling does.
 */
public record SynthShape(String arch, int embd, int layers, int heads, int kvHeads, int headDim, int ffn,
        int vocab, float ropeBase, boolean tiedEmbeddings, int experts, int expertsUsed, int expertFfn,
        int sharedFfn, boolean llama3RopeScaling, float rmsEps, int contextLength) {

    public static final java.util.List<String> ARCHS = java.util.List.of("llama", "qwen2", "qwen3", "qwen2moe", "qwen3moe");

    /** Llama 3.x rope scaling constants (factor, low/high frequency factors, original context). */
    public static final float LLAMA3_FACTOR = 32f, LLAMA3_LOW_FREQ = 1f, LLAMA3_HIGH_FREQ = 4f;
    public static final int LLAMA3_ORIGINAL_CONTEXT = 8192;

    private static final Map<String, SynthShape> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("llama-3.2-1b", new SynthShape("llama", 2048, 16, 32, 8, 64, 8192, 128256, 500000f, true, 0, 0, 0, 0, true, 1e-5f, 131072));
        PRESETS.put("qwen3-0.6b", new SynthShape("qwen3", 1024, 28, 16, 8, 128, 3072, 151936, 1e6f, true, 0, 0, 0, 0, false, 1e-6f, 40960));
        PRESETS.put("qwen3-30b-a3b", new SynthShape("qwen3moe", 2048, 48, 32, 4, 128, 6144, 151936, 1e6f, false, 128, 8, 768, 0, false, 1e-6f, 40960));
        PRESETS.put("mixtral-8x7b", new SynthShape("llama", 4096, 32, 32, 8, 128, 14336, 32000, 1e6f, false, 8, 2, 14336, 0, false, 1e-5f, 32768));
        PRESETS.put("tiny-llama", new SynthShape("llama", 64, 2, 8, 2, 8, 192, 128256, 500000f, true, 0, 0, 0, 0, true, 1e-5f, 8192));
        PRESETS.put("tiny-qwen2", new SynthShape("qwen2", 64, 2, 4, 2, 16, 192, 151936, 1e6f, true, 0, 0, 0, 0, false, 1e-6f, 4096));
        PRESETS.put("tiny-qwen3", new SynthShape("qwen3", 64, 2, 4, 2, 32, 192, 151936, 1e6f, true, 0, 0, 0, 0, false, 1e-6f, 4096));
        PRESETS.put("tiny-qwen2moe", new SynthShape("qwen2moe", 64, 2, 4, 2, 16, 128, 151936, 1e6f, false, 8, 2, 64, 128, false, 1e-6f, 4096));
        PRESETS.put("tiny-qwen3moe", new SynthShape("qwen3moe", 64, 2, 4, 2, 32, 128, 151936, 1e6f, false, 8, 2, 64, 0, false, 1e-6f, 4096));
    }

    public static Map<String, SynthShape> presets() {
        return java.util.Collections.unmodifiableMap(PRESETS);
    }

    /** The named preset, or the tiny shape of {@code arch} when no preset is named. */
    public static SynthShape resolve(String arch, String preset) {
        if (arch != null && !ARCHS.contains(arch)) {
            throw new StrataException("unknown architecture '" + arch + "' (supported: " + String.join(", ", ARCHS) + ")");
        }
        if (preset == null) {
            if (arch == null) throw new StrataException("give --arch or --preset");
            return PRESETS.get("tiny-" + arch);
        }
        SynthShape s = PRESETS.get(preset);
        if (s == null) throw new StrataException("unknown preset '" + preset + "' (known: " + String.join(", ", PRESETS.keySet()) + ")");
        if (arch != null && !arch.equals(s.arch)) throw new StrataException("preset '" + preset + "' is a " + s.arch + " model, not " + arch);
        return s;
    }

    public boolean isMoe() {
        return experts > 0;
    }

    public SynthShape withLayers(int n) {
        if (n < 1) throw new StrataException("layer count must be at least 1, got " + n);
        return new SynthShape(arch, embd, n, heads, kvHeads, headDim, ffn, vocab, ropeBase, tiedEmbeddings, experts,
                expertsUsed, expertFfn, sharedFfn, llama3RopeScaling, rmsEps, contextLength);
    }

    public SynthShape withVocab(int n) {
        return new SynthShape(arch, embd, layers, heads, kvHeads, headDim, ffn, n, ropeBase, tiedEmbeddings, experts,
                expertsUsed, expertFfn, sharedFfn, llama3RopeScaling, rmsEps, contextLength);
    }

    /** Per-pair frequency factors llama.cpp reads from {@code rope_freqs.weight} (as convert_hf_to_gguf computes them). */
    public float[] llama3RopeFactors() {
        float[] f = new float[headDim / 2];
        double lowWavelen = LLAMA3_ORIGINAL_CONTEXT / LLAMA3_LOW_FREQ, highWavelen = LLAMA3_ORIGINAL_CONTEXT / LLAMA3_HIGH_FREQ;
        for (int i = 0; i < f.length; i++) {
            double freq = 1.0 / Math.pow(ropeBase, (2.0 * i) / headDim);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highWavelen) f[i] = 1f;
            else if (wavelen > lowWavelen) f[i] = LLAMA3_FACTOR;
            else {
                double smooth = (LLAMA3_ORIGINAL_CONTEXT / wavelen - LLAMA3_LOW_FREQ) / (LLAMA3_HIGH_FREQ - LLAMA3_LOW_FREQ);
                f[i] = (float) (1 / ((1 - smooth) / LLAMA3_FACTOR + smooth));
            }
        }
        return f;
    }
}
