package dev.strata.eval.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's source of truth: {@value #FILE} in the run directory, append-only JSONL. Line 1 is the
 * {@link LedgerHeader}; every other line is a {@link LedgerEntry}. Each batch is written with one
 * write and then forced to disk, so a kill -9 can tear at most the last line, which reading
 * ignores and resuming cuts off before appending.
 */
public final class Ledger implements AutoCloseable {
    public static final String FILE = "ledger.jsonl";
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What a ledger file holds; entries keep file order, the first line per key wins. */
    public record Contents(LedgerHeader header, List<LedgerEntry> entries, long validBytes) {}

    private final FileChannel channel;
    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();
    private final LedgerHeader header;

    private Ledger(FileChannel channel, LedgerHeader header, List<LedgerEntry> existing) {
        this.channel = channel;
        this.header = header;
        for (LedgerEntry e : existing) entries.putIfAbsent(e.key(), e);
    }

    /**
     * Starts a new run in {@code dir}; refuses a directory that already holds one. The header is
     * written to a temporary file and moved into place, so a kill never leaves a ledger without it.
     */
    public static Ledger create(Path dir, LedgerHeader header) {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) throw new StrataException(dir + " already holds a run (" + FILE + "): pass --resume to continue it, or choose another --out");
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                new Ledger(ch, header, List.of()).write(List.of(line("header", header)));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new Ledger(ch, header, List.of());
        } catch (IOException e) {
            throw new StrataException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Continues the run in {@code dir}: checks the configuration matches and cuts off a torn last line. */
    public static Ledger resume(Path dir, LedgerHeader expected) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return create(dir, expected);
        Contents c = read(dir);
        String mismatch = c.header().mismatch(expected);
        if (mismatch != null) throw new StrataException("cannot resume " + dir + ": the run there has a different configuration (" + mismatch + ")");
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
            ch.truncate(c.validBytes());
            ch.force(true);
            ch.position(c.validBytes());
            return new Ledger(ch, c.header(), c.entries());
        } catch (IOException e) {
            throw new StrataException("cannot open " + file + " for appending: " + e.getMessage(), e);
        }
    }

    /** Reads a ledger; a torn (unterminated) last line is ignored, any other bad line is an error. */
    public static Contents read(Path dir) {
        Path file = dir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StrataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        LedgerHeader header = null;
        List<LedgerEntry> entries = new ArrayList<>();
        int start = 0, lineNo = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            if (end == bytes.length) break; // torn: the write of this line never finished
            lineNo++;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            try {
                JsonNode node = JSON.readTree(text);
                String type = node.path("type").asText();
                if (lineNo == 1 && type.equals("header")) header = JSON.treeToValue(node, LedgerHeader.class);
                else if (lineNo > 1 && type.equals("item")) entries.add(JSON.treeToValue(node, LedgerEntry.class));
                else throw new StrataException("unexpected '" + type + "' line");
            } catch (JsonProcessingException | StrataException | IllegalArgumentException e) {
                throw new StrataException(file + " line " + lineNo + " is not a valid ledger line: " + e.getMessage().lines().findFirst().orElse(""), e);
            }
            start = end + 1;
        }
        if (header == null) throw new StrataException(file + " has no header line; it is not a Strata eval ledger");
        return new Contents(header, entries, start);
    }

    public LedgerHeader header() {
        return header;
    }

    public synchronized boolean has(String variantHash, String item) {
        return entries.containsKey(variantHash + " " + item);
    }

    public synchronized List<LedgerEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** Appends one batch with a single write, then fsyncs. Entries already in the ledger are skipped. */
    public synchronized void append(List<LedgerEntry> batch) {
        List<String> lines = new ArrayList<>();
        for (LedgerEntry e : batch) if (entries.putIfAbsent(e.key(), e) == null) lines.add(line("item", e));
        if (lines.isEmpty()) return;
        try {
            write(lines);
        } catch (IOException e) {
            throw new StrataException("cannot append to the ledger: " + e.getMessage(), e);
        }
    }

    private void write(List<String> lines) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) channel.write(buf);
        channel.force(true);
    }

    private static String line(String type, Object value) {
        ObjectNode node = JSON.createObjectNode().put("type", type);
        node.setAll((ObjectNode) JSON.valueToTree(value));
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StrataException("cannot close the ledger: " + e.getMessage(), e);
        }
    }
}
