package dev.strata.train.model;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each named tensor lives in the flat parameter buffer. Names and shapes follow GGUF's llama
 * tensors; a matrix is row-major [rows][cols] = [out][in], i.e. GGML ne = [cols, rows]. Expert
 * tensors stack their experts: [experts · rows][cols].
 */
public final class ParameterLayout {
    /** One tensor: {@code rows × cols} floats at {@code offset}; {@code experts > 0} for stacked expert weights. */
    public record Slice(String name, int offset, int rows, int cols, int experts) {
        public int size() {
            return Math.max(1, experts) * rows * cols;
        }

        public boolean isNorm() {
            return rows == 1;
        }
    }

    private final Map<String, Slice> slices = new LinkedHashMap<>();
    private int total;

    private ParameterLayout() {}

    public static ParameterLayout of(ModelConfig c) {
        ParameterLayout l = new ParameterLayout();
        l.add("token_embd.weight", c.vocabSize(), c.dim(), 0);
        for (int b = 0; b < c.layers(); b++) {
            String p = "blk." + b + ".";
            l.add(p + "attn_norm.weight", 1, c.dim(), 0);
            l.add(p + "attn_q.weight", c.qDim(), c.dim(), 0);
            l.add(p + "attn_k.weight", c.kvDim(), c.dim(), 0);
            l.add(p + "attn_v.weight", c.kvDim(), c.dim(), 0);
            l.add(p + "attn_output.weight", c.dim(), c.qDim(), 0);
            l.add(p + "ffn_norm.weight", 1, c.dim(), 0);
            if (c.isMoe()) {
                l.add(p + "ffn_gate_inp.weight", c.experts(), c.dim(), 0);
                l.add(p + "ffn_gate_exps.weight", c.ffnDim(), c.dim(), c.experts());
                l.add(p + "ffn_up_exps.weight", c.ffnDim(), c.dim(), c.experts());
                l.add(p + "ffn_down_exps.weight", c.dim(), c.ffnDim(), c.experts());
            } else {
                l.add(p + "ffn_gate.weight", c.ffnDim(), c.dim(), 0);
                l.add(p + "ffn_up.weight", c.ffnDim(), c.dim(), 0);
                l.add(p + "ffn_down.weight", c.dim(), c.ffnDim(), 0);
            }
        }
        l.add("output_norm.weight", 1, c.dim(), 0);
        l.add("output.weight", c.vocabSize(), c.dim(), 0);
        return l;
    }

    private void add(String name, int rows, int cols, int experts) {
        Slice s = new Slice(name, total, rows, cols, experts);
        long end = (long) total + s.size();
        if (end > Integer.MAX_VALUE - 8) throw new StrataException("model too large for a flat float buffer");
        slices.put(name, s);
        total = (int) end;
    }

    public Slice get(String name) {
        Slice s = slices.get(name);
        if (s == null) throw new StrataException("no parameter tensor named " + name);
        return s;
    }

    public int offset(String name) {
        return get(name).offset();
    }

    public List<Slice> slices() {
        return Collections.unmodifiableList(new ArrayList<>(slices.values()));
    }

    public int totalSize() {
        return total;
    }
}
