package dev.strata.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.testoracle.DecodeTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One prompt of a llama.cpp oracle file: prompt ids, greedy ids, and the top-5 logits per step. */
record OracleCase(String id, String prompt, int[] promptIds, int[] generatedIds, int[][] topIds, float[][] topLogits, String textHex) {

    static List<OracleCase> load(Path file) {
        ObjectMapper json = new ObjectMapper();
        List<OracleCase> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) continue;
                JsonNode n = json.readTree(line);
                DecodeTrace t = DecodeTrace.fromJson(n);
                out.add(new OracleCase(n.get("id").asText(), n.get("prompt").asText(), t.promptIds(), t.generatedIds(),
                        t.topIds(), t.topLogits(), n.path("text_hex").asText("")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return out;
    }

    /** prompt_ids followed by all generated ids but the last: the teacher-forced input. */
    int[] teacherForcedInput() {
        int[] in = new int[promptIds.length + generatedIds.length - 1];
        System.arraycopy(promptIds, 0, in, 0, promptIds.length);
        System.arraycopy(generatedIds, 0, in, promptIds.length, generatedIds.length - 1);
        return in;
    }

    /** The oracle's own top-1/top-2 gap at a step. */
    float gap(int step) {
        return topLogits[step][0] - topLogits[step][1];
    }
}
