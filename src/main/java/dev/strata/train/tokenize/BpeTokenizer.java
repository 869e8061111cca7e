package dev.strata.train.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level BPE: ids 0-255 are the bytes, each later id merges two earlier ones. Text is first
 * split with GPT-2's pre-tokenizer pattern (what llama.cpp applies to a "gpt2" vocabulary), and
 * merges never join two pieces that both contain a digit, so numbers stay one token per digit,
 * which is what the arithmetic tasks need to carry digit by digit.
 */
public final class BpeTokenizer implements TrainTokenizer {
    public static final String PRE_TOKENIZER = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    private static final Pattern PIECES = Pattern.compile(PRE_TOKENIZER);

    private final int[][] merges;
    private final byte[][] tokenBytes;
    private final Map<Long, Integer> rank = new HashMap<>();
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    public BpeTokenizer(int[][] merges) {
        this.merges = merges;
        tokenBytes = new byte[256 + merges.length][];
        for (int b = 0; b < 256; b++) tokenBytes[b] = new byte[] {(byte) b};
        for (int i = 0; i < merges.length; i++) {
            int a = merges[i][0], b = merges[i][1];
            if (a >= 256 + i || b >= 256 + i) throw new StrataException("BPE merge " + i + " refers to a later token");
            tokenBytes[256 + i] = concat(tokenBytes[a], tokenBytes[b]);
            rank.put(key(a, b), i);
        }
    }

    /** Learns merges until the vocabulary reaches {@code vocabSize} or no pair occurs twice. */
    public static BpeTokenizer train(Iterable<String> texts, int vocabSize) {
        if (vocabSize < 256 || vocabSize > 65536) throw new StrataException("BPE vocabulary size must be in 256..65536, got " + vocabSize);
        Map<String, Long> pieceCounts = new LinkedHashMap<>();
        for (String text : texts) for (String piece : pieces(text)) pieceCounts.merge(piece, 1L, Long::sum);
        List<int[]> words = new ArrayList<>();
        long[] freq = new long[pieceCounts.size()];
        int w = 0;
        for (var e : pieceCounts.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] ids = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) ids[i] = bytes[i] & 0xff;
            words.add(ids);
            freq[w++] = e.getValue();
        }
        List<int[]> merges = new ArrayList<>();
        List<byte[]> bytesOf = new ArrayList<>();
        for (int b = 0; b < 256; b++) bytesOf.add(new byte[] {(byte) b});
        while (256 + merges.size() < vocabSize) {
            Map<Long, Long> pairCounts = new HashMap<>();
            for (int i = 0; i < words.size(); i++) {
                int[] ids = words.get(i);
                for (int j = 0; j + 1 < ids.length; j++)
                    if (!bothHaveDigits(bytesOf.get(ids[j]), bytesOf.get(ids[j + 1])))
                        pairCounts.merge(key(ids[j], ids[j + 1]), freq[i], Long::sum);
            }
            long bestKey = -1, bestCount = 1;
            for (var e : pairCounts.entrySet()) {
                long k = e.getKey(), c = e.getValue();
                if (c > bestCount || (c == bestCount && bestKey >= 0 && k < bestKey)) {
                    bestKey = k;
                    bestCount = c;
                }
            }
            if (bestKey < 0) break;
            int a = (int) (bestKey >>> 32), b = (int) bestKey, id = 256 + merges.size();
            merges.add(new int[] {a, b});
            bytesOf.add(concat(bytesOf.get(a), bytesOf.get(b)));
            for (int i = 0; i < words.size(); i++) words.set(i, applyMerge(words.get(i), a, b, id));
        }
        return new BpeTokenizer(merges.toArray(new int[0][]));
    }

    private static boolean bothHaveDigits(byte[] x, byte[] y) {
        return hasDigit(x) && hasDigit(y);
    }

    private static boolean hasDigit(byte[] bytes) {
        for (byte b : bytes) if (b >= '0' && b <= '9') return true;
        return false;
    }

    private static int[] applyMerge(int[] ids, int a, int b, int id) {
        int[] out = new int[ids.length];
        int n = 0;
        for (int j = 0; j < ids.length; j++) {
            if (j + 1 < ids.length && ids[j] == a && ids[j + 1] == b) {
                out[n++] = id;
                j++;
            } else {
                out[n++] = ids[j];
            }
        }
        return n == ids.length ? out : java.util.Arrays.copyOf(out, n);
    }

    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PIECES.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    @Override
    public int[] encode(String text) {
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        for (String piece : pieces(text)) {
            int[] ids = cache.computeIfAbsent(piece, this::encodePiece);
            parts.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int pos = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /** Repeatedly applies the lowest-ranked merge present, as GPT-2 and llama.cpp do. */
    private int[] encodePiece(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) ids[i] = bytes[i] & 0xff;
        while (ids.length > 1) {
            int best = Integer.MAX_VALUE, at = -1;
            for (int j = 0; j + 1 < ids.length; j++) {
                Integer r = rank.get(key(ids[j], ids[j + 1]));
                if (r != null && r < best) {
                    best = r;
                    at = j;
                }
            }
            if (at < 0) break;
            ids = applyMerge(ids, merges[best][0], merges[best][1], 256 + best);
        }
        return ids;
    }

    @Override
    public String decode(int[] ids, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) out.writeBytes(tokenBytes[ids[i]]);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return tokenBytes.length;
    }

    @Override
    public byte[] tokenBytes(int id) {
        return tokenBytes[id].clone();
    }

    public int[][] merges() {
        return merges.clone();
    }

    @Override
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode().put("type", "bpe").put("pre_tokenizer", PRE_TOKENIZER);
        ArrayNode list = json.putArray("merges");
        for (int[] m : merges) list.addArray().add(m[0]).add(m[1]);
        return json;
    }

    static BpeTokenizer fromJson(ObjectNode json) {
        var list = json.path("merges");
        int[][] merges = new int[list.size()][];
        for (int i = 0; i < merges.length; i++) merges[i] = new int[] {list.get(i).get(0).asInt(), list.get(i).get(1).asInt()};
        return new BpeTokenizer(merges);
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
