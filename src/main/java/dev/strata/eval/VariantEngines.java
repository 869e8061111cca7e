package dev.strata.eval;

import dev.strata.StrataException;
import dev.strata.runtime.Engine;
import dev.strata.tools.quantize.QuantizedEngine;
import dev.strata.weights.StreamingOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The engine each variant runs on: one per (kernel set, per-layer weight types), each running one
 * thread per sequence, opened on first use and closed together. Layer paths and experts per token
 * share an engine; a quant variant needs its own, since its weights differ.
 */
public final class VariantEngines implements Function<Variant, Engine>, AutoCloseable {
    private final Path model;
    private final String kernels;
    private final StreamingOptions streaming;
    private final Engine shared;
    private final Map<String, Engine> owned = new LinkedHashMap<>();

    /** {@code shared}, if not null, is the run's engine for the source weights at {@code kernels}; it is used, not closed. */
    public VariantEngines(Path model, String kernels, StreamingOptions streaming, Engine shared) {
        this.model = model;
        this.kernels = kernels;
        this.streaming = streaming;
        this.shared = shared;
    }

    @Override
    public synchronized Engine apply(Variant v) {
        String k = v.kernelsOr(kernels);
        if (v.quant() == null && shared != null && k.equals(kernels)) return shared;
        if (v.quant() != null && streaming != null)
            throw new StrataException("variant '" + v.canonical() + "': per-layer weight types need the mapped model, not expert streaming");
        return owned.computeIfAbsent(k + "|" + v.quant(), key -> v.quant() == null ? Engine.open(model, 1, k, streaming)
                : QuantizedEngine.open(model, 1, k, null, v.layerTypes()));
    }

    @Override
    public synchronized void close() {
        owned.values().forEach(Engine::close);
        owned.clear();
    }
}
