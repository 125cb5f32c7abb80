package rnnkit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnImplementation;
import rnnkit.testing.CaseGenerators;
import rnnkit.testing.CaseRecipe;
import rnnkit.testing.CaseSpace;
import rnnkit.testing.LayerKind;
import rnnkit.testing.MaskPattern;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RnnCase;
import rnnkit.testing.TensorComparison;
import rnnkit.conformance.Tolerance;

/** The {@link RnnImplementation} contract as the reference honours it (what every implementation must do). */
class ReferenceContractTest {
    private static final RnnImplementation REFERENCE = new ReferenceRnn();
    private static long trialsBefore;

    @BeforeAll
    static void countTrialsFromHere() {
        trialsBefore = PropertyTrials.total();
    }

    @AfterAll
    static void reportTrials() {
        System.out.println(PropertyTrials.report("ReferenceContractTest", trialsBefore));
    }

    @Test
    void nameIsReference() {
        assertThat(REFERENCE.name()).isEqualTo("reference");
    }

    /** Final states are always returned for recurrent layers, also without return_state (a stateful layer needs them). */
    @Test
    void finalStatesAreReturnedEvenWithoutReturnState() {
        qt().withFixedSeed(501L).withExamples(100).forAll(CaseGenerators.cases(CaseSpace.everything()
                        .withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS, LayerKind.BIDIRECTIONAL)))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    LayerOutputs out = REFERENCE.forward(c.call());
                    List<int[]> shapes = LayerCall.stateShapes(c.call().layer(), c.call().batch());
                    assertThat(out.states()).as("%s", c).hasSameSizeAs(shapes);
                    for (int i = 0; i < shapes.size(); i++) {
                        assertThat(out.states().get(i).shape()).as("%s state %d", c, i).isEqualTo(shapes.get(i));
                    }
                }));
    }

    /** Initial-state gradients are reported exactly when the call passed initial states; token ids get none. */
    @Test
    void gradientListsFollowTheCall() {
        RnnCase withStates = CaseRecipe.of(CellType.LSTM, 1).withInitialStates(true).build();
        RnnCase withoutStates = CaseRecipe.of(CellType.LSTM, 1).build();
        RnnCase tokens = CaseRecipe.of(CellType.GRU, 1).withKind(LayerKind.SEQUENTIAL_EMBEDDING)
                .withMask(MaskPattern.HOLES).build();
        assertThat(REFERENCE.backward(withStates.call(), withStates.cotangent()).initialStates()).hasSize(2);
        assertThat(REFERENCE.backward(withoutStates.call(), withoutStates.cotangent()).initialStates()).isEmpty();
        LayerGradients g = REFERENCE.backward(tokens.call(), tokens.cotangent());
        assertThat(g.inputs()).as("no gradient for token ids").isNull();
        assertThat(g.weights()).hasSize(tokens.call().weights().size());
    }

    /** Bidirectional merge_mode=None returns two outputs, forward then backward. */
    @Test
    void mergeModeNoneReturnsTwoOutputs() {
        RnnCase c = CaseRecipe.of(CellType.GRU, 3).withMergeMode(MergeMode.NONE).withReturnSequences(true).build();
        assertThat(REFERENCE.forward(c.call()).outputs()).hasSize(2);
    }

    /** The reference always computes in double: a float32 call gives the float64 result. */
    @Test
    void referenceComputesInDoubleWhateverTheDtype() {
        qt().withFixedSeed(502L).withExamples(50).forAll(CaseGenerators.cases(CaseSpace.everything()))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> ReferenceMaskingPropertiesTest.assertSameOutputs(
                        REFERENCE.forward(c.call().withDtype(DType.FLOAT32)), REFERENCE.forward(c.call()), Tolerance.EXACT)));
    }

    /** Calls from several threads at once give the results of the same calls made one after another. */
    @Test
    void concurrentCallsAreIndependent() throws Exception {
        List<RnnCase> cases = new ArrayList<>();
        for (LayerKind kind : LayerKind.values()) {
            for (CellType type : CellType.values()) {
                cases.add(CaseRecipe.of(type, 600 + cases.size()).withKind(kind).withMask(MaskPattern.HOLES)
                        .withReturnSequences(true).build());
            }
        }
        List<LayerOutputs> sequential = new ArrayList<>();
        for (RnnCase c : cases) {
            sequential.add(REFERENCE.forward(c.call()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<LayerOutputs>> futures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (RnnCase c : cases) {
                    futures.add(pool.submit(() -> REFERENCE.forward(c.call())));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                LayerOutputs expected = sequential.get(i % cases.size());
                TensorComparison.assertAllClose("concurrent call " + i, futures.get(i).get().outputs(), expected.outputs(),
                        Tolerance.EXACT);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
