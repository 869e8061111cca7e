package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Print the token ids and pieces of a text, as llama-tokenize does.")
public final class TokenizeCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", required = true, description = "text to tokenize")
    String prompt;

    @Option(names = "--ids", description = "print only the ids, as a list")
    boolean idsOnly;

    @Option(names = "--no-bos", description = "do not add BOS/EOS even if the model asks for them")
    boolean noBos;

    @Option(names = "--no-parse-special", description = "treat special-token text as plain text")
    boolean noParseSpecial;

    @Override
    public Integer call() {
        if (prompt.isEmpty()) throw new StrataException("nothing to tokenize: -p is empty");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (GgufFile f = GgufFile.open(model.resolveModel())) {
            Tokenizer t = Tokenizer.fromGguf(f);
            int[] ids = t.encode(prompt, !noBos, !noParseSpecial);
            if (idsOnly) {
                out.println(Arrays.toString(ids));
                return 0;
            }
            for (int id : ids) out.printf("%6d -> '%s'%n", id, new String(t.piece(id, true), StandardCharsets.UTF_8));
            out.printf("%d tokens%n", ids.length);
        }
        return 0;
    }
}
