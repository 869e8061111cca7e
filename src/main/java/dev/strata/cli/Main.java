package dev.strata.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "strata", mixinStandardHelpOptions = true, version = "strata 0.1.0",
        description = "A Java workbench for local LLMs.")
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
