package dev.strata.train.solve;

import dev.strata.eval.stats.Wilson;
import dev.strata.train.curriculum.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Exact-match accuracy per (family, difficulty) cell, as a compact grid or a markdown table with Wilson intervals. */
public final class AccuracyReport {
    /** One cell's counts; {@code overContext} problems did not fit the model's context and count as wrong. */
    public record Cell(Family family, int difficulty, int problems, int correct, int overContext) {
        public double accuracy() {
            return problems == 0 ? 0 : correct / (double) problems;
        }

        /** Wilson score interval at 95% (z = 1.96). */
        public double[] wilson95() {
            Wilson.Interval ci = Wilson.interval95(correct, problems);
            return new double[] {ci.low(), ci.high()};
        }
    }

    private final Map<Family, Map<Integer, Cell>> cells = new TreeMap<>();
    private final int trainedMin, trainedMax;

    public AccuracyReport(List<CurriculumSolver.Attempt> attempts, int trainedMin, int trainedMax) {
        this.trainedMin = trainedMin;
        this.trainedMax = trainedMax;
        Map<Family, Map<Integer, int[]>> counts = new TreeMap<>();
        for (CurriculumSolver.Attempt a : attempts) {
            int[] c = counts.computeIfAbsent(a.problem().family(), f -> new TreeMap<>())
                    .computeIfAbsent(a.problem().difficulty(), d -> new int[3]);
            c[0]++;
            if (a.correct()) c[1]++;
            if (a.overContext()) c[2]++;
        }
        counts.forEach((f, byD) -> byD.forEach((d, c) ->
                cells.computeIfAbsent(f, x -> new TreeMap<>()).put(d, new Cell(f, d, c[0], c[1], c[2]))));
    }

    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        cells.values().forEach(byD -> out.addAll(byD.values()));
        return out;
    }

    private boolean trained(int d) {
        return d >= trainedMin && d <= trainedMax;
    }

    /** Families as rows, difficulties as columns; untrained difficulties are marked with '*'. */
    public String grid() {
        TreeSet<Integer> difficulties = new TreeSet<>();
        cells.values().forEach(byD -> difficulties.addAll(byD.keySet()));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s", "family"));
        for (int d : difficulties) sb.append(String.format(Locale.ROOT, "%7s", "d" + d + (trained(d) ? "" : "*")));
        sb.append('\n');
        cells.forEach((f, byD) -> {
            sb.append(String.format(Locale.ROOT, "%-12s", f.id()));
            for (int d : difficulties) {
                Cell c = byD.get(d);
                sb.append(c == null ? String.format("%7s", "-") : String.format(Locale.ROOT, "%6.0f%%", 100 * c.accuracy()));
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    /** One row per cell: counts, accuracy and the Wilson 95% interval. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("| family | difficulty | trained | problems | correct | accuracy | Wilson 95% | over context |\n");
        sb.append("|---|---:|:---:|---:|---:|---:|---|---:|\n");
        for (Cell c : cells()) {
            double[] ci = c.wilson95();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %.1f%% | %.1f–%.1f%% | %d |%n", c.family().id(), c.difficulty(),
                    trained(c.difficulty()) ? "yes" : "no", c.problems(), c.correct(), 100 * c.accuracy(), 100 * ci[0], 100 * ci[1],
                    c.overContext()));
        }
        return sb.toString();
    }
}
