package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.tools.quantize.QualityReport;
import dev.strata.tools.quantize.Quantizer;
import dev.strata.tools.quantize.TypeChoice;
import dev.strata.tensor.quant.GgmlType;
import dev.strata.tools.quantize.QuantMix;
import dev.strata.tensor.Kernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize an F32/F16/BF16 model as llama-quantize does, then report its quality against the source.")
public final class QuantizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "source GGUF (F32, F16 or BF16)")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "GGUF file to write")
    Path out;

    @Parameters(index = "2", paramLabel = "TYPE", description = "a llama-quantize mix (Q4_K_M, Q4_K_S, Q5_K_M, Q5_K_S, Q6_K) or one type for all matrices: Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K (or F16, BF16, F32)")
    String type;

    @Option(names = "--pure", description = "every matrix gets TYPE (no Q6_K output, no fallbacks beyond what the row length forces)")
    boolean pure;

    @Option(names = "--tensor-type", paramLabel = "PATTERN=TYPE", description = "as llama-quantize: matrices whose name contains a match of the"
            + " regular expression PATTERN get TYPE (repeatable; the first match wins), e.g. --tensor-type 'blk\\.2\\.=Q4_0'")
    java.util.List<String> tensorTypes = new java.util.ArrayList<>();

    @Option(names = "--no-report", description = "skip the quality report")
    boolean noReport;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "threads for the quality report (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--kernels", paramLabel = "NAME", defaultValue = "auto",
            description = "kernel set for the quality report: auto, native, panama or scalar (default: auto)")
    String kernels;

    @Override
    public Integer call() {
        QuantMix mix = pure ? null : QuantMix.parse(type);
        GgmlType target = mix != null ? mix.base : TypeChoice.parseWritable(type);
        if (!Files.isRegularFile(in)) throw new StrataException(in + ": no such file");
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) throw new StrataException("IN and OUT are the same file");
        Map<String, GgmlType> chosen;
        try (var progress = Progress.gguf("quantize")) {
            var overrides = overrides();
            chosen = mix != null ? Quantizer.quantize(in, out, mix, overrides) : Quantizer.quantize(in, out, target, pure, overrides);
        }
        Map<GgmlType, Integer> counts = new TreeMap<>();
        chosen.values().forEach(t -> counts.merge(t, 1, Integer::sum));
        System.out.printf("wrote %s: %d tensors %s%n", out, chosen.size(), counts);
        if (!noReport) System.out.println(QualityReport.measure(in, out, Kernels.select(kernels), threads));
        return 0;
    }

    private Map<java.util.regex.Pattern, GgmlType> overrides() {
        Map<java.util.regex.Pattern, GgmlType> out = new java.util.LinkedHashMap<>();
        for (String spec : tensorTypes) {
            int eq = spec.lastIndexOf('=');
            if (eq <= 0) throw new StrataException("--tensor-type must look like PATTERN=TYPE, got '" + spec + "'");
            try {
                out.put(java.util.regex.Pattern.compile(spec.substring(0, eq)), TypeChoice.parseWritable(spec.substring(eq + 1).strip()));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new StrataException("--tensor-type '" + spec + "': not a regular expression: " + e.getDescription());
            }
        }
        return out;
    }
}
