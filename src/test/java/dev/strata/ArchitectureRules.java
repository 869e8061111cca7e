package dev.strata;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Strata's layer rules, for a root package, so that {@link ArchitectureTest} can check them on the
 * real code and on a small fixture that breaks them. The pipeline, lowest first:
 * gguf, tensor, tokenizer, model, weights, runtime, sample, generate, then the tools and the two faces
 * (cli and server); train, eval, bench and the research packages sit beside it.
 */
final class ArchitectureRules {
    private ArchitectureRules() {}

    /** Rule name -> rule; names are what a failing test reports. */
    static Map<String, ArchRule> forRoot(String root) {
        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("gguf and tensor know no model", knowNone(root, new String[] {"gguf", "tensor"},
                "tokenizer", "model", "weights", "runtime", "sample", "generate", "tools"));
        rules.put("tokenizer knows no model or runtime", knowNone(root, new String[] {"tokenizer"},
                "model", "weights", "runtime", "sample", "generate", "tools"));
        rules.put("model knows no runtime", knowNone(root, new String[] {"model"}, "weights", "runtime", "generate", "tools"));
        rules.put("weights knows no runtime", knowNone(root, new String[] {"weights"}, "runtime", "generate", "tools"));
        rules.put("the inference pipeline knows no tools", knowNone(root,
                new String[] {"gguf", "tensor", "tokenizer", "model", "weights", "runtime", "sample", "generate"}, "tools"));
        rules.put("the core knows neither cli nor server", noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(root + ".cli..", root + ".server..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".cli..", root + ".server..")
                .allowEmptyShould(true));
        rules.put("server does not import cli", knowNone(root, new String[] {"server"}, "cli"));
        // The serve command has to start the server; it is the one place where the CLI face reaches the HTTP face.
        rules.put("cli imports server only in ServeCommand", noClasses().that().resideInAPackage(root + ".cli..")
                .and().haveNameNotMatching(java.util.regex.Pattern.quote(root + ".cli.ServeCommand") + "(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage(root + ".server..")
                .allowEmptyShould(true));
        rules.put("train does not know server or cli", knowNone(root, new String[] {"train"}, "server", "cli"));
        rules.put("every picocli command lives in cli", classes().that().resideInAPackage(root + "..")
                .and().areAnnotatedWith(CommandLine.Command.class).should().resideInAPackage(root + ".cli..")
                .allowEmptyShould(true));
        rules.put("top-level packages are free of cycles", slices().matching(root + ".(*)..").should().beFreeOfCycles()
                .allowEmptyShould(true));
        rules.put("packages and sub-packages are free of cycles", slices().matching(root + ".(**)").should().beFreeOfCycles()
                .allowEmptyShould(true));
        return rules;
    }

    private static ArchRule knowNone(String root, String[] packages, String... forbidden) {
        return noClasses().that().resideInAnyPackage(Arrays.stream(packages).map(p -> root + "." + p + "..").toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage(Arrays.stream(forbidden).map(p -> root + "." + p + "..").toArray(String[]::new))
                .allowEmptyShould(true);
    }
}
