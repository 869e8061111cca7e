package dev.strata.cli;

import dev.strata.tools.LayerSurgery;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "surgery", mixinStandardHelpOptions = true,
        description = "Write a GGUF with a layer path materialized (blocks copied and renumbered), for engines without --layers.")
public final class SurgeryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN") Path in;
    @Parameters(index = "1", paramLabel = "OUT") Path out;

    @Option(names = "--layers", paramLabel = "SPEC", description = "layer path, e.g. dup:7-9 (this or --plan is required)")
    String layers;

    @Option(names = "--plan", paramLabel = "FILE#NAME", description = "write the layer path of a plan kept by strata research (plans.json#NAME)")
    String plan;

    @Option(names = "--verbose", description = "show stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() {
        if ((layers == null) == (plan == null)) throw new dev.strata.StrataException("give --layers or --plan (one of them)");
        if (plan != null) {
            var p = dev.strata.research.Plans.resolve(plan);
            if (p.expertsPerToken() != 0) throw new dev.strata.StrataException("plan " + p.name() + " sets experts per token (" + p.expertsPerToken()
                    + "); surgery writes layer paths only");
            if (p.quant() != null) throw new dev.strata.StrataException("plan " + p.name() + " sets weight types (" + p.quant()
                    + "); write them with strata quantize IN OUT F32 --tensor-type 'blk\\.N\\.=TYPE'");
            if (p.layers() == null) throw new dev.strata.StrataException("plan " + p.name() + " has no layer path to write");
            layers = p.layers();
        }
        int[] path;
        try (var progress = Progress.gguf("surgery")) {
            path = LayerSurgery.materialize(in, out, layers);
        }
        System.out.printf("wrote %s: %d blocks, path %s%n", out, path.length, java.util.Arrays.toString(path));
        return 0;
    }
}
