package dev.strata.sample.grammar;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The vocabulary's token byte strings as a trie in depth-first preorder: node i's subtree is the range
 * [i, subtreeEnd[i]), so a walk that finds a prefix impossible skips every token below it in one step.
 * Built once per vocabulary; tokens with no bytes are left out (they can never extend a grammar's text).
 */
public final class TokenTrie {
    final byte[] label;
    final int[] depth;
    final int[] subtreeEnd;
    /** Tokens ending at node i are sortedTokens[tokenStart[i] .. tokenStart[i + 1]). */
    final int[] tokenStart;
    final int[] sortedTokens;
    private final int vocabSize;

    /** @param tokenBytes the bytes of every token id; null or empty entries are excluded */
    public TokenTrie(byte[][] tokenBytes) {
        vocabSize = tokenBytes.length;
        Integer[] order = new Integer[tokenBytes.length];
        int count = 0;
        for (int id = 0; id < tokenBytes.length; id++) if (tokenBytes[id] != null && tokenBytes[id].length > 0) order[count++] = id;
        order = Arrays.copyOf(order, count);
        Arrays.sort(order, Comparator.comparing((Integer id) -> tokenBytes[id], Arrays::compareUnsigned).thenComparing(id -> id));
        int maxNodes = 1;
        for (Integer id : order) maxNodes += tokenBytes[id].length;
        byte[] labels = new byte[maxNodes];
        int[] depths = new int[maxNodes];
        int[] endNode = new int[count];
        int nodes = 1; // node 0 is the root (empty prefix)
        int[] path = new int[64];
        byte[] previous = new byte[0];
        for (int k = 0; k < count; k++) {
            byte[] bytes = tokenBytes[order[k]];
            int common = Arrays.mismatch(previous, bytes);
            if (common < 0) common = bytes.length;
            if (path.length <= bytes.length) path = Arrays.copyOf(path, bytes.length * 2 + 1);
            for (int d = common; d < bytes.length; d++) {
                labels[nodes] = bytes[d];
                depths[nodes] = d + 1;
                path[d + 1] = nodes++;
            }
            endNode[k] = path[bytes.length];
            previous = bytes;
        }
        label = Arrays.copyOf(labels, nodes);
        depth = Arrays.copyOf(depths, nodes);
        subtreeEnd = new int[nodes];
        int[] open = new int[nodes];
        int top = 0;
        for (int i = 0; i < nodes; i++) {
            while (top > 0 && depth[open[top - 1]] >= depth[i]) subtreeEnd[open[--top]] = i;
            open[top++] = i;
        }
        while (top > 0) subtreeEnd[open[--top]] = nodes;
        tokenStart = new int[nodes + 1];
        for (int k = 0; k < count; k++) tokenStart[endNode[k] + 1]++;
        for (int i = 0; i < nodes; i++) tokenStart[i + 1] += tokenStart[i];
        sortedTokens = new int[count];
        for (int k = 0; k < count; k++) sortedTokens[k] = order[k]; // end nodes are non-decreasing in sorted order
    }

    public int nodeCount() { return label.length; }

    public int vocabSize() { return vocabSize; }
}
