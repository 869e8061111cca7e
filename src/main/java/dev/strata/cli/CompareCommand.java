package dev.strata.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.StrataException;
import dev.strata.eval.ledger.Ledger;
import dev.strata.eval.report.RunComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Paired comparison of eval runs that scored the same items (e.g. two models): each run against the first,",
                "per difficulty range, with the exact McNemar test, Holm's correction and a paired bootstrap of Δaccuracy.",
                "Example: strata compare plain=runs/a small=runs/b#loop:0-3x2 --difficulties 1-4,5-6"})
public final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "2..*", paramLabel = "[LABEL=]DIR[#VARIANT]",
            description = "an eval run directory (its ledger.jsonl); the variant defaults to base, the label to DIR#VARIANT")
    List<String> runs;

    @Option(names = "--difficulties", paramLabel = "RANGES", defaultValue = "1-99",
            description = "comma-separated difficulty ranges, each compared separately, e.g. 1-4,5-6 (default: all)")
    String difficulties;

    @Option(names = "--seed", defaultValue = "1", description = "seeds the paired bootstrap (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "md", description = "md or json (default: ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("md") && !format.equals("json")) throw new StrataException("-o must be md or json, got '" + format + "'");
        List<RunComparison.Source> sources = new ArrayList<>();
        for (String run : runs) sources.add(source(run));
        RunComparison c = RunComparison.of(sources, ranges(difficulties), seed);
        if (format.equals("md")) {
            System.out.print(c.markdown());
        } else {
            System.out.println(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(c));
        }
        return 0;
    }

    private static RunComparison.Source source(String spec) {
        int eq = spec.indexOf('='), hash = spec.lastIndexOf('#');
        String label = eq > 0 ? spec.substring(0, eq) : null;
        String path = spec.substring(eq + 1, hash > eq ? hash : spec.length());
        String variant = hash > eq ? spec.substring(hash + 1) : "base";
        Path dir = Path.of(path);
        if (!Files.isRegularFile(dir.resolve(Ledger.FILE))) throw new StrataException("no eval run in " + dir + " (" + Ledger.FILE + " missing)");
        return new RunComparison.Source(label != null ? label : variant.equals("base") ? path : path + "#" + variant, Ledger.read(dir), variant);
    }

    static List<int[]> ranges(String text) {
        List<int[]> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] ends = part.trim().split("-", -1);
            try {
                int lo = Integer.parseInt(ends[0].trim()), hi = ends.length == 1 ? lo : Integer.parseInt(ends[1].trim());
                if (ends.length > 2 || lo < 0 || hi < lo) throw new NumberFormatException();
                out.add(new int[] {lo, hi});
            } catch (NumberFormatException e) {
                throw new StrataException("bad difficulty range '" + part.trim() + "': expected D or D1-D2 with D1 <= D2, e.g. 1-4,5-6");
            }
        }
        return out;
    }
}
