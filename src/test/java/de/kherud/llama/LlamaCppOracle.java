package de.kherud.llama;

import de.kherud.llama.args.LogFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * llama.cpp in process (de.kherud:llama bundles it) as an independent oracle. Lives in the
 * library's package to pass token ids as the prompt, which its public API only takes as text.
 * The JVM must end with System.exit once it has been loaded (it hangs on shutdown otherwise):
 * surefire's forked booter does that.
 */
public final class LlamaCppOracle implements AutoCloseable {
    private final LlamaModel model;

    static {
        LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> {});
    }

    public LlamaCppOracle(Path gguf, int ctx) {
        this.model = new LlamaModel(new ModelParameters().setModel(gguf.toString()).setCtxSize(ctx).setThreads(2).setBatchSize(512));
    }

    /** Greedy continuation of the given prompt ids: one text piece per generated token. */
    public List<String> greedyPieces(int[] promptIds, int n) {
        InferenceParameters p = new InferenceParameters("").setNPredict(n).setTemperature(0f).setTopK(1).setSeed(1)
                .setIgnoreEos(true).setCachePrompt(false);
        p.parameters.put("prompt", Arrays.stream(promptIds).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")));
        List<String> pieces = new ArrayList<>();
        for (LlamaOutput o : model.generate(p)) if (!(o.stop && o.text.isEmpty())) pieces.add(o.text);
        return pieces;
    }

    /** llama.cpp's own text for one token id. */
    public String piece(int id) {
        return model.decode(new int[] {id});
    }

    public int[] tokenize(String text) {
        return model.encode(text);
    }

    @Override
    public void close() {
        model.close();
    }
}
