package dev.strata.weights;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufWriter;
import dev.strata.model.ExpertNames;
import dev.strata.model.ModelConfig;
import dev.strata.tensor.Tensor;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites a MoE GGUF into the packed expert layout: each expert of each layer becomes three 2-D
 * tensors (gate, up, down) written back to back, so one positional read fetches it. Alignment is
 * raised to 4096 bytes so every expert also starts on a page / O_DIRECT boundary. All other tensors
 * and metadata are copied unchanged; the bytes of every matrix are identical.
 */
public final class ExpertRepacker {
    public static final int PACKED_ALIGNMENT = ExpertLayout.DIRECT_ALIGNMENT;

    private ExpertRepacker() {}

    /** Returns the number of experts written. */
    public static int repack(Path in, Path out) {
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new StrataException("repack: output must differ from the input " + in);
        }
        try (GgufFile f = GgufFile.open(in)) {
            if (ExpertNames.isPacked(f)) throw new StrataException(in + " is already packed (" + ExpertNames.LAYOUT_KEY + " = " + ExpertNames.PACKED + ")");
            ModelConfig c = ModelConfig.fromGguf(f);
            if (!c.isMoe()) throw new StrataException(in + " is a dense model; repack only rewrites mixture-of-experts files");
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(f, w);
            w.putU32("general.alignment", Math.max(PACKED_ALIGNMENT, f.alignment()));
            w.putString(ExpertNames.LAYOUT_KEY, ExpertNames.PACKED);
            Set<String> stacked = new HashSet<>();
            for (int l = 0; l < c.blockCount(); l++) for (String kind : ExpertNames.KINDS) stacked.add(ExpertNames.stacked(l, kind));
            Set<Integer> written = new HashSet<>();
            int experts = 0;
            for (Tensor t : f.tensors().values()) {
                if (!stacked.contains(t.name())) {
                    w.addTensor(t);
                    continue;
                }
                int layer = Integer.parseInt(t.name().split("\\.")[1]);
                if (!written.add(layer)) continue;
                for (int e = 0; e < c.expertCount(); e++) {
                    for (String kind : ExpertNames.KINDS) {
                        Tensor slice = f.requireTensor(ExpertNames.stacked(layer, kind)).slice(e);
                        w.addTensor(ExpertNames.packed(layer, kind, e), slice.type(), slice.shape(), slice.data());
                    }
                    experts++;
                }
            }
            w.write(out);
            return experts;
        }
    }
}
