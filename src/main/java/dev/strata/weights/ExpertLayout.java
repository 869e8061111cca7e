package dev.strata.weights;

import dev.strata.gguf.GgufFile;
import dev.strata.model.ExpertNames;
import dev.strata.tensor.Tensor;

/**
 * Where each expert's gate, up and down bytes lie in the file, and how to read them into a cache
 * slot: one positional read when the three are adjacent (the packed layout), otherwise one read
 * each. With direct I/O every read is widened to {@link #DIRECT_ALIGNMENT} boundaries.
 */
final class ExpertLayout {
    static final int DIRECT_ALIGNMENT = 4096;

    /** One positional read: file bytes [filePos, filePos + length) into the slot at slotOffset. */
    record Read(long filePos, long length, long slotOffset) {}

    /** The reads filling a slot, and each matrix's byte offset inside the slot. */
    record Plan(Read[] reads, long[] matrixOffsets, long slotBytes) {}

    private final int layers, experts;
    private final Tensor[][][] parts; // [layer][expert][kind]
    private final long[][][] positions;
    private final boolean direct;
    private final long maxSlotBytes;
    private final long expertBytes;

    ExpertLayout(GgufFile file, int layers, int experts, boolean direct) {
        this.layers = layers;
        this.experts = experts;
        this.direct = direct;
        this.parts = new Tensor[layers][experts][3];
        this.positions = new long[layers][experts][3];
        boolean packed = ExpertNames.isPacked(file);
        long base = file.mapping().address(), max = 0, total = 0;
        for (int l = 0; l < layers; l++) {
            for (int k = 0; k < 3; k++) {
                String kind = ExpertNames.KINDS[k];
                Tensor stacked = packed ? null : file.requireTensor(ExpertNames.stacked(l, kind));
                for (int e = 0; e < experts; e++) {
                    Tensor t = packed ? file.requireTensor(ExpertNames.packed(l, kind, e)) : stacked.slice(e);
                    parts[l][e][k] = t;
                    positions[l][e][k] = t.data().address() - base;
                    total += t.data().byteSize();
                }
            }
            for (int e = 0; e < experts; e++) max = Math.max(max, plan(l, e).slotBytes());
        }
        this.maxSlotBytes = alignUp(max, DIRECT_ALIGNMENT);
        this.expertBytes = total;
    }

    int layers() { return layers; }
    int experts() { return experts; }
    long slotBytes() { return maxSlotBytes; }
    /** Bytes of all expert matrices in the file. */
    long expertBytes() { return expertBytes; }

    Tensor part(int layer, int expert, int kind) {
        return parts[layer][expert][kind];
    }

    Plan plan(int layer, int expert) {
        long[] pos = positions[layer][expert];
        long[] len = new long[3];
        for (int k = 0; k < 3; k++) len[k] = parts[layer][expert][k].data().byteSize();
        boolean adjacent = pos[0] < pos[1] && pos[1] < pos[2] && pos[2] + len[2] - pos[0] <= len[0] + len[1] + len[2] + 2L * DIRECT_ALIGNMENT;
        if (adjacent) {
            long start = direct ? alignDown(pos[0], DIRECT_ALIGNMENT) : pos[0];
            long end = direct ? alignUp(pos[2] + len[2], DIRECT_ALIGNMENT) : pos[2] + len[2];
            long[] offsets = {pos[0] - start, pos[1] - start, pos[2] - start};
            return new Plan(new Read[] {new Read(start, end - start, 0)}, offsets, end - start);
        }
        Read[] reads = new Read[3];
        long[] offsets = new long[3];
        long at = 0;
        for (int k = 0; k < 3; k++) {
            long start = direct ? alignDown(pos[k], DIRECT_ALIGNMENT) : pos[k];
            long end = direct ? alignUp(pos[k] + len[k], DIRECT_ALIGNMENT) : pos[k] + len[k];
            reads[k] = new Read(start, end - start, at);
            offsets[k] = at + pos[k] - start;
            at = alignUp(at + end - start, direct ? DIRECT_ALIGNMENT : 64);
        }
        return new Plan(reads, offsets, at);
    }

    static long alignUp(long v, long a) {
        return (v + a - 1) / a * a;
    }

    static long alignDown(long v, long a) {
        return v / a * a;
    }
}
