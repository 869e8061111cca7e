package dev.strata.gguf;

import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plain-text tables describing a GGUF file's contents (what `strata info` prints); no model knowledge. */
public final class GgufInspect {
    private GgufInspect() {}

    public static String render(GgufFile f) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: GGUF v%d, %d metadata keys, %d tensors, alignment %d, data at byte %,d, %s%n",
                f.name(), f.version(), f.metadata().size(), f.tensors().size(), f.alignment(), f.dataOffset(), bytes(f.fileSize())));
        b.append(System.lineSeparator()).append(metadataTable(f.metadata()));
        b.append(System.lineSeparator()).append(tensorTable(f.tensors().values()));
        b.append(System.lineSeparator()).append(typeTotals(f.tensors().values()));
        return b.toString();
    }

    public static String metadataTable(Map<String, GgufValue> metadata) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"key", "type", "value"});
        metadata.forEach((k, v) -> rows.add(new String[] {oneLine(k), typeName(v), oneLine(v.display())}));
        return table(rows, 3);
    }

    public static String tensorTable(Collection<Tensor> tensors) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"tensor", "type", "shape", "bytes"});
        for (Tensor t : tensors) {
            rows.add(new String[] {oneLine(t.name()), t.type().name(), Arrays.toString(t.shape()), grouped(t.data().byteSize())});
        }
        return table(rows, 2);
    }

    /** Per GGML type: tensor count, parameters and bytes; then the totals. */
    public static String typeTotals(Collection<Tensor> tensors) {
        Map<GgmlType, long[]> byType = new EnumMap<>(GgmlType.class);
        long params = 0;
        long bytes = 0;
        for (Tensor t : tensors) {
            long[] acc = byType.computeIfAbsent(t.type(), k -> new long[3]);
            acc[0]++;
            acc[1] += t.elements();
            acc[2] += t.data().byteSize();
            params += t.elements();
            bytes += t.data().byteSize();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"type", "tensors", "parameters", "bytes", "share"});
        for (Map.Entry<GgmlType, long[]> e : byType.entrySet()) {
            long[] acc = e.getValue();
            String share = String.format(Locale.ROOT, "%.1f%%", bytes == 0 ? 0.0 : 100.0 * acc[2] / bytes);
            rows.add(new String[] {e.getKey().name(), grouped(acc[0]), grouped(acc[1]), grouped(acc[2]), share});
        }
        rows.add(new String[] {"total", grouped(tensors.size()), grouped(params), grouped(bytes), "100.0%"});
        return table(rows, 1) + String.format(Locale.ROOT, "%s parameters, %s of tensor data%n", count(params), bytes(bytes));
    }

    public static long parameterCount(Collection<Tensor> tensors) {
        long n = 0;
        for (Tensor t : tensors) n += t.elements();
        return n;
    }

    /** llama.cpp-style type names: "u32", "str", "arr[str,512]". */
    public static String typeName(GgufValue v) {
        if (!v.isArray()) return shortName(v.type());
        return "arr[" + shortName(v.elementType()) + "," + v.arrayLength() + "]";
    }

    private static String shortName(GgufValueType t) {
        return switch (t) {
            case STRING -> "str";
            case ARRAY -> "arr";
            default -> t.name().toLowerCase(Locale.ROOT).replace("uint", "u").replace("int", "i").replace("float", "f");
        };
    }

    /** Columns padded to their widest cell: the first leftColumns left-aligned, the (numeric) rest right-aligned. */
    private static String table(List<String[]> rows, int leftColumns) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r[c].length());
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) line.append("  ");
                boolean right = c >= leftColumns;
                String pad = " ".repeat(width[c] - r[c].length());
                line.append(right ? pad + r[c] : r[c] + (c == cols - 1 ? "" : pad));
            }
            b.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 289,536 -> "289.5K"; 7,241,732,096 -> "7.24B". */
    static String count(long n) {
        if (n < 1_000) return Long.toString(n);
        if (n < 1_000_000) return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        if (n < 1_000_000_000) return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        return String.format(Locale.ROOT, "%.2fB", n / 1e9);
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
