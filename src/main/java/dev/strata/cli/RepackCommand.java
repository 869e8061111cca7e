package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.weights.ExpertRepacker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "repack", mixinStandardHelpOptions = true,
        description = {"Rewrite a MoE GGUF so each expert's gate, up and down matrices are contiguous and 4096-aligned,",
                "for one read per expert with --memory-budget. Strata-specific layout (see docs/streaming.md)."})
public final class RepackCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "MoE GGUF file")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "packed GGUF file to write")
    Path out;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(in)) throw new StrataException(in + ": no such file");
        int experts;
        try (var progress = Progress.gguf("repack")) {
            experts = ExpertRepacker.repack(in, out);
        }
        System.out.printf("wrote %s: %d experts packed%n", out, experts);
        return 0;
    }
}
