package dev.strata.eval.yaml;

import dev.strata.StrataException;
import dev.strata.eval.EvalItem;
import dev.strata.eval.EvalTask;
import dev.strata.eval.ItemContext;
import dev.strata.eval.ItemOutcome;
import dev.strata.eval.likelihood.LogLikelihood;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.GenerationResult;
import dev.strata.generate.Generator;
import dev.strata.runtime.Sequence;
import dev.strata.sample.SamplerConfig;
import dev.strata.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An lm-evaluation-harness task file run on a Strata model. Metric names follow lm-eval:
 * {@code exact_match,strict-match} for a metric under a filter, {@code acc}, {@code acc_norm},
 * {@code bits_per_byte}. The binary outcome ({@code correct}) is the first metric under the first filter.
 * Immutable after loading: items may be scored concurrently, each with its own context.
 */
public final class YamlTask implements EvalTask {
    private final TaskSpec spec;
    private final TaskData data;
    private final List<EvalItem> items = new ArrayList<>();

    YamlTask(TaskSpec spec, TaskData data) {
        this.spec = spec;
        this.data = data;
        for (int i = 0; i < data.docs().size(); i++) {
            Map<String, Object> d = data.docs().get(i);
            // docs written by `strata curriculum` carry their family and difficulty: reports break down by them
            String group = d.get("family") instanceof String f ? f : spec.task();
            int difficulty = d.get("difficulty") instanceof Integer n ? n : 0;
            items.add(new EvalItem(spec.task() + "/" + i, group, difficulty, i));
        }
    }

    @Override
    public String name() {
        return spec.task();
    }

    @Override
    public List<EvalItem> items() {
        return items;
    }

    /** The prompt an item is scored with (few-shot examples included). */
    public String prompt(EvalItem item) {
        int i = (Integer) item.doc();
        List<Map<String, Object>> shots = new ArrayList<>();
        for (int s : FewShot.select(i, spec.numFewshot(), data.fewshotDocs().size(), data.fewshotIsEvalSplit(), spec.fewshotSampler())) {
            shots.add(data.fewshotDocs().get(s));
        }
        return FewShot.context(spec, doc(item), shots);
    }

    /** The item's reference answer as lm-eval's doc_to_target gives it. */
    public Object target(EvalItem item) {
        return DocTemplates.target(spec.docToTarget(), doc(item), spec.docToChoice() != null);
    }

    Map<String, Object> doc(EvalItem item) {
        return data.docs().get((Integer) item.doc());
    }

    @Override
    public ItemOutcome score(ItemContext ctx, EvalItem item) {
        return switch (spec.outputType()) {
            case "generate_until" -> generate(ctx, item);
            case "multiple_choice" -> multipleChoice(ctx, item);
            default -> rolling(ctx, item);
        };
    }

    /** The filtered responses, one per filter pipeline, scored with every metric. */
    ItemOutcome scoreResponses(List<String> responses, String gold, int promptTokens, int generatedTokens) {
        Map<String, Double> m = new LinkedHashMap<>();
        String firstAnswer = null;
        for (ResponseFilter.Pipeline p : spec.filters()) {
            String answer = p.apply(responses);
            if (firstAnswer == null) firstAnswer = answer;
            for (TaskSpec.Metric metric : spec.metrics()) {
                m.put(metric.name() + "," + p.name(), metric.exactMatch().matches(answer, gold) ? 1.0 : 0.0);
            }
        }
        return new ItemOutcome(firstAnswer, m.values().iterator().next() == 1.0, m, promptTokens, generatedTokens);
    }

