package rnnkit.optimized;

import static org.quicktheories.QuickTheory.qt;
import static rnnkit.testing.PropertyTrials.counted;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;
import rnnkit.model.Activation;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.Tensor;
import rnnkit.testing.CaseGenerators;
import rnnkit.testing.CaseRecipe;
import rnnkit.testing.CaseSpace;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RnnCase;

/**
 * Results are bit-identical for 1, 2, 3 and 7 threads: outputs, final states and every gradient, both dtypes,
 * every structure and option. Batch 40 is split into 2, 3 and 5 slices at the default row alignment of 8, and
 * into 2, 3 and 7 slices at alignment 1 (the GEMM's results do not depend on a row's tile position either).
 */
class ThreadCountInvarianceTest {
    private static final int[] THREAD_COUNTS = {1, 2, 3, 7};
    private static final List<OptimizedRnn> IMPLEMENTATIONS = new ArrayList<>();
    private static long trialsBefore;

    @BeforeAll
    static void start() {
        trialsBefore = PropertyTrials.total();
        for (int align : new int[] {OptimizedRnn.DEFAULT_ROW_ALIGN, 1}) {
            for (int t : THREAD_COUNTS) {
                IMPLEMENTATIONS.add(new OptimizedRnn(t, OptimizedRnn.defaultGemm(), align));
            }
        }
    }

    @AfterAll
    static void stop() {
        IMPLEMENTATIONS.forEach(OptimizedRnn::close);
        System.out.println(PropertyTrials.report("ThreadCountInvarianceTest", trialsBefore));
    }

    /** Forward and backward results of one call, flattened for exact comparison. */
    static List<Tensor> results(rnnkit.model.RnnImplementation impl, LayerCall call, LayerOutputs cotangent) {
        LayerOutputs out = impl.forward(call);
        LayerGradients g = impl.backward(call, cotangent);
        List<Tensor> all = new ArrayList<>(out.outputs());
        all.addAll(out.states());
        if (g.inputs() != null) {
            all.add(g.inputs());
        }
        all.addAll(g.weights());
        all.addAll(g.initialStates());
        return all;
    }

    private static Gen<RnnCase> wideBatchCases() {
        List<Activation> all = Activation.elementwise();
        Gen<CaseRecipe> recipes = CaseGenerators.recipes(CaseSpace.everything().withActivations(all, all));
        Gen<CaseRecipe> sized = in -> recipes.generate(in).withSizes(40, 4, 9, 7);
        return sized.map(CaseRecipe::build).describedAs(RnnCase::toString);
    }

    /**
     * Batch 3 with 250 units: one batch slice, so on several threads each step's recurrent GEMM is split over
     * output columns (LSTM and GRU; U has at least RecurrenceSplit.COLUMN_SPLIT_MIN_WEIGHTS entries), and the forward
     * chunks (a multiple of the thread count, the last one cut short by U) differ from thread count to thread count
     * (LSTM: 128 + 122 on 1 and 2 threads, 64 + 96 + 90 on 3, 32·6 + 58 on 7). Every layer
     * kind: a SimpleRNN/LSTM(256) + GRU stack once exposed results that depended on the JIT state (the Vector API's
     * SVML activations; see ActivationBlocks).
     */
    private static Gen<RnnCase> smallBatchWideUnitCases() {
        Gen<CaseRecipe> recipes = CaseGenerators.recipes(CaseSpace.everything());
        Gen<CaseRecipe> sized = in -> recipes.generate(in).withSizes(3, 3, 5, 250);
        return sized.map(CaseRecipe::build).describedAs(RnnCase::toString);
    }

    @Test
    void resultsAreBitIdenticalForOneTwoThreeAndSevenThreads() {
        check(wideBatchCases(), 80);
    }

    @Test
    void smallBatchColumnSplitRecurrenceIsBitIdenticalForEveryThreadCount() {
        check(smallBatchWideUnitCases(), 30);
    }

    private static void check(Gen<RnnCase> cases, int examples) {
        qt().withFixedSeed(4242L).withExamples(examples).forAll(cases, SourceDSL.booleans().all())
                .checkAssert(counted((RnnCase c, Boolean f32) -> {
                    LayerCall call = c.call().withDtype(f32 ? DType.FLOAT32 : DType.FLOAT64);
                    List<Tensor> single = results(IMPLEMENTATIONS.get(0), call, c.cotangent());
                    for (OptimizedRnn impl : IMPLEMENTATIONS.subList(1, IMPLEMENTATIONS.size())) {
                        List<Tensor> other = results(impl, call, c.cotangent());
                        if (!other.equals(single)) {
                            throw new AssertionError(impl.threads() + " threads differ from 1 thread (bitwise) in "
                                    + call.dtype().kerasName() + " for " + c);
                        }
                    }
                }));
    }
}
