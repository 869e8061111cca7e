package dev.strata.weights;

import dev.strata.StrataException;
import java.util.Locale;

/**
 * How a streaming store runs.
 *
 * @param budgetBytes RAM for weights: the mapped non-expert weights plus the expert cache
 * @param policy which cached expert to evict
 * @param prefetch predict the next layer's experts and read them ahead
 * @param directIo read experts with O_DIRECT, bypassing the page cache
 * @param ioThreads threads issuing positional reads
 * @param readAdvice the access pattern buffered reads announce to the kernel
 */
public record StreamingOptions(long budgetBytes, CachePolicy.Kind policy, boolean prefetch, boolean directIo, int ioThreads,
                               ReadAdvice readAdvice) {

    public StreamingOptions {
        if (budgetBytes <= 0) throw new StrataException("memory budget must be positive, got " + budgetBytes + " bytes");
        if (ioThreads < 1) throw new StrataException("I/O threads must be at least 1, got " + ioThreads);
        if (readAdvice == null) throw new StrataException("read advice missing");
    }

    public StreamingOptions(long budgetBytes, CachePolicy.Kind policy, boolean prefetch, boolean directIo, int ioThreads) {
        this(budgetBytes, policy, prefetch, directIo, ioThreads, ReadAdvice.RANDOM);
    }

    public static StreamingOptions of(String budget, String policy, boolean prefetch, boolean directIo, int ioThreads, String readAdvice) {
        return new StreamingOptions(parseSize(budget), CachePolicy.Kind.parse(policy), prefetch, directIo, ioThreads, ReadAdvice.parse(readAdvice));
    }

    /** "2G", "512M", "64K", "1.5G" or plain bytes; binary units (1G = 2^30). */
    public static long parseSize(String s) {
        if (s == null || s.isBlank()) throw new StrataException("empty size");
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("B") && t.length() > 1 && Character.isLetter(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        long unit = 1;
        char last = t.charAt(t.length() - 1);
        switch (last) {
            case 'K' -> unit = 1L << 10;
            case 'M' -> unit = 1L << 20;
            case 'G' -> unit = 1L << 30;
            case 'T' -> unit = 1L << 40;
            default -> { }
        }
        if (unit != 1) t = t.substring(0, t.length() - 1);
        try {
            double v = Double.parseDouble(t);
            if (!(v > 0) || Double.isInfinite(v)) throw new NumberFormatException();
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new StrataException("invalid size '" + s + "' (use e.g. 2G, 512M or a byte count)");
        }
    }
}
