package dev.strata.frontier;

import dev.strata.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a CSV file (RFC 4180: quoted fields, doubled quotes, CRLF) into a table keyed by its first column. */
public final class CsvTableReader {
    private CsvTableReader() {}

    public static ScoreTable read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StrataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static ScoreTable parse(String text, String source) {
        List<List<String>> records = records(text, source);
        if (records.isEmpty()) throw new StrataException(source + ": empty CSV");
        List<String> header = records.getFirst().stream().map(String::strip).toList();
        if (new HashSet<>(header).size() != header.size()) throw new StrataException(source + ": duplicate column names in header");
        List<ScoreTable.Row> rows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> rec = records.get(i);
            if (rec.size() == 1 && rec.getFirst().isBlank()) continue;
            if (rec.size() > header.size()) {
                throw new StrataException(source + ": record " + (i + 1) + " has " + rec.size() + " fields, the header " + header.size());
            }
            Map<String, String> cells = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) cells.put(header.get(c), c < rec.size() ? rec.get(c) : "");
            String id = cells.get(header.getFirst()).strip();
            if (id.isEmpty()) throw new StrataException(source + ": record " + (i + 1) + " has no " + header.getFirst());
            if (!ids.add(id)) throw new StrataException(source + ": '" + id + "' appears twice");
            rows.add(new ScoreTable.Row(id, cells));
        }
        return new ScoreTable(header.getFirst(), header, rows);
    }

    private static List<List<String>> records(String text, String source) {
        List<List<String>> out = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false, any = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            any = true;
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                rec.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                rec.add(field.toString());
                field.setLength(0);
                out.add(rec);
                rec = new ArrayList<>();
                any = false;
            } else {
                field.append(ch);
            }
        }
        if (quoted) throw new StrataException(source + ": unterminated quoted field");
        if (any) {
            rec.add(field.toString());
            out.add(rec);
        }
        return out;
    }
}
