package dev.strata.gguf;

import dev.strata.StrataException;
import dev.strata.tensor.GgmlType;
import dev.strata.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed GGUF file (v1-v3). The whole file is memory-mapped once into a shared arena, and
 * every tensor is a zero-copy slice of that mapping.
 */
public final class GgufFile implements AutoCloseable {
    public static final int MAGIC = 0x46554747; // "GGUF" little-endian
    public static final int DEFAULT_ALIGNMENT = 32;

    private final String name;
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final int version;
    private final Map<String, GgufValue> metadata;
    private final Map<String, Tensor> tensors;
    private final long dataOffset;
    private final int alignment;

    private GgufFile(String name, Path path, Arena arena, MemorySegment seg) {
        this.name = name;
        this.path = path;
        this.arena = arena;
        this.mapping = seg;
        if (seg.byteSize() < 8) throw new GgufFormatException(name, "truncated file: " + seg.byteSize() + " bytes is too short for a GGUF header");
        int magic = seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0);
        if (magic != MAGIC) throw new GgufFormatException(name, String.format("bad magic 0x%08x, not a GGUF file", magic));
        this.version = seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 4);
        if (version < 1 || version > 3) throw new GgufFormatException(name, "unsupported GGUF version " + version + " (supported: 1-3)");
        GgufReader r = new GgufReader(seg, name, version);
        r.pos = 8;
        long nTensors = r.count("tensor count", Math.min(r.remaining() / 24, 1 << 24));
        long nKv = r.count("metadata count", Math.min(r.remaining() / 12, 1 << 24));
        Map<String, GgufValue> md = new LinkedHashMap<>();
        for (long i = 0; i < nKv; i++) {
            String key = r.string("metadata key");
            md.put(key, r.value(r.valueType(key), key, 0));
        }
        this.metadata = Collections.unmodifiableMap(md);
        this.alignment = readAlignment(md);
        String[] names = new String[(int) nTensors];
        long[][] shapes = new long[(int) nTensors][];
        GgmlType[] types = new GgmlType[(int) nTensors];
        long[] offsets = new long[(int) nTensors];
        for (int i = 0; i < nTensors; i++) {
            names[i] = r.string("tensor name");
            int nDims = r.i32();
            if (nDims < 1 || nDims > 4) throw r.error("tensor '" + names[i] + "' has " + nDims + " dimensions (expected 1-4)");
            shapes[i] = new long[nDims];
            for (int d = 0; d < nDims; d++) shapes[i][d] = r.i64();
            types[i] = r.ggmlType(names[i]);
            offsets[i] = r.i64();
        }
        long headerEnd = r.pos;
        this.dataOffset = (headerEnd + alignment - 1) / alignment * alignment;
        Map<String, Tensor> ts = new LinkedHashMap<>();
        for (int i = 0; i < nTensors; i++) {
            ts.put(names[i], tensor(names[i], shapes[i], types[i], offsets[i]));
        }
        this.tensors = Collections.unmodifiableMap(ts);
    }

    private int readAlignment(Map<String, GgufValue> md) {
        GgufValue a = md.get("general.alignment");
        if (a == null) return DEFAULT_ALIGNMENT;
        long v = a.value() instanceof Number n ? n.longValue() : -1;
        if (v <= 0 || v > 1 << 20 || (v & (v - 1)) != 0) throw new GgufFormatException(name, "general.alignment " + a.value() + " is not a power of two");
        return (int) v;
    }

    private Tensor tensor(String tname, long[] shape, GgmlType type, long offset) {
        long n = 1;
        for (long d : shape) {
            if (d <= 0 || d > (1L << 40)) throw new GgufFormatException(name, "tensor '" + tname + "' has invalid dimension " + d);
            n = Math.multiplyExact(n, d);
            if (n > (1L << 45)) throw new GgufFormatException(name, "tensor '" + tname + "' is implausibly large");
        }
        if (shape[0] % type.blockSize != 0) {
            throw new GgufFormatException(name, "tensor '" + tname + "' row of " + shape[0] + " is not a multiple of the " + type + " block size " + type.blockSize);
        }
        long bytes = type.bytesFor(n);
        if (offset < 0 || offset % alignment != 0) throw new GgufFormatException(name, "tensor '" + tname + "' offset " + offset + " is not aligned to " + alignment);
        long start = dataOffset + offset;
        if (start < 0 || start + bytes > mapping.byteSize() || start + bytes < start) {
            throw new GgufFormatException(name, "tensor '" + tname + "' data [" + start + ", " + (start + bytes) + ") lies outside the file (" + mapping.byteSize() + " bytes); truncated?");
        }
        return new Tensor(tname, type, shape, mapping.asSlice(start, bytes));
    }

    /** Memory-maps and parses a GGUF file. */
    public static GgufFile open(Path path) {
        String name = path.toString();
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GgufFile(name, path, arena, seg);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new StrataException(name + ": no such file");
        } catch (IOException e) {
            arena.close();
            throw new StrataException(name + ": cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses GGUF bytes already in memory (tests, fuzzing). */
    public static GgufFile parse(String name, MemorySegment bytes) {
        return new GgufFile(name, null, null, bytes);
    }

    public String name() { return name; }
    public Path path() { return path; }
    public int version() { return version; }
    public int alignment() { return alignment; }
    public long dataOffset() { return dataOffset; }
    public long fileSize() { return mapping.byteSize(); }
    public MemorySegment mapping() { return mapping; }
    public Map<String, GgufValue> metadata() { return metadata; }
    public Map<String, Tensor> tensors() { return tensors; }

    public Tensor tensor(String tensorName) {
        return tensors.get(tensorName);
    }

    public Tensor requireTensor(String tensorName) {
        Tensor t = tensors.get(tensorName);
        if (t == null) throw new GgufFormatException(name, "missing required tensor '" + tensorName + "'");
        return t;
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    public GgufValue get(String key) {
        return metadata.get(key);
    }

    private GgufValue require(String key) {
        GgufValue v = metadata.get(key);
        if (v == null) throw new GgufFormatException(name, "missing required key '" + key + "'");
        return v;
    }

    public String getString(String key, String def) {
        GgufValue v = metadata.get(key);
        return v != null && v.value() instanceof String s ? s : def;
    }

    public String requireString(String key) {
        if (require(key).value() instanceof String s) return s;
        throw new GgufFormatException(name, "key '" + key + "' is not a string");
    }

    public long getLong(String key, long def) {
        GgufValue v = metadata.get(key);
        if (v == null) return def;
        if (v.value() instanceof Number n) return n.longValue();
        throw new GgufFormatException(name, "key '" + key + "' is not an integer");
    }

    public long requireLong(String key) {
        require(key);
        return getLong(key, 0);
    }

    public int getInt(String key, int def) {
        long v = getLong(key, def);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new GgufFormatException(name, "key '" + key + "' value " + v + " is out of range");
        return (int) v;
    }

    public int requireInt(String key) {
        require(key);
        return getInt(key, 0);
    }

    public float getFloat(String key, float def) {
        GgufValue v = metadata.get(key);
        if (v == null) return def;
        if (v.value() instanceof Number n) return n.floatValue();
        throw new GgufFormatException(name, "key '" + key + "' is not a number");
    }

    public boolean getBool(String key, boolean def) {
        GgufValue v = metadata.get(key);
        if (v == null) return def;
        if (v.value() instanceof Boolean b) return b;
        throw new GgufFormatException(name, "key '" + key + "' is not a boolean");
    }

    /** An array value of the given Java array class, or null when absent. */
    public <T> T getArray(String key, Class<T> arrayClass) {
        GgufValue v = metadata.get(key);
        if (v == null) return null;
        if (v.isArray() && arrayClass.isInstance(v.value())) return arrayClass.cast(v.value());
        throw new GgufFormatException(name, "key '" + key + "' is not an array of " + arrayClass.getComponentType().getSimpleName());
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
