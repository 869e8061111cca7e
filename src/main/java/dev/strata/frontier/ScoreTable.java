package dev.strata.frontier;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Rows of named cells keyed by an id column (a model, or a ledger's variant). Cells are kept as
 * text; an empty or absent cell is missing, never zero. Numbers are parsed on request.
 */
public record ScoreTable(String idColumn, List<String> columns, List<Row> rows) {

    public record Row(String id, Map<String, String> cells) {
        public String text(String column) {
            String v = cells.get(column);
            return v == null || v.isBlank() ? null : v.strip();
        }
    }

    public ScoreTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public boolean hasColumn(String column) {
        return columns.contains(column);
    }

    public void requireColumn(String column) {
        if (!hasColumn(column)) throw new StrataException("no column '" + column + "'; columns: " + String.join(", ", columns));
    }

    /** The cell as a number; NaN when missing; an error naming the row when it is not a number. */
    public double number(Row row, String column) {
        String v = row.text(column);
        if (v == null) return Double.NaN;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new StrataException("column '" + column + "', row '" + row.id() + "': '" + v + "' is not a number");
        }
    }

    /** Every present cell of the column parses as a number and at least one is present. */
    public boolean isNumeric(String column) {
        boolean any = false;
        for (Row r : rows) {
            String v = r.text(column);
            if (v == null) continue;
            try {
                Double.parseDouble(v);
                any = true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return any;
    }

    /**
     * Joins tables on their id: rows in first-seen order, columns in first-seen order. A cell
     * given by two tables must agree; a disagreement is an error rather than a silent choice.
     */
    public static ScoreTable join(List<ScoreTable> tables) {
        if (tables.size() == 1) return tables.getFirst();
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        Map<String, Map<String, String>> byId = new LinkedHashMap<>();
        String idColumn = tables.getFirst().idColumn();
        for (ScoreTable t : tables) {
            columns.addAll(t.columns());
            for (Row r : t.rows()) {
                Map<String, String> cells = byId.computeIfAbsent(r.id(), k -> new LinkedHashMap<>());
                for (Map.Entry<String, String> e : r.cells().entrySet()) {
                    String mine = r.text(e.getKey()), theirs = cells.get(e.getKey());
                    if (mine == null) continue;
                    if (theirs != null && !theirs.isBlank() && !theirs.strip().equals(mine)) {
                        throw new StrataException("tables disagree on '" + e.getKey() + "' for '" + r.id() + "': " + theirs + " vs " + mine);
                    }
                    cells.put(e.getKey(), mine);
                }
            }
        }
        columns.remove(idColumn);
        List<String> cols = new ArrayList<>();
        cols.add(idColumn);
        cols.addAll(columns);
        List<Row> rows = new ArrayList<>();
        byId.forEach((id, cells) -> rows.add(new Row(id, cells)));
        return new ScoreTable(idColumn, cols, rows);
    }
}
