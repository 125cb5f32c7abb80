package rnnkit.optimized;

import static org.quicktheories.QuickTheory.qt;
import static rnnkit.testing.PropertyTrials.counted;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;
import rnnkit.model.Activation;
import rnnkit.model.DType;
import rnnkit.testing.CaseGenerators;
import rnnkit.testing.CaseRecipe;
import rnnkit.testing.CaseSpace;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RnnCase;

/**
 * The optimized implementation equals the reference (outputs, final states, gradients wrt inputs, every weight
 * and initial states) over random cases covering every structure, cell, activation, mask pattern, dropout pattern
 * and option, in both dtypes; and over shapes that straddle the blocking of the optimized path (row alignment
 * {@link OptimizedRnn#DEFAULT_ROW_ALIGN} of the batch slices and the GEMM's tiles): sizes B-1, B, B+1.
 * QuickTheories prints the falsifying recipe (which rebuilds the case) and its seed.
 */
class OptimizedMatchesReferenceProperties {
    private static final long SEED = 20261123L;
    private static final int EXAMPLES = 250;
    /** Block edges of the optimized path: row alignment 8; GEMM tiles of 4, 8 and 16 (B-1, B, B+1 of each). */
    private static final List<Integer> STRADDLING = List.of(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17);
    private static OptimizedRnn optimized;
    private static long trialsBefore;

    @BeforeAll
    static void start() {
        optimized = new OptimizedRnn(2);
        trialsBefore = PropertyTrials.total();
    }

    @AfterAll
    static void report() {
        optimized.close();
        System.out.println(PropertyTrials.report("OptimizedMatchesReferenceProperties", trialsBefore));
        System.out.println("[worst errors] " + ReferenceComparison.worstErrors());
    }

    private static CaseSpace everyOption() {
        List<Activation> all = List.of(Activation.values());
        return CaseSpace.everything().withActivations(all, all).withMaxSizes(4, 6, 5, 5);
    }

    @Test
    void float64OptimizedEqualsReferenceForEveryOption() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES).forAll(CaseGenerators.cases(everyOption()))
                .checkAssert(counted((RnnCase c) -> ReferenceComparison.assertMatchesReference(optimized, c, DType.FLOAT64)));
    }

    @Test
    void float32OptimizedIsWithinItsBoundOfReferenceForEveryOption() {
        qt().withFixedSeed(SEED + 1).withExamples(EXAMPLES).forAll(CaseGenerators.cases(everyOption()))
                .checkAssert(counted((RnnCase c) -> ReferenceComparison.assertMatchesReference(optimized, c, DType.FLOAT32)));
    }

    /** Recipes with batch, features and units drawn from the block-straddling sizes, time 1..4. */
    private static Gen<RnnCase> straddlingCases() {
        Gen<Integer> size = SourceDSL.arbitrary().pick(STRADDLING);
        Gen<Integer> time = SourceDSL.integers().between(1, 4);
        Gen<CaseRecipe> recipes = CaseGenerators.recipes(everyOption());
        Gen<CaseRecipe> sized = in -> recipes.generate(in).withSizes(size.generate(in), time.generate(in),
                size.generate(in), size.generate(in));
        return sized.map(CaseRecipe::build).describedAs(RnnCase::toString);
    }

    @Test
    void bothDtypesMatchReferenceOnShapesStraddlingBlockSizes() {
        qt().withFixedSeed(SEED + 2).withExamples(EXAMPLES / 2).forAll(straddlingCases(), SourceDSL.booleans().all())
                .checkAssert(counted((RnnCase c, Boolean f32) -> ReferenceComparison.assertMatchesReference(optimized, c,
                        f32 ? DType.FLOAT32 : DType.FLOAT64)));
    }
}
