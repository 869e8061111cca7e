package dev.strata.tools.quantize;

import dev.strata.gguf.GgufFile;
import dev.strata.gguf.LoadOptions;
import dev.strata.model.ModelConfig;
import dev.strata.runtime.Engine;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.weights.MappedWeightStore;
import dev.strata.weights.Model;
import dev.strata.weights.RequantizedWeightStore;
import java.nio.file.Path;

/**
 * Opens a model with per-layer weight types applied in memory ({@link LayerTypes}); no file is
 * written. The converted tensors equal what {@code strata quantize --tensor-type} writes for the
 * same types, since both run {@link dev.strata.tensor.Requantize}.
 */
public final class QuantizedEngine {
    private QuantizedEngine() {}

    public static Engine open(Path model, int threads, String kernelName, LoadOptions loading, LayerTypes types) {
        KernelProvider k = Kernels.select(kernelName);
        GgufFile f = GgufFile.open(model, loading == null ? LoadOptions.DEFAULT : loading);
        RequantizedWeightStore store;
        try {
            int layers = ModelConfig.fromGguf(f).blockCount();
            store = new RequantizedWeightStore(new MappedWeightStore(f), types.tensorTypes(f, layers));
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        Model m;
        try {
            m = Model.load(store, k);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return Engine.of(model, m, k, threads);
    }
}
