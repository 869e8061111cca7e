package dev.strata.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's memory read bandwidth: every thread streams its share of a buffer far
 * larger than the caches with the Vector API, best of a few passes. The result is cached per
 * thread count, because the probe costs a second or two and the hardware does not change.
 */
public final class BandwidthProbe {
    public static final long DEFAULT_BYTES = 1L << 30;
    /** Weights per token above which a read must come from DRAM, whatever the CPU's caches. */
    public static final long UNCACHED_BYTES = 256L << 20;
    private static final int PASSES = 4;
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BandwidthProbe() {}

    public static Path defaultCacheFile() {
        return Path.of(System.getProperty("user.home"), ".cache", "strata", "bandwidth.json");
    }

    /**
     * Bytes per second for this CPU and thread count, from the cache file if measured there within
     * {@link #CACHE_LIFETIME}, else measured now and stored. Keyed by CPU model because the home
     * directory may outlive the machine; expiring because a shared host's bandwidth drifts.
     */
    public static double cachedOrMeasure(int threads, Path cacheFile) {
        return cachedOrMeasure(threads, cacheFile, CpuInfo.modelName(), java.time.Instant.now(), () -> measure(threads, DEFAULT_BYTES), false);
    }

    static final java.time.Duration CACHE_LIFETIME = java.time.Duration.ofDays(7);

    /**
     * The cached figure, unless a run has just read weights faster than it: then the probe ran while
     * the machine was busy, so it is measured again now (and the share of the limit stays capped at 100 %).
     * Pass only reads of weights larger than any CPU cache ({@link #UNCACHED_BYTES}); smaller ones may beat DRAM.
     */
    public static double checked(int threads, Path cacheFile, double observedBytesPerSecond) {
        double cached = cachedOrMeasure(threads, cacheFile);
        if (observedBytesPerSecond <= cached) return cached;
        return cachedOrMeasure(threads, cacheFile, CpuInfo.modelName(), java.time.Instant.now(), () -> measure(threads, DEFAULT_BYTES), true);
    }

    static double cachedOrMeasure(int threads, Path cacheFile, String cpu, java.time.Instant now, java.util.function.DoubleSupplier probe) {
        return cachedOrMeasure(threads, cacheFile, cpu, now, probe, false);
    }

    private static double cachedOrMeasure(int threads, Path cacheFile, String cpu, java.time.Instant now, java.util.function.DoubleSupplier probe,
                                          boolean again) {
        String key = cpu + " | " + threads + " threads";
        ObjectNode cache = readCache(cacheFile);
        if (!again && cache.get(key) instanceof ObjectNode entry && entry.path("bytes_per_second").asDouble() > 0) {
            var measuredAt = java.time.Instant.ofEpochSecond(entry.path("measured_at").asLong());
            if (!measuredAt.isAfter(now) && measuredAt.plus(CACHE_LIFETIME).isAfter(now)) return entry.get("bytes_per_second").asDouble();
        }
        double bytesPerSecond = probe.getAsDouble();
        cache.putObject(key).put("bytes_per_second", bytesPerSecond).put("measured_at", now.getEpochSecond());
        try {
            Files.createDirectories(cacheFile.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(cacheFile.toFile(), cache);
        } catch (IOException e) {
            System.err.println("warning: could not cache the bandwidth in " + cacheFile + ": " + e.getMessage());
        }
        return bytesPerSecond;
    }

    private static ObjectNode readCache(Path cacheFile) {
        if (!Files.isRegularFile(cacheFile)) return JSON.createObjectNode();
        try {
            return JSON.readTree(cacheFile.toFile()) instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode(); // a damaged cache is simply measured again
        }
    }

    /** Streams {@code bytes} of off-heap memory with {@code threads} threads; returns the best bytes per second. */
    public static double measure(int threads, long bytes) {
        if (threads < 1) throw new StrataException("threads must be positive, got " + threads);
        long chunk = Math.max(SPECIES.vectorByteSize(), bytes / threads / SPECIES.vectorByteSize() * SPECIES.vectorByteSize());
        long total = chunk * threads;
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MemorySegment buffer = arena.allocate(total, 64);
            buffer.fill((byte) 1); // touch every page so the passes measure reads, not page faults
            double best = 0;
            long sink = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                List<Future<Long>> parts = new ArrayList<>(threads);
                long t0 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    MemorySegment part = buffer.asSlice(t * chunk, chunk);
                    parts.add(pool.submit(() -> sum(part)));
                }
                for (Future<Long> f : parts) sink += f.get();
                long nanos = System.nanoTime() - t0;
                best = Math.max(best, total * 1e9 / nanos);
            }
            if (sink == 42) System.err.print(""); // keeps the reads observable to the JIT
            return best;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("bandwidth probe interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new StrataException("bandwidth probe failed: " + e.getCause());
        }
    }

    private static long sum(MemorySegment part) {
        long step = SPECIES.vectorByteSize();
        LongVector a = LongVector.zero(SPECIES), b = LongVector.zero(SPECIES);
        long end = part.byteSize() - 2 * step, off = 0;
        for (; off <= end; off += 2 * step) {
            a = a.add(LongVector.fromMemorySegment(SPECIES, part, off, ByteOrder.nativeOrder()));
            b = b.add(LongVector.fromMemorySegment(SPECIES, part, off + step, ByteOrder.nativeOrder()));
        }
        for (; off + step <= part.byteSize(); off += step) {
            a = a.add(LongVector.fromMemorySegment(SPECIES, part, off, ByteOrder.nativeOrder()));
        }
        return a.add(b).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** Share of the bandwidth limit a decode rate reaches: bytes read per token x tokens/s / bytes/s. */
    public static double fractionOfLimit(double weightBytesPerToken, double tokensPerSecond, double bandwidthBytesPerSecond) {
        if (bandwidthBytesPerSecond <= 0) throw new StrataException("bandwidth must be positive, got " + bandwidthBytesPerSecond);
        // a model small enough to stay in the CPU caches reads faster than DRAM streams: that is 100 %, not more
        return Math.min(1.0, weightBytesPerToken * tokensPerSecond / bandwidthBytesPerSecond);
    }
}
