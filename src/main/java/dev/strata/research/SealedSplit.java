package dev.strata.research;

import dev.strata.StrataException;
import dev.strata.eval.EvalItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A seeded hash partition of a task's items into a search split and a sealed held-out split. An
 * item's side depends only on its id and the seed, so adding items never moves old ones. The
 * search split comes in hash order (families and difficulties mixed, so a short prefix is a fair
 * sample); the held-out items are handed out once, and only after the search has ended
 * ({@link #unseal}), and {@link #checkSearch} refuses any held-out item during the search.
 */
public final class SealedSplit {
    private final List<EvalItem> search;
    private final List<EvalItem> heldOut;
    private final Set<String> heldOutIds = new HashSet<>();
    private boolean sealed = true;

    public SealedSplit(List<EvalItem> items, double heldOutFraction, long seed) {
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw new StrataException("--heldout must be between 0 and 1, got " + heldOutFraction);
        List<EvalItem> s = new ArrayList<>(), h = new ArrayList<>();
        for (EvalItem it : items) {
            if (heldOut(seed, heldOutFraction, it.id())) {
                h.add(it);
                heldOutIds.add(it.id());
            } else s.add(it);
        }
        s.sort(Comparator.comparingDouble((EvalItem it) -> unit(seed, "order", it.id())).thenComparing(EvalItem::id));
        if (s.isEmpty() || h.isEmpty()) throw new StrataException("the task's " + items.size() + " items leave an empty search or held-out split; use more items");
        this.search = List.copyOf(s);
        this.heldOut = List.copyOf(h);
    }

    public List<EvalItem> search() {
        return search;
    }

    public int heldOutSize() {
        return heldOut.size();
    }

    public boolean isHeldOut(String itemId) {
        return heldOutIds.contains(itemId);
    }

    /** Throws when any of {@code items} is held out while the split is still sealed. */
    public void checkSearch(List<EvalItem> items) {
        if (!sealed) return;
        for (EvalItem it : items)
            if (heldOutIds.contains(it.id())) throw new IllegalStateException("the search asked for held-out item " + it.id() + " while the split is sealed");
    }

    /** Ends the search: from now on the held-out items may be scored. */
    public List<EvalItem> unseal() {
        sealed = false;
        return heldOut;
    }

    public boolean sealed() {
        return sealed;
    }

    /** The side of an item: held out when its seeded hash falls below the fraction (also how readers of a finished run find the split). */
    public static boolean heldOut(long seed, double heldOutFraction, String itemId) {
        return unit(seed, "split", itemId) < heldOutFraction;
    }

    /** A uniform number in [0, 1) from SHA-256 of (seed, purpose, id): stable across JVMs and runs. */
    static double unit(long seed, String purpose, String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((seed + "/" + purpose + "/" + id).getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 7; i++) bits = (bits << 8) | (d[i] & 0xFF);
            return (bits >>> 3) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
