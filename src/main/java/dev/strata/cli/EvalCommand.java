package dev.strata.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.StrataException;
import dev.strata.eval.EvalSession;
import dev.strata.eval.Variant;
import dev.strata.eval.report.MarkdownReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Score variants of a model on the same items: accuracy with Wilson 95%% intervals, paired comparisons with the",
                "first variant (exact McNemar, Holm, paired bootstrap) and the cost per token, from an append-only ledger in --out.",
                "Example: strata eval --task curriculum --variants \"base;dup:1-2;skip:3\" --out runs/eval1",
                "Variants: ';'-separated, each '+'-joined terms: base, a layer path (dup:3-5, skip:2, 0-3,2-3), experts=K, kernels=NAME,",
                "quant:LAYERS=TYPE (weights requantized in memory: quant:2=Q4_0, quant:0-1=Q8_0, quant:*=Q4_K)."})
public final class EvalCommand implements Callable<Integer> {
    enum OutputFormat { md, json }

    @Option(names = "--variants", paramLabel = "LIST", description = "variants to compare, e.g. \"base;dup:3-5;skip:2;experts=1;dup:1-2+experts=1\" (default: base)")
    String variants;

    @Option(names = "--layers", paramLabel = "SPEC", description = "a single variant's layer path (the same as --variants SPEC)")
    String layers;

    @Option(names = "--experts-per-token", paramLabel = "K", description = "a single variant's experts per token (the same as --variants experts=K)")
    int expertsPerToken;

    @Option(names = "--plan", paramLabel = "FILE#NAME", description = "a single variant from a plan kept by strata research (plans.json#NAME)")
    String plan;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat output = OutputFormat.md;

    @Option(names = "--limit", paramLabel = "N", description = "score only the first N items (default: all)")
    int limit;

    @Mixin StreamingFlags streaming = new StreamingFlags();

    @Mixin EvalRunOptions run = new EvalRunOptions(12);

    @Override
    public Integer call() throws Exception {
        List<Variant> chosen = variants();
        Path file = run.modelFile();
        var settings = new EvalSession.Settings(file, chosen, run.kernels, run.threads, run.seed, limit, run.watts, run.out, run.resume, streaming.options(), !run.noProgress);
        EvalSession.Result r = EvalSession.run(settings, run.taskFactory());
        if (output == OutputFormat.json) {
            ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(json.writeValueAsString(r.summary()));
        } else {
            System.out.print(MarkdownReport.render(r.summary()));
            System.out.printf(Locale.ROOT, "%nscored %d (variant, item) pairs in %.1f s: %.2f items/s with %d threads; ledger and plots (%s) in %s%n",
                    r.scored(), r.seconds(), r.scored() / Math.max(1e-9, r.seconds()), run.threads, String.join(", ", r.plots()), run.out);
        }
        return 0;
    }

    private List<Variant> variants() {
        if (plan != null) {
            if (variants != null || layers != null || expertsPerToken != 0) throw new StrataException("give --plan alone, or --variants/--layers, not both");
            var p = dev.strata.research.Plans.resolve(plan);
            return List.of(new Variant(p.layers(), p.expertsPerToken(), null, null, p.quant()));
        }
        if (variants != null && (layers != null || expertsPerToken != 0))
            throw new StrataException("give --layers and --experts-per-token inside --variants (e.g. \"base;dup:1-2+experts=1\"), not beside it");
        if (variants != null) return Variant.parseList(variants);
        return List.of(new Variant(layers, expertsPerToken, null, null));
    }
}
