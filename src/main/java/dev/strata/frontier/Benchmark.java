package dev.strata.frontier;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The points of one score column against x, with the rows left out and why. x can be a column,
 * "6ND" (6 x parameters x tokens for every row), or a column with its gaps filled by 6ND; derived
 * values are flagged on each point. 6ND takes parameters in billions and tokens in trillions and
 * gives units of 1E21 FLOPs, the units of the shipped CSV's "FLOPs (1E21)" column.
 */
public record Benchmark(String name, String xLabel, List<ScorePoint> points, int missingX, int missingY, int excluded, double chance) {

    public static final String SIX_ND = "6ND";

    /** How x is taken from a table row. */
    public record XSpec(String column, boolean fill6nd, String paramsColumn, String tokensColumn) {
        public String label() {
            if (column.equals(SIX_ND)) return "6ND (1E21 FLOPs, derived from " + paramsColumn + " x " + tokensColumn + ")";
            return fill6nd ? column + " (gaps filled with 6ND)" : column;
        }

        boolean needs6nd() {
            return fill6nd || column.equals(SIX_ND);
        }
    }

    /** The same points with another chance level (score units; NaN fits the floor). */
    public Benchmark withChance(double chanceLevel) {
        return new Benchmark(name, xLabel, points, missingX, missingY, excluded, chanceLevel);
    }

    public int size() {
        return points.size();
    }

    public FitData fitData() {
        double[] u = new double[size()], y = new double[size()];
        for (int i = 0; i < size(); i++) {
            u[i] = points.get(i).u();
            y[i] = points.get(i).y();
        }
        return new FitData(u, y, FitData.detectFullScale(y));
    }

    public long derivedCount() {
        return points.stream().filter(ScorePoint::xDerived).count();
    }

    public static Benchmark select(ScoreTable t, XSpec x, String yColumn, String groupColumn, Collection<String> exclude) {
        t.requireColumn(yColumn);
        if (groupColumn != null) t.requireColumn(groupColumn);
        if (!x.column().equals(SIX_ND)) t.requireColumn(x.column());
        if (x.needs6nd()) {
            t.requireColumn(x.paramsColumn());
            t.requireColumn(x.tokensColumn());
        }
        List<ScorePoint> points = new ArrayList<>();
        int missingX = 0, missingY = 0, excluded = 0;
        for (ScoreTable.Row r : t.rows()) {
            if (exclude.contains(r.id())) {
                excluded++;
                continue;
            }
            double y = t.number(r, yColumn);
            double xv = x.column().equals(SIX_ND) ? Double.NaN : t.number(r, x.column());
            boolean derived = false;
            if (Double.isNaN(xv) && x.needs6nd()) {
                xv = 6 * t.number(r, x.paramsColumn()) * t.number(r, x.tokensColumn());
                derived = !Double.isNaN(xv);
            }
            if (!(xv > 0) || Double.isInfinite(xv)) {
                missingX++;
            } else if (Double.isNaN(y)) {
                missingY++;
            } else {
                String group = groupColumn == null ? r.id() : r.text(groupColumn);
                points.add(new ScorePoint(r.id(), group == null ? "(none)" : group, xv, y, derived));
            }
        }
        if (points.size() < 5) throw new StrataException("'" + yColumn + "' has " + points.size() + " rows with both x and y; at least 5 are needed");
        double full = FitData.detectFullScale(points.stream().mapToDouble(ScorePoint::y).toArray());
        return new Benchmark(yColumn, x.label(), List.copyOf(points), missingX, missingY, excluded, ChanceLevels.of(yColumn) * full);
    }
}
