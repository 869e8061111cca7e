package dev.strata.examples;

import dev.langchain4j.service.AiServices;
import dev.strata.api.Completion;
import dev.strata.api.GenerateOptions;
import dev.strata.api.Strata;
import dev.strata.api.StrataModel;
import dev.strata.langchain4j.StrataChatModel;
import java.nio.file.Path;

/**
 * Strata as a library: load a GGUF (argument 1, else the embedded default model), generate, stream,
 * and answer through LangChain4j's AiServices, all in-process. Exits non-zero if an answer is wrong.
 */
public final class HelloStrata {
    interface Solver {
        String solve(String problem);
    }

    public static void main(String[] args) {
        try (StrataModel model = args.length > 0 ? Strata.load(Path.of(args[0])) : Strata.loadDefault()) {
            Completion c = model.generate("4+9-2=? ", GenerateOptions.greedy().maxTokens(40).stop(java.util.List.of("\n")));
            System.out.println("generate: 4+9-2=? " + c.text().strip() + "   (" + c.generatedTokens() + " tokens)");

            System.out.print("stream:   7+5-3=? ");
            model.stream("7+5-3=? ", GenerateOptions.greedy().maxTokens(40).stop(java.util.List.of("\n")), System.out::print, () -> false);
            System.out.println();

            Solver solver = AiServices.create(Solver.class, new StrataChatModel(model, GenerateOptions.greedy().maxTokens(40)));
            System.out.println("langchain4j: " + solver.solve("a=3; b=a+4; b=?").strip());

            if (args.length == 0 && !c.text().contains("=> 11")) {
                System.err.println("unexpected answer from the default model: " + c.text());
                System.exit(1);
            }
        }
    }
}
