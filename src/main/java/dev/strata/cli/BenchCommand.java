package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.bench.BandwidthProbe;
import dev.strata.bench.BatchedBench;
import dev.strata.bench.BenchReport;
import dev.strata.bench.BatchedDecodeBench;
import dev.strata.bench.BenchResult;
import dev.strata.bench.CpuInfo;
import dev.strata.bench.LayerPathBench;
import dev.strata.bench.LlamaCppBenchRunner;
import dev.strata.bench.MeasurementLog;
import dev.strata.bench.ModelDescription;
import dev.strata.bench.SideBySide;
import dev.strata.bench.StrataBenchRunner;
import dev.strata.bench.llamacpp.LlamaCppLibrary;
import dev.strata.runtime.Engine;
import dev.strata.model.DefaultModel;
import dev.strata.tensor.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prompt processing (pp) and token generation (tg) speed, as llama-bench does,",
                "with weight MB and GFLOP per token and the share of the memory-bandwidth limit decode reaches."})
public final class BenchCommand implements Callable<Integer> {
    enum OutputFormat { md, json, csv }

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model file (repeatable; default: $STRATA_MODEL, else the embedded default model)")
    List<Path> models;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "N", description = "prompt tokens per pp test, 0 to skip (default: ${DEFAULT-VALUE})")
    int promptTokens = 512;

    @Option(names = {"-n", "--n-gen"}, paramLabel = "N", description = "generated tokens per tg test, 0 to skip (default: ${DEFAULT-VALUE})")
    int generatedTokens = 128;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", description = "repetitions of each test (default: ${DEFAULT-VALUE})")
    int repetitions = 5;

    @Option(names = "--warmup-ms", paramLabel = "MS", description = "warm-up per test before timing: at least one run, repeated for MS milliseconds (default: ${DEFAULT-VALUE})")
    long warmupMillis = 1000;

    @Option(names = "--kernels", paramLabel = "NAME", description = "kernel set: auto, native, panama or scalar (default: ${DEFAULT-VALUE})")
    String kernels = "auto";

    @Option(names = "--layers", paramLabel = "SPEC", description = {"layer path, e.g. 0-9,7-9,10-31 or skip:20-22; repeatable:",
            "each path gets its rows, beside the model's own path, with KV cache and resident memory"})
    List<String> layers = new ArrayList<>();

    @Option(names = "--experts-per-token", paramLabel = "K", description = "MoE: experts per token (default: the model's)")
    int expertsPerToken;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat output = OutputFormat.md;

    @Option(names = "--vs-llamacpp", description = {"also run each model through llama.cpp (the npm prebuilt, its best CPU variant",
            "for this machine, in process) with the same tokens and threads, and print the ratio"})
    boolean vsLlamaCpp;

    @Option(names = "--llamacpp-dir", paramLabel = "DIR", description = "folder of libllama and libggml-cpu-*.so (default: target/llamacpp-npm/package/bins/linux-x64 beside the jar)")
    Path llamaCppDir;

    @Option(names = "--batch", paramLabel = "B,...", split = ",", description = "also measure decode of B sequences advancing together (llama-batched-bench style), e.g. 1,2,4,8,16")
    List<Integer> batches = new ArrayList<>();

    @Option(names = "--batch-prompt", paramLabel = "N", description = "prompt tokens per sequence before --batch decode (default: ${DEFAULT-VALUE})")
    int batchPrompt = 128;

    @Option(names = "--log", paramLabel = "FILE", description = "append one JSON line per timed repetition to FILE")
    Path logFile;

    @Option(names = "--bandwidth-cache", paramLabel = "FILE", description = "where the measured read bandwidth is cached (default: ~/.cache/strata/bandwidth.json)")
    Path bandwidthCache = BandwidthProbe.defaultCacheFile();

    @picocli.CommandLine.Mixin
    StreamingFlags streaming = new StreamingFlags();

    @Option(names = "--verbose", description = "show stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() {
        if (models == null || models.isEmpty()) models = List.of(DefaultModel.resolve());
        validate();
        if (!batches.isEmpty() && !vsLlamaCpp) return batched();
        List<BenchResult> results = new ArrayList<>();
        layerReports.clear();
        var bar = Progress.bar("bench", -1, " runs", 1);
        try (MeasurementLog log = (logFile == null ? MeasurementLog.none() : MeasurementLog.appendingTo(logFile))
                .onMeasurement(() -> { if (bar != null) bar.step(); })) {
            for (Path model : models) results.addAll(benchModel(model, log));
        } finally {
            if (bar != null) bar.close();
        }
        double fastest = results.stream().filter(r -> r.test().startsWith("tg") && r.weightBytesPerToken() != null
                        && r.weightBytesPerToken() > BandwidthProbe.UNCACHED_BYTES)
                .mapToDouble(r -> r.weightBytesPerToken() * r.mean()).max().orElse(0);
        double bandwidth = BandwidthProbe.checked(threads, bandwidthCache, fastest);

        List<BenchResult> withFractions = results.stream().map(r -> r.test().startsWith("tg") && r.weightBytesPerToken() != null
                ? r.withBandwidthFraction(BandwidthProbe.fractionOfLimit(r.weightBytesPerToken(), r.mean(), bandwidth)) : r).toList();
        System.out.print(new BenchReport(withFractions, bandwidth, threads).render(output.name()));
        if (output == OutputFormat.md) layerReports.forEach(System.out::print);
        if (!batchRows.isEmpty()) System.out.print(BatchedDecodeBench.markdown(batchRows));
        if (output == OutputFormat.md) {
            System.out.println("\ncpu: " + CpuInfo.modelName() + "; strata kernels: " + kernels + " -> " + NativeLibrary.describe()
                    + (llamaCppVariant == null ? "" : "; llama.cpp CPU variant: " + llamaCppVariant));
        }
        System.out.flush();
        return 0;
    }

    private void validate() {
        if (promptTokens < 0) throw new StrataException("-p must be 0 or more, got " + promptTokens);
        if (generatedTokens < 0) throw new StrataException("-n must be 0 or more, got " + generatedTokens);
        if (promptTokens == 0 && generatedTokens == 0) throw new StrataException("nothing to measure: -p and -n are both 0");
        if (repetitions < 1) throw new StrataException("-r must be at least 1, got " + repetitions);
        if (warmupMillis < 0) throw new StrataException("--warmup-ms must be 0 or more, got " + warmupMillis);
        if (threads < 1) throw new StrataException("-t must be at least 1, got " + threads);
        for (Path m : models) if (!Files.isRegularFile(m)) throw new StrataException(m + ": no such file");
        for (int b : batches) if (b < 1) throw new StrataException("--batch sizes must be at least 1, got " + b);
        if (!batches.isEmpty() && generatedTokens == 0) throw new StrataException("--batch needs -n > 0 decode steps");
        if (batchPrompt < 1) throw new StrataException("--batch-prompt must be at least 1, got " + batchPrompt);
        if (vsLlamaCpp) { // before any Strata run, so a missing llama.cpp costs nothing
            LlamaCppLibrary.echoLog(verbose);
            if (LlamaCppLibrary.get(llamaCppDir, LlamaCppLibrary.Variant.BEST) == null) {
                throw new StrataException("--vs-llamacpp: " + LlamaCppLibrary.unavailableReason());
            }
        }
    }

    /** --batch alone: Strata's batched decode with the roofline columns (with --vs-llamacpp, the side-by-side table instead). */
    private int batched() {
        String path = layers.isEmpty() ? null : layers.getFirst();
        for (Path model : models) {
            try (Engine engine = Engine.open(model, threads, kernels, streaming.options())) {
                var rows = BatchedBench.run(engine, batchPrompt, generatedTokens, batches, path, expertsPerToken);
                double bandwidth = BandwidthProbe.checked(threads, bandwidthCache, BatchedBench.fastestRead(rows));
                String header = String.format(java.util.Locale.ROOT,
                        "model: %s%ncpu: %s, threads: %d, kernels: %s (Vector API %d-bit)%nKV cache: %d bytes per token%n"
                                + "read bandwidth: %.2f GB/s (streaming probe)%n",
                        model.getFileName(), BatchedBench.cpuModel(), threads, engine.kernels().name(),
                        jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize(),
                        BatchedBench.kvBytesPerToken(engine, path, expertsPerToken), bandwidth / 1e9);
                System.out.println(BatchedBench.markdown(rows, header, bandwidth));
            }
        }
        return 0;
    }

    private final List<String> layerReports = new ArrayList<>();
    private final List<BatchedDecodeBench.Row> batchRows = new ArrayList<>();
    private String llamaCppVariant;

    private int[] batchPromptTokens(int vocabSize) {
        return StrataBenchRunner.randomTokens(batchPrompt, vocabSize);
    }

    private int[] batchSteps(int vocabSize) {
        int[] t = StrataBenchRunner.randomTokens(batchPrompt + generatedTokens, vocabSize);
        return java.util.Arrays.copyOfRange(t, batchPrompt, t.length);
    }

    private List<BenchResult> benchModel(Path file, MeasurementLog log) {
        List<BenchResult> rows = new ArrayList<>();
        BenchResult pp = null, tg = null;
        ModelDescription description;
        int vocabSize;
        boolean sideBySide = vsLlamaCpp && layers.isEmpty();
        try (Engine engine = Engine.open(file, threads, kernels, streaming.options());
             LlamaCppBenchRunner llama = sideBySide ? openLlamaCpp(file, log) : null) {
            description = ModelDescription.of(engine.model().store().file());
            vocabSize = engine.model().config().vocabSize();
            StrataBenchRunner strata = new StrataBenchRunner(engine, null, expertsPerToken, warmupMillis, log);
            if (!layers.isEmpty()) {
                var paths = LayerPathBench.run(engine, file, description, layers, expertsPerToken, threads, promptTokens,
                        generatedTokens, repetitions, warmupMillis, log);
                rows.addAll(paths.results());
                layerReports.add(LayerPathBench.markdown(paths));
                pp = rows.stream().filter(r -> r.test().startsWith("pp")).findFirst().orElse(null);
                tg = rows.stream().filter(r -> r.test().startsWith("tg")).findFirst().orElse(null);
            } else if (sideBySide) {
                if (expertsPerToken != 0) System.err.println("warning: llama.cpp runs the model's own experts; --experts-per-token applies to Strata only");
                if (promptTokens > 0) rows.addAll(SideBySide.prompt(strata, llama, description, threads, promptTokens, repetitions, vocabSize, log));
                if (generatedTokens > 0) rows.addAll(SideBySide.generation(strata, llama, description, threads, generatedTokens, repetitions, vocabSize, log));
                rows.sort(java.util.Comparator.comparing(r -> !BenchReport.STRATA.equals(r.backend()))); // Strata's rows first, as before
            } else {
                if (promptTokens > 0) rows.add(strata.promptProcessing(description, threads, promptTokens, repetitions));
                if (generatedTokens > 0) rows.add(strata.tokenGeneration(description, threads, generatedTokens, repetitions));
            }
            for (int b : batches) { // Strata then llama.cpp for each B, so both see the same load
                batchRows.add(new BatchedDecodeBench.Row(description.label(), BenchReport.STRATA + " " + StrataBenchRunner.kernelsLabel(engine.kernels()), b, batchPrompt,
                        generatedTokens, BatchedDecodeBench.strata(engine, b, batchPromptTokens(vocabSize), batchSteps(vocabSize), repetitions)));
                if (llama != null) {
                    batchRows.add(new BatchedDecodeBench.Row(description.label(), BenchReport.LLAMA_CPP + " " + llama.kernels(), b, batchPrompt,
                            generatedTokens, llama.batchedDecode(b, batchPromptTokens(vocabSize), batchSteps(vocabSize), repetitions)));
                }
            }
        }
        if (vsLlamaCpp && !sideBySide) { // layer paths: llama.cpp runs the model's own layers, after Strata
            System.err.println("warning: llama.cpp runs the model's own layers and experts; --layers/--experts-per-token apply to Strata only");
            try (var llama = openLlamaCpp(file, log)) {
                if (pp != null) rows.add(llama.promptProcessing(description, StrataBenchRunner.randomTokens(promptTokens, vocabSize), repetitions, pp));
                if (tg != null) rows.add(llama.tokenGeneration(description, StrataBenchRunner.randomTokens(generatedTokens + 1, vocabSize), repetitions, tg));
            }
        }
        return rows;
    }

    private LlamaCppBenchRunner openLlamaCpp(Path file, MeasurementLog log) {
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().orElse(1);
        int perSequence = Math.max(Math.max(promptTokens, generatedTokens + 1), batches.isEmpty() ? 0 : batchPrompt + generatedTokens) + 8;
        LlamaCppBenchRunner llama = new LlamaCppBenchRunner(file, llamaCppDir, threads, Math.max(512, promptTokens), maxBatch, perSequence, verbose, log);
        llamaCppVariant = llama.variant();
        return llama;
    }
}