    private ItemOutcome generate(ItemContext ctx, EvalItem item) {
        TaskSpec.Generation g = spec.generation();
        Tokenizer tok = ctx.engine().tokenizer();
        int[] prompt = tok.encode(prompt(item), true, false);
        List<String> responses = new ArrayList<>();
        int promptTokens = 0, generated = 0;
        for (int r = 0; r < spec.repeats(); r++) {
            if (!g.doSample() && r > 0) {
                responses.add(responses.getFirst()); // greedy repeats are identical
                continue;
            }
            Sequence seq = ctx.newSequence(0);
            int ctxLen = seq.cache().contextLength(), maxGen = Math.min(g.maxGenToks(), ctxLen - 1);
            // lm-eval keeps the last max_length - max_gen_toks prompt tokens
            int[] p = prompt.length > ctxLen - maxGen ? Arrays.copyOfRange(prompt, prompt.length - (ctxLen - maxGen), prompt.length) : prompt;
            SamplerConfig sampling = g.doSample()
                    ? SamplerConfig.defaults().withTemperature((float) g.temperature()).withTopK(0).withTopP(1f).withMinP(0f)
                            .withSeed(ctx.seed() * 31 + (Integer) item.doc() * 1_000_003L + r)
                    : SamplerConfig.greedy();
            GenerationResult res = Generator.generate(ctx.engine(), seq, new GenerationRequest(p, sampling, maxGen, g.until(), false),
                    s -> {}, () -> false, ctx.stats());
            responses.add(res.text());
            promptTokens += p.length;
            generated += res.tokens().length;
        }
        Object gold = target(item);
        String reference = gold instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.getFirst()) : String.valueOf(gold);
        return scoreResponses(responses, reference, promptTokens, generated);
    }

    private ItemOutcome multipleChoice(ItemContext ctx, EvalItem item) {
        Map<String, Object> doc = doc(item);
        List<String> choices = DocTemplates.choices(spec.docToChoice(), doc);
        int gold = goldIndex(target(item), choices);
        String context = prompt(item);
        double[] ll = new double[choices.size()];
        boolean[] greedy = new boolean[choices.size()];
        int promptTokens = 0;
        for (int c = 0; c < choices.size(); c++) {
            int[][] pair = encodePair(ctx.engine().tokenizer(), context, spec.targetDelimiter() + choices.get(c));
            LogLikelihood.Score s = LogLikelihood.continuation(ctx.engine(), ctx.newSequence(0), pair[0], pair[1], ctx.stats());
            ll[c] = s.logLikelihood();
            greedy[c] = s.greedy();
            promptTokens += pair[0].length + pair[1].length - 1;
        }
        int pred = 0, predNorm = 0;
        for (int c = 1; c < ll.length; c++) {
            if (ll[c] > ll[pred]) pred = c;
            if (ll[c] / length(choices.get(c)) > ll[predNorm] / length(choices.get(predNorm))) predNorm = c;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (TaskSpec.Metric metric : spec.metrics()) {
            m.put(metric.name(), switch (metric.name()) {
                case "acc" -> pred == gold ? 1.0 : 0.0;
                case "acc_norm" -> predNorm == gold ? 1.0 : 0.0;
                default -> greedy[gold] ? 1.0 : 0.0;
            });
        }
        return new ItemOutcome(choices.get(pred), m.values().iterator().next() == 1.0, m, promptTokens, 0);
    }

    /** lm-eval's completion length for acc_norm: the choice's length in characters (Python len). */
    static double length(String choice) {
        return choice.codePointCount(0, choice.length());
    }

    static int goldIndex(Object gold, List<String> choices) {
        int i = gold instanceof Number n ? n.intValue() : choices.indexOf(String.valueOf(gold));
        if (i < 0 || i >= choices.size()) throw new StrataException("the target '" + gold + "' is not one of the " + choices.size() + " choices");
        return i;
    }

    /**
     * lm-eval's _encode_pair: trailing spaces of the context move to the continuation, the pair is
     * tokenized whole and the continuation is what follows the context's tokens. An empty context
     * becomes the prefix token (BOS, else EOS).
     */
    static int[][] encodePair(Tokenizer tok, String context, String continuation) {
        if (context.isEmpty()) return new int[][] {{prefixToken(tok)}, tok.encode(continuation, false, false)};
        int spaces = context.length() - context.stripTrailing().length();
        if (spaces > 0) {
            continuation = context.substring(context.length() - spaces) + continuation;
            context = context.substring(0, context.length() - spaces);
        }
        int[] whole = tok.encode(context + continuation, true, false), ctxTokens = tok.encode(context, true, false);
        int cut = Math.min(ctxTokens.length, whole.length);
        return new int[][] {Arrays.copyOf(whole, cut), Arrays.copyOfRange(whole, cut, whole.length)};
    }

    static int prefixToken(Tokenizer tok) {
        return tok.vocab().bos() >= 0 ? tok.vocab().bos() : tok.vocab().eos();
    }

    private ItemOutcome rolling(ItemContext ctx, EvalItem item) {
        String text = String.valueOf(target(item));
        Tokenizer tok = ctx.engine().tokenizer();
        int[] tokens = tok.encode(text, false, false);
        double ll = LogLikelihood.rolling(ctx.engine(), () -> ctx.newSequence(0), tokens, prefixToken(tok), ctx.stats());
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loglikelihood", ll);
        m.put("words", (double) text.split("\\s+", -1).length);
        m.put("bytes", (double) text.getBytes(StandardCharsets.UTF_8).length);
        return new ItemOutcome(String.valueOf(ll), false, m, tokens.length, 0);
    }

    /** Rolling tasks: perplexities and bits per byte as ratios of sums over the corpus; others: means. */
    @Override
    public Map<String, Double> aggregate(List<ItemOutcome> outcomes) {
        if (!spec.outputType().equals("loglikelihood_rolling")) return ItemOutcome.meanOfMetrics(outcomes);
        double ll = 0, words = 0, bytes = 0;
        for (ItemOutcome o : outcomes) {
            ll += o.metrics().get("loglikelihood");
            words += o.metrics().get("words");
            bytes += o.metrics().get("bytes");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (TaskSpec.Metric metric : spec.metrics()) {
            m.put(metric.name(), switch (metric.name()) {
                case "word_perplexity" -> Math.exp(-ll / words);
                case "byte_perplexity" -> Math.exp(-ll / bytes);
                default -> -ll / bytes / Math.log(2);
            });
        }
        return m;
    }
}
