package dev.strata.cli;

import dev.strata.StrataException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "strata", mixinStandardHelpOptions = true, version = "strata 0.1.0",
        description = "A Java workbench for local LLMs: run GGUF models, change their layer paths, measure them.",
        subcommands = {
                GenerateCommand.class,
                ChatCommand.class,
                InfoCommand.class,
                TokenizeCommand.class,
                SurgeryCommand.class,
                SynthCommand.class,
                QuantizeCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                DemoCommand.class,
                RepackCommand.class,
                TrainCommand.class,
                CurriculumCommand.class,
                EvalCommand.class,
                TokenizerCommand.class,
                PerplexityCommand.class,
                LoadTestCommand.class,
                FrontierCommand.class,
                ResearchCommand.class,
                CompareCommand.class,
                WorkerCommand.class,
                CommandLine.HelpCommand.class,
                picocli.AutoComplete.GenerateCompletion.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean verbose = parsed.originalArgs().contains("--verbose");
            if (verbose) ex.printStackTrace();
            String msg = ex instanceof StrataException || ex instanceof IllegalArgumentException ? ex.getMessage() : ex.toString();
            cmd.getErr().println("error: " + oneLine(msg));
            return 1;
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            List<String> near = ex instanceof CommandLine.UnmatchedArgumentException u ? Suggestions.nearest(u) : List.of();
            String suggestions = near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?";
            ex.getCommandLine().getErr().println("error: " + oneLine(ex.getMessage()) + suggestions + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cli.execute(args);
    }

    static String oneLine(String s) {
        return s == null ? "unknown error" : s.replace('\n', ' ').strip();
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
