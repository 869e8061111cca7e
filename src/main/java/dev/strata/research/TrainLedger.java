package dev.strata.research;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.strata.StrataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@value #FILE}: one line per finished (recipe, seed) of a {@code --space train} run, with the
 * trained model's held-out outcomes and cost, after a header line holding the run's fingerprint.
 * Each line is one write forced to disk, so a kill -9 tears at most the last line, which opening
 * cuts off; a (recipe, seed) with a line is never trained or scored again.
 */
public final class TrainLedger implements AutoCloseable {
    public static final String FILE = "trainings.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public record Header(String fingerprint) {}

    /**
     * A finished training: status "done" or "crash" (message says why); outcomes a string of 0 and 1
     * over the held-out items in order; cost summed over those items.
     */
    public record Run(String recipe, long seed, String status, String message, long steps, double trainingSeconds, double valLoss, String model,
            String outcomes, long tokens, long multiplyAdds, long weightBytes) {
        String key() {
            return key(recipe, seed);
        }

        static String key(String recipe, long seed) {
            return recipe + " " + seed;
        }

        boolean[] correct() {
            boolean[] c = new boolean[outcomes.length()];
            for (int i = 0; i < c.length; i++) c[i] = outcomes.charAt(i) == '1';
            return c;
        }
    }

    private final FileChannel channel;
    private final Map<String, Run> runs = new LinkedHashMap<>();

    private TrainLedger(FileChannel channel) {
        this.channel = channel;
    }

    /** Creates the ledger, or on {@code resume} continues one whose fingerprint must equal this run's. */
    public static TrainLedger open(Path dir, String fingerprint, boolean resume) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            if (!resume && Files.exists(file)) throw new StrataException(file + " exists; give --resume to continue that run, or another --out");
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            TrainLedger ledger = new TrainLedger(ch);
            try {
                ledger.load(file, fingerprint);
            } catch (RuntimeException | IOException e) {
                ch.close();
                throw e;
            }
            return ledger;
        } catch (IOException e) {
            throw new StrataException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private void load(Path file, String fingerprint) throws IOException {
        List<String> lines = SyncedLines.recover(channel, file);
        if (lines.isEmpty()) {
            write(JSON.writeValueAsString(new Header(fingerprint)));
            return;
        }
        String theirs = JSON.readValue(lines.get(0), Header.class).fingerprint();
        if (!fingerprint.equals(theirs))
            throw new StrataException(file + " belongs to another configuration (" + theirs + "); this run is " + fingerprint);
        for (String line : lines.subList(1, lines.size())) {
            Run r = JSON.readValue(line, Run.class);
            runs.putIfAbsent(r.key(), r);
        }
    }

    public synchronized Run get(String recipe, long seed) {
        return runs.get(Run.key(recipe, seed));
    }

    public synchronized List<Run> runs() {
        return new ArrayList<>(runs.values());
    }

    public synchronized void append(Run r) {
        if (runs.putIfAbsent(r.key(), r) != null) return;
        try {
            write(JSON.writeValueAsString(r));
        } catch (IOException e) {
            throw new StrataException("cannot append to " + FILE + ": " + e.getMessage(), e);
        }
    }

    private void write(String line) throws IOException {
        SyncedLines.append(channel, line);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StrataException("cannot close " + FILE + ": " + e.getMessage(), e);
        }
    }
}
