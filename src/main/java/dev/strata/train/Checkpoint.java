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
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
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
            throw new StrataException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StrataException("cannot move checkpoint into place at " + file + ": " + e.getMessage(), e);
        }
    }

    public static Checkpoint load(Path file) {
        // derived accessors such as ModelConfig.isMoe() are serialised too; reading ignores them
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (!MAGIC.equals(in.readUTF())) throw new StrataException(file + " is not a Strata training checkpoint");
            int version = in.readInt();
            if (version != VERSION) throw new StrataException("checkpoint " + file + " has version " + version + ", expected " + VERSION);
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            ObjectNode header = (ObjectNode) mapper.readTree(new String(json, StandardCharsets.UTF_8));
            ModelConfig config = mapper.treeToValue(header.get("config"), ModelConfig.class);
            TrainOptions options = mapper.treeToValue(header.get("options"), TrainOptions.class);
            TrainTokenizer tokenizer = TrainTokenizer.fromJson((ObjectNode) header.get("tokenizer"), file.toString());
            Progress progress = mapper.treeToValue(header.get("progress"), Progress.class);
            return new Checkpoint(config, options, tokenizer, progress, readFloats(in), readFloats(in), readFloats(in));
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

    private static float[] readFloats(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) throw new IOException("negative array length");
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        float[] out = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
