package dev.strata.research.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.strata.eval.ledger.LedgerEntry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** A chunk of trials sent to a member: one variant on a range of items; it returns ledger lines as JSON, and is idempotent. */
record ScoreChunk(RunSpec spec, String variant, List<String> itemIds) implements Callable<List<String>>, Serializable {
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @Override
    public List<String> call() throws JsonProcessingException {
        List<String> lines = new ArrayList<>();
        for (LedgerEntry e : ChunkScorer.Registry.forRun(spec).score(variant, itemIds)) lines.add(JSON.writeValueAsString(e));
        return lines;
    }

    String key() {
        return variant + " " + itemIds.getFirst() + ".." + itemIds.getLast();
    }
}
