package dev.strata.train.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/** One token per Unicode code point seen in the training text, ordered by code point. */
public final class CharTokenizer implements TrainTokenizer {
    private final int[] codePoints;
    private final Map<Integer, Integer> idOf = new HashMap<>();

    public CharTokenizer(int[] codePoints) {
        this.codePoints = codePoints.clone();
        for (int i = 0; i < codePoints.length; i++) idOf.put(codePoints[i], i);
    }

    public static CharTokenizer train(Iterable<String> texts) {
        TreeSet<Integer> seen = new TreeSet<>();
        for (String t : texts) t.codePoints().forEach(seen::add);
        return new CharTokenizer(seen.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public int[] encode(String text) {
        return text.codePoints().map(cp -> {
            Integer id = idOf.get(cp);
            if (id == null) throw new StrataException("character '" + Character.toString(cp) + "' is not in the character vocabulary");
            return id;
        }).toArray();
    }

    @Override
    public String decode(int[] ids, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) sb.appendCodePoint(codePoints[ids[i]]);
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public byte[] tokenBytes(int id) {
        return Character.toString(codePoints[id]).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode().put("type", "char");
        ArrayNode chars = json.putArray("chars");
        for (int cp : codePoints) chars.add(Character.toString(cp));
        return json;
    }

    static CharTokenizer fromJson(ObjectNode json) {
        var chars = json.path("chars");
        int[] cps = new int[chars.size()];
        for (int i = 0; i < cps.length; i++) cps[i] = chars.get(i).asText().codePointAt(0);
        return new CharTokenizer(cps);
    }
}
