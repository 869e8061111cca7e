package dev.strata.runtime;

/**
 * Cheap counters of what forward passes did: the efficiency ledger and the research loop read
 * them. Updated only by the thread that drives a sequence.
 */
public final class ForwardStats {
    public long tokens;
    public long forwardCalls;
    public long weightBytes;
    public long multiplyAdds;
    public long expertsSelected;
    public long nanos;
    /** The part of tokens and nanos spent in decode steps (one token per sequence); the rest is prompt processing. */
    public long decodeTokens, decodeNanos;
    /** MoE experts found resident / read from disk (a mapped store counts every use as a hit). */
    public long expertHits, expertMisses;
    public long expertBytesRead;
    /** Time the forward pass waited for expert reads (streaming stores only). */
    public long expertWaitNanos;

    public void reset() {
        tokens = forwardCalls = weightBytes = multiplyAdds = expertsSelected = nanos = decodeTokens = decodeNanos = 0;
        expertHits = expertMisses = expertBytesRead = expertWaitNanos = 0;
    }

    public void add(ForwardStats o) {
        tokens += o.tokens;
        forwardCalls += o.forwardCalls;
        weightBytes += o.weightBytes;
        multiplyAdds += o.multiplyAdds;
        expertsSelected += o.expertsSelected;
        nanos += o.nanos;
        decodeTokens += o.decodeTokens;
        decodeNanos += o.decodeNanos;
        expertHits += o.expertHits;
        expertMisses += o.expertMisses;
        expertBytesRead += o.expertBytesRead;
        expertWaitNanos += o.expertWaitNanos;
    }
}
