package de.kherud.llama;

import de.kherud.llama.args.LogFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Collectors;

/**
 * Times llama.cpp in process (the de.kherud:llama bundle) for {@code strata bench --vs-llamacpp}.
 * Lives in the library's package to pass token ids as the prompt, which its public API only
 * takes as text. Timing is taken from Java around the streamed generation: prompt processing is
 * the latency to the first token (n_predict = 1); decoding is the time from the first streamed
 * token to the end of generation. Once loaded, llama.cpp's native threads keep the JVM from
 * shutting down, so callers must end with System.exit.
 */
public final class LlamaCppRunner implements AutoCloseable {
    private final LlamaModel model;

    public LlamaCppRunner(Path gguf, int contextSize, int threads, int batchSize) {
        ModelParameters params = new ModelParameters().setModel(gguf.toString()).setCtxSize(contextSize)
                .setThreads(threads).setThreadsBatch(threads).setBatchSize(batchSize).setUbatchSize(Math.min(batchSize, 512));
        // loading the library's class announces the extracted native library on stdout, which would corrupt -o json/csv
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> {});
            this.model = new LlamaModel(params);
        } finally {
            System.setOut(stdout);
        }
    }

    /** Nanoseconds to evaluate the prompt and sample one token from it. */
    public long promptNanos(int[] prompt) {
        Iterator<LlamaOutput> it = model.generate(request(prompt, 1)).iterator();
        long t0 = System.nanoTime();
        it.next();
        long nanos = System.nanoTime() - t0;
        while (it.hasNext()) it.next();
        return nanos;
    }

    /** Nanoseconds for {@code steps} single-token decodes after a one-token prompt. */
    public long decodeNanos(int promptToken, int steps) {
        Iterator<LlamaOutput> it = model.generate(request(new int[] {promptToken}, steps + 1)).iterator();
        it.next(); // the token sampled from the prompt: not a decode step
        long t0 = System.nanoTime();
        while (it.hasNext()) it.next();
        return System.nanoTime() - t0;
    }

    private static InferenceParameters request(int[] prompt, int nPredict) {
        InferenceParameters p = new InferenceParameters("").setNPredict(nPredict).setTemperature(0f).setTopK(1).setSeed(1)
                .setIgnoreEos(true).setCachePrompt(false);
        p.parameters.put("prompt", Arrays.stream(prompt).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")));
        return p;
    }

    @Override
    public void close() {
        model.close();
    }
}
