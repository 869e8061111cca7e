package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.runtime.Engine;
import dev.strata.model.DefaultModel;
import dev.strata.research.Plan;
import dev.strata.research.Plans;
import dev.strata.tools.quantize.LayerTypes;
import dev.strata.tools.quantize.QuantizedEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every model-running command shares, named as in llama.cpp. */
public final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model file (default: $STRATA_MODEL, else the embedded default model)")
    public Path model;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", description = "context size in tokens (default: the model's, at most 4096)")
    public int contextSize;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "threads (default: all cores)")
    public int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--kernels", paramLabel = "NAME", description = "kernel set: auto, native, panama or scalar (default: auto: native when libstrata loads and the CPU has AVX2, else panama)")
    public String kernels = "auto";

    @Option(names = "--layers", paramLabel = "SPEC", description = "layer path, e.g. 0-9,7-9,10-31 or dup:7-9, skip:20-22, loop:7-9x3")
    public String layers;

    @Option(names = "--max-plan-steps", paramLabel = "N", description = "longest layer path accepted, from --layers or a request (default: 4x the layer count)")
    public int maxPlanSteps;

    @Option(names = "--experts-per-token", paramLabel = "K", description = "MoE: experts per token (default: the model's)")
    public int expertsPerToken;

    @Option(names = "--plan", paramLabel = "FILE#NAME", description = "run a plan kept by strata research (its layer path, experts per token and weight types), e.g. runs/r1/plans.json#dup-1-2")
    public String plan;

    @Option(names = "--quant", paramLabel = "LAYERS=TYPE", description = "requantize layers' weights in memory, no file written: comma-separated N=TYPE, A-B=TYPE or *=TYPE, e.g. 2=Q4_0 or *=Q4_K")
    public String quant;

    @picocli.CommandLine.Mixin
    public StreamingFlags streaming = new StreamingFlags();

    @Option(names = {"-ngl", "--gpu-layers", "--n-gpu-layers"}, paramLabel = "N",
            description = "accepted as llama.cpp does; Strata runs on the CPU, so it has no effect")
    public Integer gpuLayers;

    @Option(names = "--no-mmap", description = "read the weights into memory instead of mapping the file (slower start; later changes to the file cannot affect a running process)")
    public boolean noMmap;

    @Option(names = "--mlock", description = "lock the weights in RAM so the OS never pages them out (needs a high enough 'ulimit -l')")
    public boolean mlock;

    @Option(names = "--verbose", description = "show stack traces on errors")
    public boolean verbose;

    /** Sets --layers, --experts-per-token and --quant from --plan; giving both is an error. */
    public void applyPlan() {
        if (plan == null) return;
        if (layers != null || expertsPerToken != 0 || quant != null) throw new StrataException("give --plan or --layers/--experts-per-token/--quant, not both");
        Plan p = Plans.resolve(plan);
        layers = p.layers();
        expertsPerToken = p.expertsPerToken();
        quant = p.quant();
        plan = null;
    }

    public Path resolveModel() {
        applyPlan();
        if (model == null) model = DefaultModel.resolve();
        if (Files.isDirectory(model)) throw new StrataException(model + ": is a directory, not a GGUF file");
        if (!Files.isRegularFile(model)) throw new StrataException(model + ": no such file");
        return model;
    }

    public dev.strata.gguf.LoadOptions loadOptions() {
        return new dev.strata.gguf.LoadOptions(!noMmap, mlock);
    }

    public Engine open() {
        return open(threads);
    }

    /** As {@link #open()} with {@code engineThreads} threads per forward pass (demo runs one per sequence). */
    public Engine open(int engineThreads) {
        if (gpuLayers != null) System.err.println("strata: -ngl " + gpuLayers + " has no effect: Strata runs on the CPU");
        if (contextSize < 0) throw new StrataException("context size must be positive, got " + contextSize);
        if (maxPlanSteps < 0) throw new StrataException("--max-plan-steps must be >= 1, got " + maxPlanSteps);
        Path file = resolveModel();
        Engine engine;
        if (quant == null) engine = Engine.open(file, engineThreads, kernels, streaming.options(), loadOptions());
        else if (streaming.options() != null) throw new StrataException("--quant (or a plan with weight types) needs the mapped model, not expert streaming");
        else engine = QuantizedEngine.open(file, engineThreads, kernels, loadOptions(), LayerTypes.parse(quant));
        return engine.limitPlanSteps(maxPlanSteps);
    }
}
