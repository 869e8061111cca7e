package dev.strata.research;

import dev.strata.eval.report.Plots;
import dev.strata.eval.stats.Wilson;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.None;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The research plots, PNG and SVG: the sweep's Δaccuracy over (start, end) of every duplicated
 * block, a colored square per block with its Δ in points and {@code *} where the sweep's exact
 * McNemar p is below 0.05 (unadjusted: the sweep orients, the held-out test decides); and
 * accuracy against multiply-adds per token for every swept variant, with Wilson 95% bars and the
 * Pareto frontier; and, when quant variants were swept, the same against weight MB read per token.
 */
public final class ResearchPlots {
    private static final Pattern DUP = Pattern.compile("dup:(\\d+)-(\\d+)");

    private ResearchPlots() {}

    public static List<String> write(ResearchLoop.Result r, Path dir) {
        List<String> names = new ArrayList<>();
        if (r.scan().stream().anyMatch(d -> DUP.matcher(d.variant()).matches())) names.add(Plots.save(heatmap(r.scan()), dir, "dup-heatmap"));
        if (!r.scan().isEmpty()) names.add(Plots.save(pareto(r.scan()), dir, "accuracy-vs-compute"));
        // quant variants change the bytes read, not the multiply-adds
        if (r.scan().stream().anyMatch(d -> d.variant().contains("quant:")))
            names.add(Plots.save(pareto(r.scan(), "weight bytes", "weight MB read per token", Decision::memoryMb), dir, "accuracy-vs-weight-bytes"));
        return names;
    }

    static XYChart heatmap(List<Decision> scan) {
        int n = scan.isEmpty() ? 0 : scan.get(0).n();
        XYChart chart = new XYChartBuilder().width(800).height(700).title("sweep: Δaccuracy of dup:start-end vs baseline (" + n + " search items; * p<0.05 unadjusted)")
                .xAxisTitle("start layer").yAxisTitle("end layer").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(48);
        chart.getStyler().setXAxisDecimalPattern("0").setYAxisDecimalPattern("0");
        int max = 0;
        for (Decision d : scan) {
            Matcher m = DUP.matcher(d.variant());
            if (!m.matches()) continue;
            int a = Integer.parseInt(m.group(1)), b = Integer.parseInt(m.group(2));
            max = Math.max(max, b);
            double delta = d.delta().estimate();
            XYSeries cell = chart.addSeries(d.variant(), new double[] {a}, new double[] {b});
            cell.setMarker(SeriesMarkers.SQUARE).setMarkerColor(color(delta)).setLineColor(color(delta));
            String mark = d.p() < 0.05 ? "*" : "";
            chart.addAnnotation(new AnnotationText(String.format(Locale.ROOT, "%+.0f%s", 100 * delta, mark), a, b, false));
        }
        chart.getStyler().setXAxisMin(-0.5).setXAxisMax(max + 0.5).setYAxisMin(-0.5).setYAxisMax(max + 0.5);
        return chart;
    }

    /** Blue for a loss, red for a gain, light gray for none; darkest at 30 points, still light enough to read the label. */
    static Color color(double delta) {
        float t = (float) Math.min(1, Math.abs(delta) / 0.30);
        int fade = Math.round(235 - 150 * t);
        return delta >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }

    static XYChart pareto(List<Decision> scan) {
        return pareto(scan, "compute", "multiply-adds per token", Decision::multiplyAddsPerToken);
    }

    static XYChart pareto(List<Decision> scan, String costName, String axis, ToDoubleFunction<Decision> cost) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title("sweep: accuracy vs " + costName + " (" + scan.get(0).n() + " search items)")
                .xAxisTitle(axis).yAxisTitle("accuracy (Wilson 95%)").build();
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setXAxisDecimalPattern("0.###E0").setYAxisMin(0.0).setYAxisMax(1.0);
        XYSeries all = chart.addSeries("variants", scan.stream().mapToDouble(cost).toArray(),
                scan.stream().mapToDouble(Decision::accuracy).toArray());
        all.setMarker(SeriesMarkers.CIRCLE).setLineStyle(new BasicStroke(0f)).setLineColor(new Color(0, 0, 0, 0));
        for (Decision d : scan) {
            var w = Wilson.interval95(Math.round(d.accuracy() * d.n()), d.n());
            XYSeries bar = chart.addSeries(d.variant() + " 95%", new double[] {cost.applyAsDouble(d), cost.applyAsDouble(d)}, new double[] {w.low(), w.high()});
            bar.setMarker(new None()).setLineColor(Color.LIGHT_GRAY).setShowInLegend(false);
        }
        List<Decision> frontier = Plots.pareto(scan, cost, Decision::accuracy);
        XYSeries line = chart.addSeries("Pareto frontier", frontier.stream().mapToDouble(cost).toArray(),
                frontier.stream().mapToDouble(Decision::accuracy).toArray());
        line.setMarker(SeriesMarkers.DIAMOND).setLineColor(Color.DARK_GRAY);
        for (Decision d : frontier) chart.addAnnotation(new AnnotationText(d.variant(), cost.applyAsDouble(d), d.accuracy() + 0.03, false));
        return chart;
    }
}
