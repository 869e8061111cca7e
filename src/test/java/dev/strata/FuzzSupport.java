package dev.strata;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The quick fuzzing every normal test run does: the committed Jazzer corpus of a target
 * ({@code <Class>Inputs/fuzz/} beside the class in src/test/resources), then seeded mutations of it (bit flips,
 * byte changes, insertions, deletions, truncations, splices). Long coverage-guided runs use Jazzer itself:
 * {@code ./strata fuzz --minutes N}.
 */
public final class FuzzSupport {
    private FuzzSupport() {}

    public static List<byte[]> corpus(Class<?> owner) {
        URL url = owner.getResource(owner.getSimpleName() + "Inputs/fuzz");
        if (url == null) throw new IllegalStateException("no corpus for " + owner.getName());
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<byte[]> out = new ArrayList<>();
            for (Path p : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    out.add(in.readAllBytes());
                }
            }
            return out;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the target on every corpus entry, then on {@code mutations} seeded mutants; returns the executions. */
    public static int replayAndMutate(Class<?> owner, Consumer<byte[]> target, int mutations, long seed) {
        List<byte[]> corpus = corpus(owner);
        for (byte[] input : corpus) target.accept(input);
        Random rnd = new Random(seed);
        for (int i = 0; i < mutations; i++) {
            byte[] input = mutate(corpus.get(rnd.nextInt(corpus.size())), corpus.get(rnd.nextInt(corpus.size())), rnd);
            try {
                target.accept(input);
            } catch (Throwable t) {
                throw new AssertionError("mutant " + i + " (seed " + seed + ", " + input.length + " bytes) failed: " + t, t);
            }
        }
        return corpus.size() + mutations;
    }

    static byte[] mutate(byte[] base, byte[] other, Random rnd) {
        byte[] b = base.clone();
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = b.length == 0 ? 0 : rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0 -> { if (b.length > 0) b[at] ^= (byte) (1 << rnd.nextInt(8)); }
                case 1 -> { if (b.length > 0) b[at] = (byte) rnd.nextInt(256); }
                case 2 -> b = splice(b, at, new byte[] {(byte) "()[]{}<>|:,-\"\\%0x".charAt(rnd.nextInt(17))}, 0);
                case 3 -> b = splice(b, at, new byte[0], Math.min(b.length - at, 1 + rnd.nextInt(8)));
                case 4 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    int from = other.length == 0 ? 0 : rnd.nextInt(other.length);
                    int len = Math.min(other.length - from, 1 + rnd.nextInt(32));
                    b = splice(b, at, java.util.Arrays.copyOfRange(other, from, from + len), 0);
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, byte[] insert, int delete) {
        byte[] out = new byte[b.length - delete + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + delete, out, at + insert.length, b.length - at - delete);
        return out;
    }
}
