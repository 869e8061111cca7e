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

    @Option(names = "--layers", required = true, paramLabel = "SPEC", description = "layer path, e.g. dup:7-9")
    String layers;

    @Option(names = "--verbose", description = "show stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() {
        int[] path;
        try (var progress = Progress.gguf("surgery")) {
            path = LayerSurgery.materialize(in, out, layers);
        }
        System.out.printf("wrote %s: %d blocks, path %s%n", out, path.length, java.util.Arrays.toString(path));
        return 0;
    }
}
