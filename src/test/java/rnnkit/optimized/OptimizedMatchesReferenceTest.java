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
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.optimized.gemm.BlockedGemm;
import rnnkit.testing.DropoutPattern;
import rnnkit.testing.MaskPattern;
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
class OptimizedMatchesReferenceTest {
    private static final long SEED = 20261123L;
    private static final int EXAMPLES = 600;
    /**
     * Block edges of the optimized path, B-1, B, B+1 of each: the batch-slice row alignment and the default GEMM's
     * register tile rows and columns (float and double), read from the GEMM itself.
     */
    private static final List<Integer> STRADDLING = straddlingSizes();

    static List<Integer> straddlingSizes() {
        BlockedGemm.BlockSizes bs = ((BlockedGemm) OptimizedRnn.defaultGemm()).blockSizes();
        java.util.TreeSet<Integer> sizes = new java.util.TreeSet<>(List.of(1, 2));
        for (int edge : new int[] {OptimizedRnn.DEFAULT_ROW_ALIGN, bs.floatTileRows(), bs.doubleTileRows(),
                bs.floatTileCols(), bs.doubleTileCols()}) {
            sizes.addAll(List.of(edge - 1, edge, edge + 1));
        }
        sizes.removeIf(s -> s < 1 || s > 40);
        return List.copyOf(sizes);
    }
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
        System.out.println(PropertyTrials.report("OptimizedMatchesReferenceTest", trialsBefore));
        System.out.println("[worst errors] " + ReferenceComparison.worstErrors());
    }

    private static CaseSpace everyOption() {
        List<Activation> all = Activation.elementwise();
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

    /**
     * The GEMM's depth block KC straddled in the summed dimension: input width D (projection, k = D) and B·T rows
     * (weight gradients, k = B·T) at KC-1, KC, KC+1; small units keep the reference fast.
     */
    @Test
    void bothDtypesMatchReferenceWhenSummedDimensionStraddlesDepthBlock() {
        int kc = ((BlockedGemm) OptimizedRnn.defaultGemm()).blockSizes().depthBlock();
        Gen<Integer> edge = SourceDSL.arbitrary().pick(List.of(kc - 1, kc, kc + 1));
        Gen<CellType> cell = SourceDSL.arbitrary().pick(List.of(CellType.values()));
        Gen<CaseRecipe> recipes = in -> {
            int e = edge.generate(in);
            boolean wide = SourceDSL.booleans().all().generate(in);
            CaseRecipe r = CaseRecipe.of(cell.generate(in), SourceDSL.longs().between(0, 1000).generate(in))
                    .withReturnSequences(true).withMask(MaskPattern.HOLES).withDropout(DropoutPattern.BOTH_PER_GATE);
            // wide: D = edge (batch 2, 2 steps); else one row of edge steps (B·T = edge)
            return wide ? r.withSizes(2, 2, e, 3) : r.withSizes(1, e, 2, 2);
        };
        qt().withFixedSeed(SEED + 3).withExamples(12).forAll(recipes.map(CaseRecipe::build).describedAs(RnnCase::toString),
                        SourceDSL.booleans().all())
                .checkAssert(counted((RnnCase c, Boolean f32) -> ReferenceComparison.assertMatchesReference(optimized, c,
                        f32 ? DType.FLOAT32 : DType.FLOAT64)));
    }

    @Test
    void bothDtypesMatchReferenceOnShapesStraddlingBlockSizes() {
        qt().withFixedSeed(SEED + 2).withExamples(EXAMPLES / 2).forAll(straddlingCases(), SourceDSL.booleans().all())
                .checkAssert(counted((RnnCase c, Boolean f32) -> ReferenceComparison.assertMatchesReference(optimized, c,
                        f32 ? DType.FLOAT32 : DType.FLOAT64)));
    }
}
