package dev.strata.frontier;

import dev.strata.StrataException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The frontier plot: models as points coloured by family (families with fewer than 4 models
 * share one grey), the chosen curve with its 95 % bootstrap band, and the knee with its interval.
 */
public final class FrontierPlot {
    private static final int MIN_FAMILY = 4;

    private FrontierPlot() {}

    /** Writes base.png and base.svg; returns the PNG's path. */
    public static Path write(FrontierResult r, Path base) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = chart(r);
        try {
            BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new StrataException("cannot write plot " + base + ": " + e.getMessage(), e);
        }
        return Path.of(base + ".png");
    }

    static XYChart chart(FrontierResult r) {
        FrontierResult.Candidate c = r.chosenCandidate();
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title(r.benchmark() + ": " + c.model() + " frontier, 95 % bootstrap band (" + r.resamples() + " resamples)")
                .xAxisTitle(r.xLabel() + " (log scale)").yAxisTitle(r.benchmark() + " (points)").build();
        var s = chart.getStyler();
        chart.getStyler().setXAxisLogarithmic(true);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(230, 230, 230));
        s.setMarkerSize(7);
        double[] yRange = yRange(r);
        chart.getStyler().setYAxisMin(yRange[0]);
        chart.getStyler().setYAxisMax(yRange[1]);

        FrontierResult.Band b = r.band();
        int g = b.x().length;
        double[] px = new double[2 * g], py = new double[2 * g];
        for (int i = 0; i < g; i++) {
            px[i] = b.x()[i];
            py[i] = b.lower()[i];
            px[2 * g - 1 - i] = b.x()[i];
            py[2 * g - 1 - i] = b.upper()[i];
        }
        XYSeries band = chart.addSeries("95 % band", px, py);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(new Color(70, 110, 200, 60));
        band.setLineColor(new Color(70, 110, 200, 60));
        band.setMarker(SeriesMarkers.NONE);
        XYSeries fit = chart.addSeries(c.model() + " fit", b.x(), b.fit());
        fit.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        fit.setLineColor(new Color(30, 60, 160));
        fit.setLineStyle(new BasicStroke(2.2f));
        fit.setMarker(SeriesMarkers.NONE);
        knee(chart, r, c, yRange);
        points(chart, r);
        return chart;
    }

    private static void knee(XYChart chart, FrontierResult r, FrontierResult.Candidate c, double[] yRange) {
        double lo = r.band().x()[0], hi = r.band().x()[r.band().x().length - 1];
        if (c.kneeStatus() == Knee.Status.WITHIN_DATA || c.kneeStatus() == Knee.Status.EXTRAPOLATED && c.knee() <= hi) {
            double k1 = Math.max(c.kneeInterval()[0], lo), k2 = Math.min(c.kneeInterval()[1], hi);
            if (k2 > k1) {
                XYSeries ci = chart.addSeries("knee 95 % CI", new double[] {k1, k2, k2, k1}, new double[] {yRange[0], yRange[0], yRange[1], yRange[1]});
                ci.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                ci.setFillColor(new Color(220, 60, 40, 35));
                ci.setLineColor(new Color(220, 60, 40, 35));
                ci.setMarker(SeriesMarkers.NONE);
            }
            String label = "knee (< " + FrontierReport.num(r.epsilonPoints()) + " pt/decade)" + (c.kneeStatus() == Knee.Status.EXTRAPOLATED ? ", extrapolated" : "");
            XYSeries k = chart.addSeries(label, new double[] {c.knee(), c.knee()}, new double[] {yRange[0], yRange[1]});
            k.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            k.setLineColor(new Color(200, 40, 30));
            k.setLineStyle(new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            k.setMarker(SeriesMarkers.NONE);
        }
    }

    private static void points(XYChart chart, FrontierResult r) {
        Map<String, List<FrontierResult.ModelResidual>> byFamily = new LinkedHashMap<>();
        for (FrontierResult.ModelResidual m : r.residuals()) byFamily.computeIfAbsent(m.group(), k -> new ArrayList<>()).add(m);
        List<FrontierResult.ModelResidual> small = new ArrayList<>();
        List<Map.Entry<String, List<FrontierResult.ModelResidual>>> big = new ArrayList<>();
        for (var e : byFamily.entrySet()) {
            if (e.getValue().size() >= MIN_FAMILY) big.add(e);
            else small.addAll(e.getValue());
        }
        if (!small.isEmpty()) scatter(chart, "other families", small, new Color(150, 150, 150));
        for (int i = 0; i < big.size(); i++) {
            float hue = (float) ((i * 0.618033988749895) % 1.0);
            scatter(chart, big.get(i).getKey() + " (" + big.get(i).getValue().size() + ")", big.get(i).getValue(),
                    Color.getHSBColor(hue, 0.75f, i % 2 == 0 ? 0.8f : 0.6f));
        }
    }

    private static void scatter(XYChart chart, String name, List<FrontierResult.ModelResidual> ms, Color color) {
        double[] x = ms.stream().mapToDouble(FrontierResult.ModelResidual::x).toArray();
        double[] y = ms.stream().mapToDouble(FrontierResult.ModelResidual::score).toArray();
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
    }

    private static double[] yRange(FrontierResult r) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (FrontierResult.ModelResidual m : r.residuals()) {
            lo = Math.min(lo, m.score());
            hi = Math.max(hi, m.score());
        }
        for (double v : r.band().fit()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double pad = 0.05 * (hi - lo);
        return new double[] {Math.floor(lo - pad), Math.ceil(hi + pad)};
    }
}
