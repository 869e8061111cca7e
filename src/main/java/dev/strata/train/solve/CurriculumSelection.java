package dev.strata.train.solve;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import dev.strata.train.export.CurriculumFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Which held-out curriculum problems to solve: families × difficulties, {@code problems} per cell,
 * drawn by {@code seed}. {@code demo} and {@code eval} resolve it the same way, so they see the
 * same items. Defaults come from the model's curriculum metadata: its families, and its trained
 * difficulties plus one beyond.
 */
public record CurriculumSelection(List<Family> families, int minDifficulty, int maxDifficulty, int problems, long seed) {

    public CurriculumSelection {
        families = List.copyOf(families);
        if (families.isEmpty()) throw new StrataException("no curriculum families chosen");
        if (problems < 1) throw new StrataException("--problems must be at least 1, got " + problems);
        if (minDifficulty < 1 || maxDifficulty < minDifficulty || maxDifficulty > Family.MAX_DIFFICULTY)
            throw new StrataException("difficulties must satisfy 1 <= min <= max <= " + Family.MAX_DIFFICULTY + ", got "
                    + minDifficulty + ".." + maxDifficulty);
    }

    /** Null arguments take the model's defaults; a model without curriculum metadata needs all three. */
    public static CurriculumSelection resolve(GgufFile model, String families, Integer min, Integer max, int problems, long seed) {
        CurriculumFormat format = families != null && min != null && max != null ? null : CurriculumFormat.read(model);
        List<Family> chosen = families != null ? Family.parseList(families) : format.families();
        int lo = min != null ? min : format.minDifficulty();
        int hi = max != null ? max : Math.min(Family.MAX_DIFFICULTY, format.maxDifficulty() + 1);
        return new CurriculumSelection(chosen, lo, hi, problems, seed);
    }

    /** Every problem, family by family, then by difficulty, in the order they are drawn. */
    public List<Problem> draw() {
        List<Problem> out = new ArrayList<>();
        for (Family f : families) for (int d = minDifficulty; d <= maxDifficulty; d++) out.addAll(CurriculumSolver.testProblems(f, d, problems, seed));
        return out;
    }
}
