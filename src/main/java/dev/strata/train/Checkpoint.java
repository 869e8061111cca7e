package dev.strata.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import dev.strata.train.model.ModelConfig;
import dev.strata.train.tokenize.TrainTokenizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A resumable training state in one binary file: a JSON header (model shape, run options,
 * tokenizer, progress) followed by the parameters and AdamW's two moment buffers as little-endian
 * fp32. Written to a temporary file and renamed, so a crash never leaves half a checkpoint.
 */
public record Checkpoint(ModelConfig config, TrainOptions options, TrainTokenizer tokenizer, Progress progress,
                         float[] params, float[] firstMoment, float[] secondMoment) {

    /** Where the run stood: steps and tokens done, training seconds spent, problems consumed, optimizer steps. */
    public record Progress(long step, long tokens, double trainingSeconds, long problemsPlaced, long optimizerStep) {}

    private static final String MAGIC = "STRATA-TRAIN-CKPT";
    private static final int VERSION = 1;

    public void save(Path file) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = mapper.createObjectNode();
        header.set("config", mapper.valueToTree(config));
        header.set("options", mapper.valueToTree(options));
        header.set("tokenizer", tokenizer.toJson(mapper));
        header.set("progress", mapper.valueToTree(progress));
        Path tmp = temporarySibling(file);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            byte[] json = mapper.writeValueAsBytes(header);
            out.writeInt(json.length);
            out.write(json);
            writeFloats(out, params);
            writeFloats(out, firstMoment);
            writeFloats(out, secondMoment);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new StrataException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new StrataException("cannot move checkpoint into place at " + file + ": " + e.getMessage(), e);
        }
    }

    /** A name of this process's own beside the checkpoint, so two writers never share one temporary file. */
    private static Path temporarySibling(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            return Files.createTempFile(dir, file.getFileName() + "." + ProcessHandle.current().pid() + ".", ".tmp");
        } catch (IOException e) {
            throw new StrataException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the original error is the one worth reporting
        }
    }

    public static Checkpoint load(Path file) {
        // derived accessors such as ModelConfig.isMoe() are serialised too; reading ignores them
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (!MAGIC.equals(in.readUTF())) throw new StrataException(file + " is not a Strata training checkpoint");
            int version = in.readInt();
            if (version != VERSION) throw new StrataException("checkpoint " + file + " has version " + version + ", expected " + VERSION);
            long size = Files.size(file);
            byte[] json = new byte[checkedLength(in.readInt(), 1, size)];
            in.readFully(json);
            ObjectNode header = (ObjectNode) mapper.readTree(new String(json, StandardCharsets.UTF_8));
            ModelConfig config = mapper.treeToValue(header.get("config"), ModelConfig.class);
            TrainOptions options = mapper.treeToValue(header.get("options"), TrainOptions.class);
            TrainTokenizer tokenizer = TrainTokenizer.fromJson((ObjectNode) header.get("tokenizer"), file.toString());
            Progress progress = mapper.treeToValue(header.get("progress"), Progress.class);
            return new Checkpoint(config, options, tokenizer, progress, readFloats(in, size), readFloats(in, size), readFloats(in, size));
        } catch (java.io.EOFException e) {
            throw new StrataException("checkpoint " + file + " is truncated (it ends early, as after a crash mid-write); use an intact checkpoint", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof StrataException se) throw se;
            throw new StrataException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** A length field read from the file, refused before allocation when the file cannot hold that much. */
    private static int checkedLength(int n, int bytesPerItem, long fileSize) throws IOException {
        if (n < 0 || (long) n * bytesPerItem > fileSize) throw new IOException("a length field says " + n + ", more than the file holds");
        return n;
    }

    private static float[] readFloats(DataInputStream in, long fileSize) throws IOException {
        int n = checkedLength(in.readInt(), 4, fileSize);
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        float[] out = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
