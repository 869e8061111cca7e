package dev.strata.eval.likelihood;

import dev.strata.StrataException;
import dev.strata.eval.EvalItem;
import dev.strata.eval.EvalTask;
import dev.strata.eval.ItemContext;
import dev.strata.eval.ItemOutcome;
import dev.strata.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code strata perplexity} as an eval task: one item per chunk, scored as llama-perplexity scores it,
 * and the corpus figures (PPL, its uncertainty, bits per byte) aggregated as ratios of sums, so
 * {@code eval} reports exactly the number {@code perplexity} prints. There is no binary outcome:
 * {@code correct} is always false and the paired tests do not apply.
 */
public final class PerplexityTask implements EvalTask {
    private final String name;
    private final int[] tokens;
    private final int nCtx;
    private final List<EvalItem> items = new ArrayList<>();

    /** The tokenizer must be the model's: chunk boundaries depend on it. */
    public PerplexityTask(Path file, Tokenizer tokenizer, int nCtx, int maxChunks) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StrataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        this.name = "perplexity:" + file.getFileName() + ":c" + nCtx;
        this.tokens = Perplexity.tokenize(tokenizer, text);
        this.nCtx = nCtx;
        int chunks = Perplexity.chunkCount(tokens.length, nCtx, maxChunks);
        for (int i = 0; i < chunks; i++) items.add(new EvalItem("chunk-" + i, "perplexity", 0, i));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<EvalItem> items() {
        return items;
    }

    @Override
    public ItemOutcome score(ItemContext ctx, EvalItem item) {
        int chunk = (Integer) item.doc();
        Perplexity.Totals t = Perplexity.scoreChunk(ctx.engine(), ctx.newSequence(nCtx), tokens, chunk, nCtx, nCtx, ctx.stats());
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nll", t.nll());
        m.put("nll2", t.nll2());
        m.put("scored_tokens", (double) t.count());
        m.put("bytes", (double) t.bytes());
        return new ItemOutcome(String.format(Locale.ROOT, "%.4f", t.ppl()), false, m, nCtx, 0);
    }

    @Override
    public Map<String, Double> aggregate(List<ItemOutcome> outcomes) {
        Perplexity.Totals t = totals(outcomes);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ppl", t.ppl());
        m.put("ppl_uncertainty", t.pplUncertainty());
        m.put("bits_per_byte", t.bitsPerByte());
        m.put("scored_tokens", (double) t.count());
        return m;
    }

    static Perplexity.Totals totals(List<ItemOutcome> outcomes) {
        Perplexity.Totals t = Perplexity.Totals.ZERO;
        for (ItemOutcome o : outcomes) {
            var m = o.metrics();
            t = t.plus(new Perplexity.Totals(m.get("nll"), m.get("nll2"), m.get("scored_tokens").longValue(), m.get("bytes").longValue()));
        }
        return t;
    }
}
