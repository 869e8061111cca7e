package dev.strata.train;

import dev.strata.StrataException;
import picocli.CommandLine;

/** Stand-alone entry for the training commands until they are registered under the top-level CLI. */
final class CommandRunner {
    private CommandRunner() {}

    static int execute(Object command, String[] args) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (!(e instanceof StrataException)) throw e;
            line.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
