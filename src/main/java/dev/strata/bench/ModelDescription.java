package dev.strata.bench;

import dev.strata.gguf.GgufFile;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tensor.Tensor;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The model, size and params columns of the bench table, formatted as llama-bench does. */
public record ModelDescription(String label, long sizeBytes, long params) {

    /** llama.cpp's LLAMA_FTYPE numbering (general.file_type); gaps are retired types. */
    private static final Map<Integer, String> FILE_TYPES = Map.ofEntries(
            Map.entry(0, "F32"), Map.entry(1, "F16"), Map.entry(2, "Q4_0"), Map.entry(3, "Q4_1"),
            Map.entry(7, "Q8_0"), Map.entry(8, "Q5_0"), Map.entry(9, "Q5_1"), Map.entry(10, "Q2_K"),
            Map.entry(11, "Q3_K_S"), Map.entry(12, "Q3_K_M"), Map.entry(13, "Q3_K_L"), Map.entry(14, "Q4_K_S"),
            Map.entry(15, "Q4_K_M"), Map.entry(16, "Q5_K_S"), Map.entry(17, "Q5_K_M"), Map.entry(18, "Q6_K"),
            Map.entry(30, "IQ4_XS"), Map.entry(32, "BF16"));

    public static ModelDescription of(GgufFile file) {
        String name = file.getString("general.name", file.path() == null ? file.name() : stripExtension(file.path().getFileName().toString()));
        long bytes = 0, params = 0;
        for (Tensor t : file.tensors().values()) {
            bytes += t.data().byteSize();
            params += t.elements();
        }
        return new ModelDescription(name + " " + fileTypeLabel(file), bytes, params);
    }

    /** general.file_type's name, or the tensor type holding the most bytes when the file does not say. */
    static String fileTypeLabel(GgufFile file) {
        int code = file.getInt("general.file_type", -1);
        if (code >= 0) return FILE_TYPES.getOrDefault(code, "ftype " + code);
        Map<GgmlType, Long> bytesByType = new EnumMap<>(GgmlType.class);
        for (Tensor t : file.tensors().values()) bytesByType.merge(t.type(), t.data().byteSize(), Long::sum);
        return bytesByType.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().name()).orElse("?");
    }

    private static String stripExtension(String fileName) {
        return fileName.endsWith(".gguf") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }

    public static String formatSize(long bytes) {
        double gib = bytes / (double) (1L << 30);
        return gib >= 1 ? String.format(Locale.ROOT, "%.2f GiB", gib) : String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
    }

    public static String formatParams(long params) {
        if (params >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2f B", params / 1e9);
        if (params >= 1_000_000L) return String.format(Locale.ROOT, "%.2f M", params / 1e6);
        return String.format(Locale.ROOT, "%.2f K", params / 1e3);
    }
}
