package dev.strata.cli;

import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufInspect;
import dev.strata.model.Model;
import dev.strata.model.ModelConfig;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.tensor.NativeLibrary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a model's metadata, tensors, parameter counts and bytes per type.")
public final class InfoCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Override
    public Integer call() {
        try (GgufFile f = GgufFile.open(model.resolveModel())) {
            System.out.println(GgufInspect.render(f));
        }
        KernelProvider kernels = Kernels.select(model.kernels);
        try (Model m = Model.load(model.resolveModel(), kernels)) {
            ModelConfig c = m.config();
            int k = model.expertsPerToken > 0 ? model.expertsPerToken : c.expertUsedCount();
            System.out.printf("architecture: %s%nlayers: %d, embedding: %d, heads: %d (kv %d), head dim: %d, vocab: %d, context: %d%n",
                    c.architecture(), c.blockCount(), c.embeddingLength(), c.headCount(), c.headCountKv(), c.headDim(), c.vocabSize(), c.contextLength());
            if (c.isMoe()) System.out.printf("experts: %d, used per token: %d%s%n", c.expertCount(), k, c.hasSharedExpert() ? " + shared expert" : "");
            System.out.printf("parameters: %,d total, %,d active per token%n", m.parameterCount(), m.activeParameterCount(k));
            System.out.println("kernels: " + model.kernels + " -> " + kernels.name() + "; " + NativeLibrary.describe());
        }
        return 0;
    }
}
