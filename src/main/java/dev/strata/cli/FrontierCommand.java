package dev.strata.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.StrataException;
import dev.strata.frontier.Benchmark;
import dev.strata.frontier.CsvTableReader;
import dev.strata.frontier.FrontierAnalysis;
import dev.strata.frontier.FrontierOptions;
import dev.strata.frontier.FrontierPlot;
import dev.strata.frontier.FrontierReport;
import dev.strata.frontier.FrontierResult;
import dev.strata.frontier.LedgerReader;
import dev.strata.frontier.RobustLoss;
import dev.strata.frontier.ScoreTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "frontier", mixinStandardHelpOptions = true,
        description = {"Fit benchmark score against compute (sigmoid, power law, linear in log x) by robust least squares, "
                + "choose the fit by held-out error above a compute cutoff, and report the knee, the ceiling and the models above "
                + "the frontier with bootstrap 95%% intervals. Data: ObsScaling-style CSVs or Strata eval ledgers."})
public final class FrontierCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--csv", paramLabel = "FILE", description = "CSV with one row per model (repeatable; joined on the first column, e.g. Model)")
        List<Path> csv;

        @Option(names = "--ledger", paramLabel = "DIR",
                description = "strata eval or research run directory, a parent of several, or a quoted glob (repeatable): one point per run and variant")
        List<Path> ledger;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--x", paramLabel = "COLUMN", required = true,
            description = "x column (e.g. 'FLOPs (1E21)'), or 6ND for 6 x parameters (B) x tokens (T) in 1E21 FLOPs")
    String x;

    @Option(names = "--fill-6nd", description = "fill missing x with 6ND (flagged per model)")
    boolean fill6nd;

    @Option(names = "--params-column", defaultValue = "Model Size (B)", description = "parameters in billions, for 6ND (default: ${DEFAULT-VALUE})")
    String paramsColumn;

    @Option(names = "--tokens-column", defaultValue = "Pretraining Data Size (T)", description = "training tokens in trillions, for 6ND (default: ${DEFAULT-VALUE})")
    String tokensColumn;

    @Option(names = "--y", paramLabel = "COLUMN", description = "score column (repeatable)")
    List<String> y;

    @Option(names = "--all-benchmarks", description = "every numeric column with all values in [0, 1] except x")
    boolean allBenchmarks;

    @Option(names = "--group", paramLabel = "COLUMN", description = "family column for colours and per-family residuals (ledgers: model or variant; default model)")
    String group;

    @Option(names = "--exclude", paramLabel = "MODEL", description = "leave this row out (repeatable)")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--epsilon", defaultValue = "1", description = "knee threshold: points gained per 10x of x (default: ${DEFAULT-VALUE})")
    double epsilon;

    @Option(names = "--chance", defaultValue = "auto", description = "sigmoid floor in points: auto (the benchmark's chance level), free, or a number")
    String chance;

    @Option(names = "--holdout", defaultValue = "0.25", description = "share of models with the largest x held out for model choice (default: ${DEFAULT-VALUE})")
    double holdout;

    @Option(names = "--bootstrap", defaultValue = "2000", description = "bootstrap resamples over models (default: ${DEFAULT-VALUE})")
    int resamples;

    @Option(names = {"-s", "--seed"}, defaultValue = "1", description = "bootstrap seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--loss", defaultValue = "huber", description = "huber, soft-l1 or linear (default: ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--loss-scale", defaultValue = "2",
            description = "points where the robust loss turns linear, or auto for 1.345 x the robust sigma of the least-squares fit (default: ${DEFAULT-VALUE})")
    String lossScale;

    @Option(names = "--top", defaultValue = "10", description = "rows in each ranking (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = {"-o", "--output-format"}, defaultValue = "md", description = "md or json (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", paramLabel = "DIR", description = "write frontier-<benchmark>.png and .svg, frontier.md and frontier.json here")
    Path out;

    @Option(names = "--verbose", description = "print stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("md") && !format.equals("json")) throw new StrataException("-o must be md or json");
        FrontierOptions opt = new FrontierOptions(epsilon, holdout, resamples, seed, RobustLoss.parse(loss), lossScalePoints());
        ScoreTable table = source.ledger != null ? LedgerReader.read(source.ledger)
                : ScoreTable.join(source.csv.stream().map(CsvTableReader::read).toList());
        String groupColumn = group != null ? group : source.ledger != null ? "model" : null;
        Benchmark.XSpec xSpec = new Benchmark.XSpec(x, fill6nd, paramsColumn, tokensColumn);
        List<Benchmark> benches = new ArrayList<>();
        for (String column : yColumns(table)) benches.add(withChance(Benchmark.select(table, xSpec, column, groupColumn, Set.copyOf(exclude))));
        List<FrontierResult> results = new ArrayList<>();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("frontier").setInitialMax((long) benches.size() * 3 * resamples)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .continuousUpdate().build()) {
            for (Benchmark b : benches) results.add(FrontierAnalysis.run(b, opt, bar::step));
        }
        String report = format.equals("json") ? json(results) : FrontierReport.markdown(results, top);
        if (out != null) {
            Files.createDirectories(out);
            for (FrontierResult r : results) {
                Path png = FrontierPlot.write(r, out.resolve("frontier-" + slug(r.benchmark())));
                System.err.println("wrote " + png + " and .svg");
            }
            Files.writeString(out.resolve("frontier.md"), FrontierReport.markdown(results, top));
            Files.writeString(out.resolve("frontier.json"), json(results));
        }
        System.out.print(report);
        return 0;
    }

    private double lossScalePoints() {
        if (lossScale.equals("auto")) return Double.NaN;
        try {
            return Double.parseDouble(lossScale);
        } catch (NumberFormatException e) {
            throw new StrataException("--loss-scale must be a number of points or auto, not '" + lossScale + "'");
        }
    }

    private List<String> yColumns(ScoreTable table) {
        if (allBenchmarks == (y != null)) throw new StrataException("give --y COLUMN or --all-benchmarks (one of them)");
        if (y != null) return y;
        if (source.ledger != null) return LedgerReader.SCORES; // the interval bounds and joules per token also lie in [0, 1]
        List<String> cols = new ArrayList<>();
        for (String c : table.columns()) {
            if (c.equals(table.idColumn()) || c.equals(x) || c.equals(group) || c.equals(paramsColumn) || c.equals(tokensColumn) || !table.isNumeric(c)) continue;
            if (table.rows().stream().mapToDouble(r -> table.number(r, c)).filter(v -> !Double.isNaN(v)).allMatch(v -> v >= 0 && v <= 1)) cols.add(c);
        }
        if (cols.isEmpty()) throw new StrataException("no score columns with values in [0, 1]; name them with --y");
        return cols;
    }

    private Benchmark withChance(Benchmark b) {
        double point = b.fitData().point();
        return switch (chance) {
            case "auto" -> b;
            case "free" -> b.withChance(Double.NaN);
            default -> {
                try {
                    yield b.withChance(Double.parseDouble(chance) * point);
                } catch (NumberFormatException e) {
                    throw new StrataException("--chance must be auto, free or a number of points, not '" + chance + "'");
                }
            }
        };
    }

    private static String json(List<FrontierResult> results) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results) + "\n";
    }

    static String slug(String s) {
        return s.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
