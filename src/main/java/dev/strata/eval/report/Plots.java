package dev.strata.eval.report;

import dev.strata.StrataException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.None;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The run's plots, PNG and SVG, in the run directory: accuracy against multiply-adds, weight bytes
 * and joules per token, each variant with its Wilson 95% interval as a vertical bar and the Pareto
 * frontier (no other variant is both cheaper and more accurate) as a line; and accuracy by
 * difficulty, one line per variant.
 */
public final class Plots {
    private Plots() {}

    /** Writes every plot and returns the file names, without extension. */
    public static List<String> write(Summary s, Path dir) {
        List<String> names = new ArrayList<>();
        String energy = s.variants().stream().anyMatch(v -> v.energy().equals("rapl")) ? "joules per token (RAPL)" : "joules per token (estimated)";
        names.add(save(cost(s, "multiply-adds per token", VariantSummary::multiplyAddsPerToken), dir, "accuracy-vs-multiply-adds"));
        names.add(save(cost(s, "weight bytes per token", VariantSummary::weightBytesPerToken), dir, "accuracy-vs-bytes"));
        names.add(save(cost(s, energy, VariantSummary::joulesPerToken), dir, "accuracy-vs-joules"));
        names.add(save(byDifficulty(s), dir, "accuracy-by-difficulty"));
        return names;
    }

    static XYChart cost(Summary s, String xTitle, ToDoubleFunction<VariantSummary> x) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title("accuracy vs " + xTitle)
                .xAxisTitle(xTitle).yAxisTitle("accuracy (Wilson 95%)").build();
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setXAxisDecimalPattern("0.###E0");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        Color[] palette = chart.getStyler().getSeriesColors();
        for (int i = 0; i < s.variants().size(); i++) {
            VariantSummary v = s.variants().get(i);
            Color color = palette[i % palette.length];
            double xv = x.applyAsDouble(v);
            XYSeries point = chart.addSeries(v.variant(), new double[] {xv}, new double[] {v.accuracy()});
            point.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color).setLineColor(color);
            XYSeries bar = chart.addSeries(v.variant() + " 95%", new double[] {xv, xv}, new double[] {v.wilson95().low(), v.wilson95().high()});
            bar.setMarker(new None()).setLineColor(color);
            bar.setShowInLegend(false);
        }
        List<VariantSummary> frontier = pareto(s.variants(), x);
        XYSeries line = chart.addSeries("Pareto frontier", frontier.stream().mapToDouble(x).toArray(),
                frontier.stream().mapToDouble(VariantSummary::accuracy).toArray());
        line.setMarker(new None()).setLineColor(Color.DARK_GRAY).setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_ROUND,
                BasicStroke.JOIN_ROUND, 10, new float[] {6, 4}, 0));
        return chart;
    }

    /** Variants that no other variant beats on both cost (lower) and accuracy (higher), in order of cost. */
    public static List<VariantSummary> pareto(List<VariantSummary> variants, ToDoubleFunction<VariantSummary> cost) {
        return pareto(variants, cost, VariantSummary::accuracy);
    }

    /** The same frontier for any points with a cost and an accuracy (research draws it for its sweep). */
    public static <T> List<T> pareto(List<T> points, ToDoubleFunction<T> cost, ToDoubleFunction<T> accuracy) {
        List<T> sorted = points.stream().sorted(Comparator.comparingDouble(cost)
                .thenComparing(Comparator.comparingDouble(accuracy).reversed())).toList();
        List<T> out = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (T v : sorted) {
            if (accuracy.applyAsDouble(v) > best) {
                out.add(v);
                best = accuracy.applyAsDouble(v);
            }
        }
        return out;
    }

    static XYChart byDifficulty(Summary s) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title("accuracy by difficulty")
                .xAxisTitle("difficulty").yAxisTitle("accuracy").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisDecimalPattern("0");
        for (VariantSummary v : s.variants()) {
            if (v.byDifficulty().isEmpty()) continue;
            double[] d = v.byDifficulty().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] acc = v.byDifficulty().values().stream().mapToDouble(VariantSummary.Cell::accuracy).toArray();
            chart.addSeries(v.variant(), d, acc).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Saves a chart as NAME.png and NAME.svg in {@code dir}; returns NAME. */
    public static String save(Chart<?, ?> chart, Path dir, String name) {
        try {
            BitmapEncoder.saveBitmap(chart, dir.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(name + ".svg").toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return name;
        } catch (IOException e) {
            throw new StrataException("cannot write the plot " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }
}
