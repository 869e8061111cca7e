package dev.strata.frontier;

import dev.strata.StrataException;
import dev.strata.eval.ledger.Ledger;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the run directories (those holding an eval {@value Ledger#FILE}) that {@code --ledger}
 * arguments name: a run directory itself, a parent holding runs at any depth, or a quoted glob such
 * as {@code runs/ladder/eval-*}. Each run is found once however many arguments reach it.
 */
final class RunDirectories {
    private static final int MAX_DEPTH = 8;

    private RunDirectories() {}

    static List<Path> resolve(List<Path> arguments) {
        Set<Path> runs = new LinkedHashSet<>();
        for (Path arg : arguments) {
            List<Path> found = isGlob(arg.toString()) ? glob(arg.toString()) : under(arg);
            if (found.isEmpty()) throw new StrataException("no eval run (" + Ledger.FILE + ") under " + arg);
            for (Path p : found) runs.add(real(p));
        }
        return List.copyOf(runs);
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    private static List<Path> under(Path dir) {
        if (!Files.isDirectory(dir)) throw new StrataException("ledger directory not found: " + dir);
        if (Files.isRegularFile(dir.resolve(Ledger.FILE))) return List.of(dir);
        try (Stream<Path> s = Files.walk(dir, MAX_DEPTH)) {
            return s.filter(p -> p.getFileName().toString().equals(Ledger.FILE) && Files.isRegularFile(p)).map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new StrataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The glob is matched below its longest directory prefix free of glob characters. */
    private static List<Path> glob(String pattern) {
        Path p = Path.of(pattern);
        Path base = p.isAbsolute() ? p.getRoot() : Path.of("");
        int literal = 0;
        while (literal < p.getNameCount() - 1 && !isGlob(p.getName(literal).toString())) base = base.resolve(p.getName(literal++));
        Path start = base.toString().isEmpty() ? Path.of(".") : base;
        if (!Files.isDirectory(start)) throw new StrataException("ledger directory not found: " + start);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + p.subpath(literal, p.getNameCount()));
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(start, p.getNameCount() - literal)) {
            for (Path m : s.filter(Files::isDirectory).filter(d -> matcher.matches(start.relativize(d))).sorted().toList()) out.addAll(under(m));
        } catch (IOException e) {
            throw new StrataException("cannot list " + start + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new StrataException("cannot resolve " + p + ": " + e.getMessage(), e);
        }
    }
}
