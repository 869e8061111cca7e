package dev.strata.bench;

/**
 * Memory and I/O of one bench test: resident memory (measured by the kernel), bytes fetched from
 * storage, and for a streaming store its expert cache behaviour. Per-token values are over the
 * timed repetitions. Streaming-only fields are null for a mapped model.
 *
 * @param mode "mmap" or "stream"
 * @param storageMbPerToken MB/token the kernel fetched from storage for this process (/proc/self/io)
 * @param expertMbPerToken MB/token the expert cache read (page-cache hits included)
 * @param ioMsPerToken expert read time summed over I/O threads
 * @param waitMsPerToken time the forward pass blocked on expert reads
 * @param computeMsPerToken the rest of the decode time
 * @param rssFileBytes resident pages of the mapped model file
 * @param rssAnonBytes resident anonymous memory (heap, expert cache, KV cache)
 * @param rssHugeBytes the part of it in 2 MiB transparent huge pages (the repacked weights)
 */
public record MemoryReport(String mode, String policy, Boolean packed, Boolean prefetch, Boolean directIo, Long budgetBytes,
                           Long cacheBytes, double storageMbPerToken, Double expertMbPerToken, Double hitRate, double[] layerHitRates,
                           Integer expertsTouched, Double ioMsPerToken, Double waitMsPerToken, double computeMsPerToken,
                           Long prefetchIssued, Long prefetchUsed, long rssBytes, long peakRssBytes,
                           long rssFileBytes, long rssAnonBytes, long rssHugeBytes) {
}
