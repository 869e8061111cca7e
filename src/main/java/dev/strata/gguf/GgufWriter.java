package dev.strata.gguf;

import dev.strata.StrataException;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a GGUF v3 file: metadata in insertion order, then tensor infos, then each tensor's data
 * aligned to {@code general.alignment} (default 32) with zero padding, the file ending on an
 * alignment boundary as llama.cpp writes it. Tensor bytes are streamed to the file one tensor at a
 * time, so a {@link TensorSource} can generate models larger than memory.
 */
public final class GgufWriter {
    /** Writes exactly one tensor's bytes, in order, to the channel it is given. */
    @FunctionalInterface
    public interface TensorSource {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    /** llama.cpp rejects tensor names of GGML_MAX_NAME (64) bytes or more. */
    public static final int MAX_TENSOR_NAME_BYTES = 63;

    private record PendingTensor(String name, GgmlType type, long[] shape, long byteSize, TensorSource source) {}

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final Map<String, PendingTensor> tensors = new LinkedHashMap<>();

    /** Sets a key (replacing any previous value but keeping its position). */
    public GgufWriter put(String key, GgufValue value) {
        if (key == null || key.isEmpty()) throw new StrataException("gguf writer: metadata key must not be empty");
        GgufValue canonical = GgufValueRules.canonical(key, value);
        if (key.equals("general.alignment")) checkAlignment(canonical);
        metadata.put(key, canonical);
        return this;
    }

    public GgufWriter putString(String key, String v) { return put(key, GgufValue.string(v)); }
    public GgufWriter putU8(String key, int v) { return put(key, GgufValue.u8(v)); }
    public GgufWriter putI8(String key, byte v) { return put(key, GgufValue.i8(v)); }
    public GgufWriter putU16(String key, int v) { return put(key, GgufValue.u16(v)); }
    public GgufWriter putI16(String key, short v) { return put(key, GgufValue.i16(v)); }
    public GgufWriter putU32(String key, long v) { return put(key, GgufValue.u32(v)); }
    public GgufWriter putI32(String key, int v) { return put(key, GgufValue.i32(v)); }
    public GgufWriter putU64(String key, long v) { return put(key, GgufValue.u64(v)); }
    public GgufWriter putI64(String key, long v) { return put(key, GgufValue.i64(v)); }
    public GgufWriter putF32(String key, float v) { return put(key, GgufValue.f32(v)); }
    public GgufWriter putF64(String key, double v) { return put(key, GgufValue.f64(v)); }
    public GgufWriter putBool(String key, boolean v) { return put(key, GgufValue.bool(v)); }

    /**
     * An array: the Java array must match the element type as {@link GgufValue} documents (byte[]
     * for u8/i8, short[] for u16/i16, int[] for u32/i32, long[], float[], double[], boolean[],
     * String[], or GgufValue[] of arrays for nested arrays).
     */
    public GgufWriter putArray(String key, GgufValueType elementType, Object javaArray) {
        return put(key, GgufValue.array(elementType, javaArray));
    }

    public GgufWriter putStrings(String key, String... values) {
        return put(key, GgufValue.strings(values));
    }

    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    public Map<String, GgufValue> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public List<String> tensorNames() {
        return List.copyOf(tensors.keySet());
    }

    public int alignment() {
        GgufValue a = metadata.get("general.alignment");
        return a == null ? GgufFile.DEFAULT_ALIGNMENT : (int) ((Number) a.value()).longValue();
    }

