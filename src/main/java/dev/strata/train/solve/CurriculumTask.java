package dev.strata.train.solve;

import dev.strata.eval.EvalItem;
import dev.strata.eval.EvalTask;
import dev.strata.eval.ItemContext;
import dev.strata.eval.ItemOutcome;
import dev.strata.train.curriculum.Family;
import dev.strata.train.curriculum.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The built-in curricula as an evaluation task: the held-out test problems of a
 * {@link CurriculumSelection}, scored by exact match on the final answer with
 * {@link CurriculumSolver}'s greedy solver, the same one {@code demo} runs.
 */
public final class CurriculumTask implements EvalTask {
    private final CurriculumSelection selection;
    private final List<EvalItem> items;

    public CurriculumTask(CurriculumSelection selection) {
        this.selection = selection;
        List<EvalItem> out = new ArrayList<>();
        List<Problem> problems = selection.draw();
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            int indexInCell = i % selection.problems();
            out.add(new EvalItem(p.family().id() + "/d" + p.difficulty() + "/" + indexInCell, p.family().id(), p.difficulty(), p));
        }
        this.items = List.copyOf(out);
    }

    /** {@code curriculum:FAMILIES/dMIN-MAX/nPROBLEMS/seedS}: everything that decides which items there are. */
    @Override
    public String name() {
        return "curriculum:" + selection.families().stream().map(Family::id).collect(Collectors.joining(",")) + "/d"
                + selection.minDifficulty() + "-" + selection.maxDifficulty() + "/n" + selection.problems() + "/seed" + selection.seed();
    }

    @Override
    public List<EvalItem> items() {
        return items;
    }

    @Override
    public ItemOutcome score(ItemContext ctx, EvalItem item) {
        CurriculumSolver.Attempt a = CurriculumSolver.solve(ctx.engine(), (Problem) item.doc(), ctx::newSequence, ctx.stats());
        return new ItemOutcome(a.output().strip(), a.correct(), Map.of("exact_match", a.correct() ? 1.0 : 0.0, "over_context",
                a.overContext() ? 1.0 : 0.0), a.promptTokens(), a.generatedTokens());
    }
}
