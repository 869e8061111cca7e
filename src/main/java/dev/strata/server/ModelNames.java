package dev.strata.server;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names the one loaded model answers to: its id (the alias when given, else the file name without
 * .gguf), the file name, and the alias; with strict off (the default, as in llama-server) any name.
 */
record ModelNames(String id, Set<String> names, boolean strict) {
    static ModelNames of(String fileName, String fileId, String alias, boolean strict) {
        Set<String> names = new LinkedHashSet<>();
        String id = alias != null && !alias.isBlank() ? alias : fileId;
        names.add(id);
        names.add(fileId);
        names.add(fileName);
        return new ModelNames(id, Set.copyOf(names), strict);
    }

    boolean answersTo(String requested) {
        return !strict || names.contains(requested);
    }
}
