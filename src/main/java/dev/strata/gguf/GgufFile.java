package dev.strata.gguf;

import dev.strata.StrataException;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
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
    static final int MAX_ALIGNMENT = 1 << 20;
    private static final long MAX_ELEMENTS = 1L << 45;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final int version;
    private final Map<String, GgufValue> metadata;
    private final Map<String, Tensor> tensors;
    private final long headerEnd;
    private final long dataOffset;
    private final int alignment;

    private GgufFile(String name, Path path, Arena arena, MemorySegment seg) {
        this.name = name;
        this.path = path;
        this.arena = arena;
        this.mapping = seg;
        if (seg.byteSize() < 8) throw new GgufFormatException(name, "truncated file: " + seg.byteSize() + " bytes is too short for a GGUF header");
        int magic = seg.get(LE_INT, 0);
        if (magic != MAGIC) throw new GgufFormatException(name, String.format("bad magic 0x%08x, not a GGUF file", magic));
        this.version = seg.get(LE_INT, 4);
        if (Integer.reverseBytes(version) >= 1 && Integer.reverseBytes(version) <= 3) {
            throw new GgufFormatException(name, "big-endian GGUF files are not supported (version field reads " + Integer.reverseBytes(version) + " byte-swapped)");
        }
        if (version < 1 || version > 3) throw new GgufFormatException(name, "unsupported GGUF version " + version + " (supported: 1-3)");
        GgufReader r = new GgufReader(seg, name, version);
        r.pos = 8;
        // Smallest possible entries: a tensor info is 4+ bytes of name length, 4 of n_dims, 4+ per dim, 4 of type, 8 of offset;
        // a key/value is 4+ bytes of key length, 4 of type and 1+ of value.
        long nTensors = r.count("tensor count", Math.min(r.remaining() / 24, 1 << 24), "the file is too small to hold that many tensor infos");
        long nKv = r.count("metadata count", Math.min(r.remaining() / 9, 1 << 24), "the file is too small to hold that many key/value pairs");
        Map<String, GgufValue> md = new LinkedHashMap<>();
        for (long i = 0; i < nKv; i++) {
            String key = r.string("metadata key " + i);
            GgufValue value = r.value(r.valueType(key), key, 0);
            if (md.putIfAbsent(key, value) != null) throw r.error("duplicate metadata key " + StrataException.quote(key));
        }
        this.metadata = Collections.unmodifiableMap(md);
        this.alignment = readAlignment(md);
        String[] names = new String[(int) nTensors];
        long[][] shapes = new long[(int) nTensors][];
        GgmlType[] types = new GgmlType[(int) nTensors];
        long[] offsets = new long[(int) nTensors];
        for (int i = 0; i < nTensors; i++) {
            names[i] = r.string("name of tensor " + i);
            int nDims = r.i32();
            if (nDims < 1 || nDims > 4) throw r.error("tensor " + StrataException.quote(names[i]) + " has " + nDims + " dimensions (expected 1-4)");
            shapes[i] = new long[nDims];
            for (int d = 0; d < nDims; d++) shapes[i][d] = r.size(); // u32 in v1, i64 from v2 on
            types[i] = r.ggmlType(names[i]);
            offsets[i] = r.i64();
        }
        this.headerEnd = r.pos;
        this.dataOffset = (headerEnd + alignment - 1) / alignment * alignment;
        Map<String, Tensor> ts = new LinkedHashMap<>();
        for (int i = 0; i < nTensors; i++) {
            Tensor t = tensor(names[i], shapes[i], types[i], offsets[i]);
            if (ts.putIfAbsent(names[i], t) != null) throw new GgufFormatException(name, "duplicate tensor name " + StrataException.quote(names[i]));
        }
        this.tensors = Collections.unmodifiableMap(ts);
    }

    private int readAlignment(Map<String, GgufValue> md) {
        GgufValue a = md.get("general.alignment");
        if (a == null) return DEFAULT_ALIGNMENT;
        if (a.isArray() || !(a.value() instanceof Number n) || a.value() instanceof Float || a.value() instanceof Double) {
            throw new GgufFormatException(name, "general.alignment must be an unsigned integer, found " + a.type().name().toLowerCase());
        }
        long v = n.longValue();
        if (v <= 0 || (v & (v - 1)) != 0) throw new GgufFormatException(name, "general.alignment " + Long.toUnsignedString(v) + " is not a power of two");
        if (v > MAX_ALIGNMENT) throw new GgufFormatException(name, "general.alignment " + v + " is larger than the supported maximum " + MAX_ALIGNMENT);
        return (int) v;
    }

    private Tensor tensor(String tname, long[] shape, GgmlType type, long offset) {
        String quoted = StrataException.quote(tname);
        long n = 1;
        for (long d : shape) {
            if (d <= 0 || d > MAX_ELEMENTS) throw new GgufFormatException(name, "tensor " + quoted + " has invalid dimension " + Long.toUnsignedString(d) + " in shape " + Arrays.toString(shape));
            if (n > MAX_ELEMENTS / d) throw new GgufFormatException(name, "tensor " + quoted + " shape " + Arrays.toString(shape) + " is implausibly large");
            n *= d;
        }
        if (shape[0] % type.blockSize != 0) {
            throw new GgufFormatException(name, "tensor " + quoted + " row of " + shape[0] + " is not a multiple of the " + type + " block size " + type.blockSize);
        }
        long bytes = type.bytesFor(n);
        if (offset < 0 || offset % alignment != 0) {
            throw new GgufFormatException(name, "tensor " + quoted + " offset " + Long.toUnsignedString(offset) + " is not aligned to " + alignment);
        }
        long start = dataOffset + offset;
        if (start < 0 || start + bytes > mapping.byteSize() || start + bytes < start) {
            throw new GgufFormatException(name, "tensor " + quoted + " data [" + start + ", " + (start + bytes) + ") lies outside the file (" + mapping.byteSize() + " bytes); truncated?");
        }
        return new Tensor(tname, type, shape, mapping.asSlice(start, bytes));
    }

    /** Memory-maps and parses a GGUF file. */
    public static GgufFile open(Path path) {
        return open(path, LoadOptions.DEFAULT);
    }

    /** Maps the file, or reads it whole into private memory ({@code mmap} false); then locks it if asked. */
    public static GgufFile open(Path path, LoadOptions options) {
        String name = path.toString();
        if (java.nio.file.Files.isDirectory(path)) throw new StrataException(name + ": is a directory, not a GGUF file");
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = options.mmap() ? ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena) : readAll(ch, arena);
            if (options.mlock()) MemoryLock.lock(name, seg);
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

    private static MemorySegment readAll(FileChannel ch, Arena arena) throws IOException {
        long size = ch.size();
        MemorySegment seg = arena.allocate(Math.max(1, size), 64).asSlice(0, size);
        for (long at = 0; at < size; ) {
            int n = ch.read(seg.asSlice(at, Math.min(size - at, 1 << 30)).asByteBuffer(), at);
            if (n < 0) throw new IOException("the file shrank while it was read");
            at += n;
        }
        return seg;
    }

    /** Parses GGUF bytes already in memory (tests, fuzzing). */
    public static GgufFile parse(String name, MemorySegment bytes) {
        return new GgufFile(name, null, null, bytes);
    }

    public String name() { return name; }
    public Path path() { return path; }
    public int version() { return version; }
    public int alignment() { return alignment; }
    /** Where the header (metadata and tensor infos) ends; the data section starts at the next alignment boundary. */
    public long headerEnd() { return headerEnd; }
    public long dataOffset() { return dataOffset; }
    public long fileSize() { return mapping.byteSize(); }
    public MemorySegment mapping() { return mapping; }
    /** True when the bytes are a live mapping of the file (the default), false when read into memory (--no-mmap). */
    public boolean isMapped() { return mapping.isMapped(); }
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
        if (v.value() instanceof Float || v.value() instanceof Double) {
            throw new GgufFormatException(name, "key '" + key + "' is the float " + v.value() + ", expected an integer");
        }
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

    public double getDouble(String key, double def) {
        GgufValue v = metadata.get(key);
        if (v == null) return def;
        if (v.value() instanceof Number n) return n.doubleValue();
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
