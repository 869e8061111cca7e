package dev.strata.tools;

import dev.strata.gguf.GgufFile;
import dev.strata.gguf.GgufValue;
import dev.strata.gguf.GgufWriter;
import dev.strata.model.LayerPath;
import dev.strata.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.strata.model.ModelConfig;

/**
 * "GGUF surgery": writes a copy of a model with a layer path materialized, copying and
 * renumbering blocks and updating block_count, so that other engines can run the same variant
 * that Strata runs in place with --layers.
 */
public final class LayerSurgery {
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(.+)");

    private LayerSurgery() {}

    /** Returns the layer path written. */
    public static int[] materialize(Path in, Path out, String spec) {
        try (GgufFile f = GgufFile.open(in)) {
            ModelConfig c = ModelConfig.fromGguf(f);
            int[] path = LayerPath.parse(spec, c.blockCount());
            GgufWriter w = new GgufWriter();
            GgufWriter.copyMetadata(f, w);
            w.put(c.architecture() + ".block_count", GgufValue.u32(path.length));
            w.putString("strata.layer_path", spec);
            for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                if (!BLOCK.matcher(e.getKey()).matches()) w.addTensor(e.getValue());
            }
            for (int i = 0; i < path.length; i++) {
                String prefix = "blk." + path[i] + ".";
                for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                    Matcher m = BLOCK.matcher(e.getKey());
                    if (m.matches() && e.getKey().startsWith(prefix)) {
                        Tensor t = e.getValue();
                        w.addTensor("blk." + i + "." + m.group(2), t.type(), t.shape(), t.data());
                    }
                }
            }
            w.write(out);
            return path;
        }
    }
}
