package dev.strata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.strata.archfixture.cli.FixtureCommand;
import dev.strata.archfixture.model.FixtureConfig;
import dev.strata.archfixture.runtime.FixtureEngine;
import dev.strata.archfixture.tensor.FixtureKernel;
import dev.strata.archfixture.tensor.quant.FixtureFormat;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks {@link ArchitectureRules} on Strata's main classes (the llama.cpp binding class in de.kherud.. is
 * not imported, so it is not judged), and shows on a fixture with known violations
 * that each rule can fail.
 */
class ArchitectureTest {
    /** The main output folder only (scanning every jar on the class path for dev.strata took seconds). */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> !location.contains("/de/kherud/"))
            .importPath(mainClasses());

    private static Path mainClasses() {
        try {
            return Path.of(StrataException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Iterable<DynamicTest> mainClassesFollowEveryRule() {
        assertTrue(MAIN.size() > 150, "imported only " + MAIN.size() + " classes; is target/classes there?");
        return ArchitectureRules.forRoot("dev.strata").entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> e.getValue().check(MAIN)))
                .toList();
    }

    @Test
    void rulesFailOnAFixtureThatBreaksThem() {
        // model -> runtime -> model (a cycle and a layer breach), runtime -> cli, tensor <-> tensor.quant.
        JavaClasses fixture = new ClassFileImporter().importClasses(
                FixtureConfig.class, FixtureEngine.class, FixtureCommand.class, FixtureKernel.class, FixtureFormat.class);
        Set<String> failed = new TreeSet<>();
        for (Map.Entry<String, ArchRule> e : ArchitectureRules.forRoot("dev.strata.archfixture").entrySet()) {
            EvaluationResult result = e.getValue().evaluate(fixture);
            if (result.hasViolation()) failed.add(e.getKey());
        }
        assertEquals(new TreeSet<>(Set.of("model knows no runtime", "the core knows neither cli nor server",
                "top-level packages are free of cycles", "packages and sub-packages are free of cycles")), failed);
    }

    @Test
    void topLevelSlicesDoNotSeeSubPackageCycles() {
        JavaClasses tensorOnly = new ClassFileImporter().importClasses(FixtureKernel.class, FixtureFormat.class);
        Map<String, ArchRule> rules = ArchitectureRules.forRoot("dev.strata.archfixture");
        assertFalse(rules.get("top-level packages are free of cycles").evaluate(tensorOnly).hasViolation());
        String report = rules.get("packages and sub-packages are free of cycles").evaluate(tensorOnly).getFailureReport().toString();
        assertTrue(report.contains("FixtureKernel") && report.contains("FixtureFormat"), report);
    }
}
