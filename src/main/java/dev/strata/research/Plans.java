package dev.strata.research;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.StrataException;
import dev.strata.eval.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #FILE}: the kept variants of a run as named plans. Written whole to a temporary file
 * and renamed, so a reader never sees half a file; {@code FILE#NAME} picks one plan.
 */
public final class Plans {
    public static final String FILE = "plans.json";
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The file's shape. */
    public record PlanFile(List<Plan> plans) {
        public PlanFile {
            plans = plans == null ? List.of() : List.copyOf(plans);
        }
    }

    private Plans() {}

    public static Path write(Path dir, List<Decision> kept, String modelSha256) {
        List<Plan> plans = new ArrayList<>();
        for (Decision d : kept) {
            Variant v = Variant.parse(d.variant());
            plans.add(new Plan(Plan.nameOf(d.variant()), d.variant(), v.layers(), v.expertsPerToken(), modelSha256, d.n(), d.accuracy(),
                    d.baselineAccuracy(), d.delta().estimate(), d.delta().low(), d.delta().high(), d.p(), d.pAdjusted(), v.quant()));
        }
        Path file = dir.resolve(FILE), tmp = dir.resolve(FILE + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), new PlanFile(plans));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new StrataException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static List<Plan> read(Path file) {
        if (!Files.isRegularFile(file)) throw new StrataException(file + ": no such plans file");
        try {
            return JSON.readValue(file.toFile(), PlanFile.class).plans();
        } catch (IOException e) {
            throw new StrataException(file + " is not a plans file: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Resolves {@code FILE#NAME}; a file holding exactly one plan may omit {@code #NAME}. */
    public static Plan resolve(String reference) {
        int hash = reference.lastIndexOf('#');
        Path file = Path.of(hash < 0 ? reference : reference.substring(0, hash));
        List<Plan> plans = read(file);
        if (hash < 0) {
            if (plans.size() == 1) return plans.get(0);
            throw new StrataException("--plan " + reference + ": name a plan as FILE#NAME; " + file + " holds " + names(plans));
        }
        return find(plans, reference.substring(hash + 1), file.toString());
    }

    public static Plan find(List<Plan> plans, String name, String source) {
        for (Plan p : plans) if (p.name().equals(name)) return p;
        throw new StrataException("no plan named '" + name + "' in " + source + " (it holds " + names(plans) + ")");
    }

    private static String names(List<Plan> plans) {
        return plans.isEmpty() ? "no plans" : String.join(", ", plans.stream().map(Plan::name).toList());
    }
}
