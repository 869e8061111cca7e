package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufWriter;
import dev.strata.tools.quantize.TypeChoice;
import dev.strata.tools.synth.SynthModel;
import dev.strata.tools.synth.SynthShape;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tokenizer.HfTokenizerJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a deterministic random-weight model of a real model's shape (for tests and benchmarks).")
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--arch", paramLabel = "ARCH", description = "llama, qwen2, qwen3, qwen2moe or qwen3moe (alone: that architecture's tiny shape)")
    String arch;

    @Option(names = "--preset", paramLabel = "NAME", description = "shape preset: llama-3.2-1b, qwen3-0.6b, qwen3-30b-a3b, mixtral-8x7b, tiny-<arch>")
    String preset;

    @Option(names = "--type", paramLabel = "TYPE", description = "matrix type: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K (default: F16); norms stay F32")
    String type = "F16";

    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: 42)")
    long seed = 42;

    @Option(names = "--vocab-from", paramLabel = "FILE", description = "copy the tokenizer (tokenizer.* metadata) and vocabulary size from this GGUF")
    Path vocabFrom;

    @Option(names = "--tokenizer-json", paramLabel = "FILE",
            description = "take the tokenizer from a Hugging Face tokenizer.json (byte-level BPE; tokenizer_config.json beside it supplies BOS/EOS and the chat template)")
    Path tokenizerJson;

    @Option(names = "--router-skew", paramLabel = "S", description = "MoE: Zipf-like expert popularity, router row of rank r scaled by (r+1)^-S (default: 0 = uniform)")
    double routerSkew;

    @Option(names = "--block-count", paramLabel = "N", description = "override the preset's number of layers")
    int blockCount;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "GGUF file to write")
    Path output;

    @Override
    public Integer call() {
        SynthShape shape = SynthShape.resolve(arch, preset);
        if (blockCount != 0) shape = shape.withLayers(blockCount);
        if (routerSkew != 0 && !shape.isMoe()) throw new StrataException("--router-skew needs a MoE shape");
        GgmlType matrixType = TypeChoice.parseWritable(type);
        if (vocabFrom != null && !Files.isRegularFile(vocabFrom)) throw new StrataException(vocabFrom + ": no such file");
        String name = "synth-" + (preset != null ? preset : "tiny-" + arch);
        SynthModel model = new SynthModel(shape, matrixType, seed, routerSkew);
        SynthShape written;
        if (vocabFrom != null && tokenizerJson != null) throw new StrataException("give --vocab-from or --tokenizer-json, not both");
        if (tokenizerJson != null) {
            if (!Files.isRegularFile(tokenizerJson)) throw new StrataException(tokenizerJson + ": no such file");
            vocabFrom = tokenizerGguf(tokenizerJson);
        }
        try (var progress = Progress.gguf("synth")) {
            if (vocabFrom != null) {
                try (GgufFile vocab = GgufFile.open(vocabFrom)) {
                    written = model.write(output, vocab, name);
                }
            } else {
                written = model.write(output, null, name);
            }
        }
        if (tokenizerJson != null) deleteQuietly(vocabFrom);
        System.out.printf("wrote %s: %s, %d layers, embd %d, vocab %d, %s matrices, seed %d%n", output, written.arch(),
                written.layers(), written.embd(), written.vocab(), matrixType, seed);
        return 0;
    }

    /** The tokenizer.json as a metadata-only GGUF, so synth copies it like any other --vocab-from file. */
    static Path tokenizerGguf(Path tokenizerJson) {
        HfTokenizerJson tokenizer = HfTokenizerJson.read(tokenizerJson);
        try {
            Path tmp = Files.createTempFile("strata-tokenizer", ".gguf");
            GgufWriter w = new GgufWriter();
            tokenizer.writeTo(w);
            w.write(tmp);
            return tmp;
        } catch (java.io.IOException e) {
            throw new StrataException("cannot write a temporary file: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (java.io.IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
