package dev.strata.weights;

import dev.strata.gguf.GgufFile;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.LargePages;
import dev.strata.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernels' repacked copies of a file's matmul weights (native Q4_0/Q8_0), held off-heap until close.
 * Every store that hands the same file's tensors to the kernels repacks them alike, so a mapped and a
 * streaming run of one model compute the same bits. The mapping itself is never written; with
 * {@code releaseMapped} the mapped pages of a repacked tensor are released after the copy.
 */
final class RepackedWeights implements AutoCloseable {
    private final GgufFile file;
    private final KernelProvider kernels;
    private final boolean releaseMapped;
    private final Arena arena = Arena.ofShared();
    /** Decode streams these copies once per token: 2 MiB pages spare a TLB miss every 4 KiB. */
    private final LargePages memory = new LargePages(arena);
    private final ConcurrentHashMap<String, Tensor> copies = new ConcurrentHashMap<>();

    /** {@code kernels} null: no repacking, tensors pass through. */
    RepackedWeights(GgufFile file, KernelProvider kernels, boolean releaseMapped) {
        this.file = file;
        this.kernels = kernels;
        this.releaseMapped = releaseMapped;
    }

    /** The tensor as the kernels want it; only the file's own tensors are repacked (not slices or converted ones). */
    Tensor of(Tensor t) {
        if (kernels == null || t != file.tensor(t.name())) return t;
        return copies.computeIfAbsent(t.name(), n -> {
            Tensor r = kernels.repack(t, memory);
            // the matmuls now read the copy: let the mapped original leave RSS (it faults back in if read)
            if (releaseMapped && r.packed() != null && t.data().isMapped()) t.data().unload();
            return r;
        });
    }

    @Override
    public void close() {
        arena.close();
    }
}
