package dev.strata.bench;

import dev.strata.tensor.quant.Activations;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.tensor.Tensor;
import dev.strata.tensor.quant.Quants;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.CommandLineOptionException;

/**
 * Single-threaded matmul throughput per kernel provider and weight type. The weights fill
 * {@code weightMiB} of off-heap memory (default 1 GiB, well beyond the caches) split into
 * {@code rows x cols} matrices that successive invocations cycle through, so every call streams
 * weights from DRAM as the forward pass does. Score: matmuls (of one matrix) per second. The
 * Vector API code needs several seconds of warmup before C2 compiles it; shorter warmups mislead.
 * Native Q4_0/Q8_0 matrices get their repacked copy as at load (add {@code -jvmArgsAppend
 * -Dstrata.repack=0} for the row tiles over the original layout).
 *
 * <p>Run: {@code ./strata jmh [JMH options]}. The fork inherits this JVM's flags (jvm.options), so
 * only the heap size is added here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class KernelBench {

    @Param({"scalar", "panama"})
    public String kernels;

    @Param({"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K", "F16", "BF16", "F32"})
    public String type;

    @Param({"1024"})
    public int weightMiB;

    @Param({"4096"})
    public int cols;

    @Param({"1024"})
    public int rows;

    @Param({"1"})
    public int nTokens;

    private Arena arena;
    private Tensor[] matrices;
    private KernelProvider provider;
    private Activations x;
    private float[] out;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.parse(type);
        // "native-avx2" etc. runs one native level (-p kernels=native-portable,native-avx2,native-avx512vnni)
        provider = kernels.startsWith("native-")
                ? new dev.strata.tensor.NativeKernels(dev.strata.tensor.NativeLevel.parse(kernels.substring(7))) : Kernels.select(kernels);
        long matrixBytes = t.bytesFor((long) cols * rows);
        int count = (int) Math.max(1, ((long) weightMiB << 20) / matrixBytes);
        arena = Arena.ofShared();
        MemorySegment all = arena.allocate(matrixBytes * count, 64);
        MemorySegment seed = seedMatrix(t, matrixBytes);
        matrices = new Tensor[count];
        for (int i = 0; i < count; i++) {
            MemorySegment slice = all.asSlice(matrixBytes * i, matrixBytes);
            slice.copyFrom(seed);
            // as a weight store hands them over: native Q4_0/Q8_0 repacked unless -Dstrata.repack=0
            matrices[i] = provider.repack(new Tensor("w" + i, t, new long[] {cols, rows}, slice), arena);
        }
        float[] input = gaussian(new Random(2), cols * nTokens);
        x = provider.prepare(t, input, nTokens, cols);
        out = new float[rows * nTokens];
    }

    /** One matrix of properly quantized random rows (64 distinct rows repeated). */
    private MemorySegment seedMatrix(GgmlType t, long matrixBytes) {
        int distinct = Math.min(rows, 64);
        long rowBytes = t.bytesFor(cols);
        float[] values = gaussian(new Random(1), cols * distinct);
        MemorySegment seed = arena.allocate(matrixBytes, 64);
        for (int r = 0; r < distinct; r++) Quants.quantize(t, values, r * cols, cols, seed, r * rowBytes);
        for (int r = distinct; r < rows; r++) seed.asSlice(r * rowBytes, rowBytes).copyFrom(seed.asSlice((long) (r % distinct) * rowBytes, rowBytes));
        return seed;
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * 0.05);
        return v;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] matmul() {
        Tensor w = matrices[next];
        next = next + 1 == matrices.length ? 0 : next + 1;
        provider.matmul(w, x, out, rows, 0, rows);
        return out;
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions options = new CommandLineOptions(args.length == 0 ? new String[] {KernelBench.class.getSimpleName()} : args);
        if (options.getIncludes().isEmpty()) options = new CommandLineOptions(concat(args, KernelBench.class.getSimpleName()));
        new Runner(options).run();
    }

    private static String[] concat(String[] args, String extra) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }
}
