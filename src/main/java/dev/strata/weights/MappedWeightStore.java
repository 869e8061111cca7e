package dev.strata.weights;

import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufFormatException;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Tensor;
import java.util.concurrent.ConcurrentHashMap;
import dev.strata.model.ExpertNames;

/**
 * Weights as zero-copy slices of the memory-mapped GGUF file. Given the kernels, matmul weights
 * also get the kernels' repacked copy (native Q4_0/Q8_0), held off-heap until close; the mapping
 * itself is never written, only its pages of repacked tensors released after the copy.
 */
public final class MappedWeightStore implements WeightStore {
    private final GgufFile file;
    private final RepackedWeights repacked;
    private final ConcurrentHashMap<String, Tensor[]> expertSlices = new ConcurrentHashMap<>();

    public MappedWeightStore(GgufFile file) {
        this(file, null, false);
    }

    /**
     * As {@link #MappedWeightStore(GgufFile)}, with matmul weights repacked for these kernels;
     * {@code releaseRepacked}: drop the mapped pages of repacked tensors (not for an mlocked file).
     */
    public MappedWeightStore(GgufFile file, KernelProvider kernels, boolean releaseRepacked) {
        this.file = file;
        this.repacked = new RepackedWeights(file, kernels, releaseRepacked);
    }

    @Override
    public Tensor matmulWeight(Tensor t) {
        return repacked.of(t);
    }

    @Override
    public Tensor tensor(String name) {
        return file.tensor(name);
    }

    @Override
    public Tensor expert(int layer, String kind, int expert) {
        String name = ExpertNames.stacked(layer, kind);
        if (file.tensor(name) == null && ExpertNames.isPacked(file)) return file.requireTensor(ExpertNames.packed(layer, kind, expert));
        Tensor[] slices = expertSlices.computeIfAbsent(name, n -> {
            Tensor t = file.requireTensor(n);
            if (t.shape().length != 3) throw new GgufFormatException(file.name(), "expert tensor '" + n + "' must be 3-D");
            Tensor[] s = new Tensor[(int) t.shape()[2]];
            for (int e = 0; e < s.length; e++) s[e] = t.slice(e);
            return s;
        });
        return slices[expert];
    }

    @Override
    public GgufFile file() {
        return file;
    }

    @Override
    public void close() {
        file.close();
        repacked.close();
    }
}
