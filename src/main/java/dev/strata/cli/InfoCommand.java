package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufInspect;
import dev.strata.model.ModelConfig;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.tokenizer.Tokenizer;
import dev.strata.weights.Model;
import java.util.TreeSet;
import dev.strata.tensor.NativeLibrary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show a model's metadata, tensors, parameter counts and bytes per type, and whether Strata can run it.",
                "Exits 1 with the reason when the weights cannot load (an architecture or tensor type Strata lacks)."})
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
            TreeSet<String> types = new TreeSet<>();
            m.store().file().tensors().values().forEach(t -> types.add(t.type().name()));
            try {
                Tokenizer tokenizer = Tokenizer.fromGguf(m.store().file());
                System.out.printf("verdict: runs (%s, tensor types %s, %s tokenizer with %,d tokens)%n", c.architecture(),
                        String.join(" ", types), tokenizer.vocab().model(), tokenizer.vocab().size());
            } catch (StrataException e) {
                // the weights load and everything above is right; only text in and out is missing
                System.out.println("verdict: will not run: the weights load, but " + Main.oneLine(e.getMessage()));
            }
        } catch (StrataException e) {
            System.out.println("verdict: will not run: " + Main.oneLine(e.getMessage()));
            return 1;
        }
        return 0;
    }
}