    /** Adds a tensor whose bytes are in memory (or mapped); the segment must stay alive until {@link #write}. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        long expected = checkTensor(name, type, shape);
        if (data.byteSize() != expected) throw sizeMismatch(name, type, shape, data.byteSize(), expected);
        return add(name, type, shape, expected, new SegmentSource(data));
    }

    public GgufWriter addTensor(String name, GgmlType type, long[] shape, byte[] data) {
        return addTensor(name, type, shape, MemorySegment.ofArray(data));
    }

    /** Adds a tensor whose bytes are produced at write time; the source must write exactly type.bytesFor(elements) bytes. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorSource source) {
        return add(name, type, shape, checkTensor(name, type, shape), source);
    }

    public GgufWriter addTensor(Tensor t) {
        return addTensor(t.name(), t.type(), t.shape(), t.data());
    }

    private GgufWriter add(String name, GgmlType type, long[] shape, long bytes, TensorSource source) {
        if (source == null) throw new StrataException("gguf writer: tensor '" + name + "' has no data source");
        if (tensors.containsKey(name)) throw new StrataException("gguf writer: duplicate tensor '" + name + "'");
        tensors.put(name, new PendingTensor(name, type, shape.clone(), bytes, source));
        return this;
    }

    private record SegmentSource(MemorySegment data) implements TensorSource {
        @Override
        public void writeTo(WritableByteChannel out) throws IOException {
            new GgufSink(out).segment(data);
        }
    }

    private static long checkTensor(String name, GgmlType type, long[] shape) {
        if (name == null || name.isEmpty()) throw new StrataException("gguf writer: tensor name must not be empty");
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes > MAX_TENSOR_NAME_BYTES) {
            throw new StrataException("gguf writer: tensor name '" + name + "' is " + nameBytes + " bytes, more than the " + MAX_TENSOR_NAME_BYTES + " llama.cpp accepts");
        }
        if (type == null) throw new StrataException("gguf writer: tensor '" + name + "' has no type");
        if (shape == null || shape.length < 1 || shape.length > 4) {
            throw new StrataException("gguf writer: tensor '" + name + "' must have 1-4 dimensions, got " + (shape == null ? 0 : shape.length));
        }
        long n = 1;
        for (long d : shape) {
            if (d <= 0) throw new StrataException("gguf writer: tensor '" + name + "' has invalid dimension " + d + " in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        if (shape[0] % type.blockSize != 0) {
            throw new StrataException("gguf writer: tensor '" + name + "' row of " + shape[0] + " is not a multiple of the " + type + " block size " + type.blockSize);
        }
        return type.bytesFor(n);
    }

    private static StrataException sizeMismatch(String name, GgmlType type, long[] shape, long actual, long expected) {
        return new StrataException("gguf writer: tensor '" + name + "' data is " + actual + " bytes, but " + type + " "
                + Arrays.toString(shape) + " needs " + expected);
    }

    private static void checkAlignment(GgufValue v) {
        if (v.isArray() || v.type() == GgufValueType.FLOAT32 || v.type() == GgufValueType.FLOAT64 || !(v.value() instanceof Number n)) {
            throw new StrataException("gguf writer: general.alignment must be an unsigned integer, got " + v.type().name().toLowerCase());
        }
        long a = n.longValue();
        if (a <= 0 || (a & (a - 1)) != 0 || a > GgufFile.MAX_ALIGNMENT) {
            throw new StrataException("gguf writer: general.alignment " + Long.toUnsignedString(a) + " is not a power of two in [1, " + GgufFile.MAX_ALIGNMENT + "]");
        }
    }

    static long alignUp(long x, long alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    /**
     * Writes the file. It is written next to {@code out} under a temporary name and moved into place
     * at the end, so a failed write never leaves a truncated GGUF and {@code out} may be the file the
     * tensors are mapped from.
     */
    public void write(Path out) {
        int alignment = alignment();
        List<PendingTensor> list = new ArrayList<>(tensors.values());
        long[] offsets = new long[list.size()];
        long end = 0;
        for (int i = 0; i < list.size(); i++) {
            offsets[i] = end;
            end = alignUp(end + list.get(i).byteSize(), alignment);
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".partial");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                GgufSink sink = new GgufSink(ch);
                writeHeader(sink, list, offsets);
                sink.padTo(alignment);
                long dataStart = sink.position();
                WriteProgress progress = WriteProgress.CURRENT.get();
                for (int i = 0; i < list.size(); i++) {
                    sink.zeros(dataStart + offsets[i] - sink.position());
                    writeData(sink, ch, list.get(i), out);
                    if (progress != null) progress.written(offsets[i] + list.get(i).byteSize(), end);
                }
                sink.padTo(alignment);
                sink.flush();
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } catch (IOException e) {
            throw new StrataException(out + ": cannot write GGUF: " + e, e);
        } finally {
            if (!done) deleteQuietly(tmp);
        }
    }

    private void writeHeader(GgufSink sink, List<PendingTensor> list, long[] offsets) throws IOException {
        sink.i32(GgufFile.MAGIC);
        sink.i32(3);
        sink.i64(list.size());
        sink.i64(metadata.size());
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            sink.string(e.getKey());
            sink.i32(e.getValue().type().id());
            sink.value(e.getValue());
        }
        for (int i = 0; i < list.size(); i++) {
            PendingTensor t = list.get(i);
            sink.string(t.name());
            sink.i32(t.shape().length);
            for (long d : t.shape()) sink.i64(d);
            sink.i32(t.type().id);
            sink.i64(offsets[i]);
        }
    }

    private static void writeData(GgufSink sink, FileChannel ch, PendingTensor t, Path out) throws IOException {
        sink.flush();
        CountingChannel counted = new CountingChannel(ch);
        try {
            t.source().writeTo(counted);
        } catch (IllegalStateException e) {
            // a MemorySegment whose arena was closed, typically a GgufFile closed before write()
            throw new StrataException(out + ": data of tensor '" + t.name() + "' is no longer accessible (was its source file closed?)", e);
        }
        sink.skipped(counted.written);
        if (counted.written != t.byteSize()) {
            throw new StrataException(out + ": tensor source for '" + t.name() + "' wrote " + counted.written + " bytes, expected " + t.byteSize());
        }
    }

    /** Lets a source write but not close or reposition the file. */
    private static final class CountingChannel implements WritableByteChannel {
        private final WritableByteChannel target;
        long written;

        CountingChannel(WritableByteChannel target) {
            this.target = target;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = target.write(src);
            written += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return target.isOpen();
        }

        @Override
        public void close() {}
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the original failure is the one worth reporting
        }
    }

    /** Copies every metadata key, in order, including general.alignment. */
    public static void copyMetadata(GgufFile from, GgufWriter to) {
        from.metadata().forEach(to::put);
    }

    /** Adds every tensor of {@code from} (zero-copy views: keep {@code from} open until written). */
    public static void copyTensors(GgufFile from, GgufWriter to) {
        from.tensors().values().forEach(to::addTensor);
    }
}
