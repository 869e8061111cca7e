package dev.strata.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Appends one JSON object per timed repetition to a JSON-lines file; without a file it does nothing. */
public final class MeasurementLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;
    private Runnable onMeasurement = () -> {};

    private MeasurementLog(BufferedWriter out) {
        this.out = out;
    }

    /** Also calls {@code listener} after every timed repetition (a progress bar, for one). */
    public MeasurementLog onMeasurement(Runnable listener) {
        this.onMeasurement = listener;
        return this;
    }

    public static MeasurementLog none() {
        return new MeasurementLog(null);
    }

    public static MeasurementLog appendingTo(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return new MeasurementLog(Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new StrataException("cannot open log " + file + ": " + e.getMessage());
        }
    }

    /** weightBytes and multiplyAdds are negative where the backend does not report them. */
    public void measurement(String model, String backend, String kernels, int threads, String test, int repetition,
                            long tokens, long nanos, long weightBytes, long multiplyAdds) {
        onMeasurement.run();
        if (out == null) return;
        ObjectNode line = JSON.createObjectNode()
                .put("time", Instant.now().toString()).put("model", model).put("backend", backend).put("kernels", kernels)
                .put("threads", threads).put("test", test).put("repetition", repetition).put("tokens", tokens)
                .put("nanos", nanos).put("tokens_per_second", tokens * 1e9 / nanos);
        if (weightBytes >= 0) line.put("weight_bytes", weightBytes);
        if (multiplyAdds >= 0) line.put("multiply_adds", multiplyAdds);
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new StrataException("cannot write the measurement log: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            throw new StrataException("cannot close the measurement log: " + e.getMessage());
        }
    }
}
