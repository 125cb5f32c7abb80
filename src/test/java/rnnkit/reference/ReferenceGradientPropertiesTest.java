package rnnkit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;
import rnnkit.testing.CaseGenerators;
import rnnkit.testing.CaseSpace;
import rnnkit.testing.FiniteDifferenceChecker;
import rnnkit.testing.LayerKind;
import rnnkit.testing.MaskPattern;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RandomTensors;
import rnnkit.testing.RnnCase;
import rnnkit.testing.TensorComparison;
import rnnkit.conformance.Tolerance;

/** Properties of the reference's backward pass over random cases. */
class ReferenceGradientPropertiesTest {
    private static final RnnImplementation REFERENCE = new ReferenceRnn();
    private static long trialsBefore;

    @BeforeAll
    static void countTrialsFromHere() {
        trialsBefore = PropertyTrials.total();
    }

    @AfterAll
    static void reportTrials() {
        System.out.println(PropertyTrials.report("ReferenceGradientPropertiesTest", trialsBefore));
    }

    /** Finite differences agree with backward on random cases from the whole case space (small sizes). */
    @Test
    void backwardMatchesFiniteDifferencesOnRandomCases() {
        CaseSpace space = CaseSpace.everything().withMaxSizes(2, 4, 3, 3);
        FiniteDifferenceChecker checker = new FiniteDifferenceChecker();
        qt().withFixedSeed(401L).withExamples(60).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) ->
                        checker.check(REFERENCE, c.call(), c.cotangent()).assertPasses()));
    }

    /** backward(call, a*c1 + b*c2) = a*backward(call, c1) + b*backward(call, c2) for outputs and state cotangents. */
    @Test
    void backwardIsLinearInTheCotangent() {
        qt().withFixedSeed(402L).withExamples(150).forAll(CaseGenerators.cases(CaseSpace.everything()))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    RandomTensors random = new RandomTensors(c.recipe().seed() + 1);
                    LayerOutputs c1 = c.cotangent();
                    LayerOutputs c2 = new LayerOutputs(likeAll(random, c1.outputs()), likeAll(random, c1.states()));
                    double a = 1.5;
                    double b = -0.75;
                    LayerOutputs combined = new LayerOutputs(combine(a, c1.outputs(), b, c2.outputs()),
                            combine(a, c1.states(), b, c2.states()));
                    LayerGradients g1 = REFERENCE.backward(c.call(), c1);
                    LayerGradients g2 = REFERENCE.backward(c.call(), c2);
                    LayerGradients g = REFERENCE.backward(c.call(), combined);
                    if (g.inputs() != null) {
                        TensorComparison.assertClose("input gradient", g.inputs(),
                                combine(a, List.of(g1.inputs()), b, List.of(g2.inputs())).get(0), Tolerance.REASSOCIATED_FLOAT64);
                    }
                    TensorComparison.assertAllClose("weight gradients", g.weights(),
                            combine(a, g1.weights(), b, g2.weights()), Tolerance.REASSOCIATED_FLOAT64);
                    TensorComparison.assertAllClose("initial-state gradients", g.initialStates(),
                            combine(a, g1.initialStates(), b, g2.initialStates()), Tolerance.REASSOCIATED_FLOAT64);
                }));
    }

    /** Inputs at masked steps are never read, so their gradient is exactly zero. */
    @Test
    void inputsAtMaskedStepsGetZeroGradient() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS,
                LayerKind.BIDIRECTIONAL, LayerKind.SEQUENTIAL_STACK)
                .withMasks(MaskPattern.HOLES, MaskPattern.FIRST_STEP_MASKED, MaskPattern.FULLY_MASKED_ROW);
        qt().withFixedSeed(403L).withExamples(150).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    Tensor dx = REFERENCE.backward(c.call(), c.cotangent()).inputs();
                    SequenceMask mask = c.call().mask();
                    for (int b = 0; b < c.call().batch(); b++) {
                        for (int t = 0; t < c.call().time(); t++) {
                            for (int i = 0; !mask.get(b, t) && i < dx.dim(2); i++) {
                                assertThat(Math.abs(dx.get(b, t, i))).as("%s: d loss / d x[%d, %d, %d] at a masked step",
                                        c, b, t, i).isEqualTo(0.0);
                            }
                        }
                    }
                }));
    }

    /**
     * Without state cotangents, backward differentiates the outputs only: it equals backward with explicit zero
     * state cotangents.
     */
    @Test
    void missingStateCotangentsMeanZero() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS, LayerKind.BIDIRECTIONAL);
        qt().withFixedSeed(404L).withExamples(150).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    List<Tensor> zeros = new ArrayList<>();
                    for (int[] s : LayerCall.stateShapes(c.call().layer(), c.call().batch())) {
                        zeros.add(Tensor.zeros(s));
                    }
                    LayerGradients implicit = REFERENCE.backward(c.call(), new LayerOutputs(c.cotangent().outputs(), List.of()));
                    LayerGradients explicit = REFERENCE.backward(c.call(), new LayerOutputs(c.cotangent().outputs(), zeros));
                    TensorComparison.assertClose("input gradient", implicit.inputs(), explicit.inputs(), Tolerance.EXACT);
                    TensorComparison.assertAllClose("weight gradients", implicit.weights(), explicit.weights(), Tolerance.EXACT);
                }));
    }

    /** forward and backward leave the call's tensors untouched and give the same result when repeated. */
    @Test
    void forwardAndBackwardAreDeterministicAndDoNotMutateTheCall() {
        qt().withFixedSeed(405L).withExamples(100).forAll(CaseGenerators.cases(CaseSpace.everything()))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    Tensor inputs = c.call().inputs().copy();
                    List<Tensor> weights = likeCopies(c.call().weights());
                    List<Tensor> states = likeCopies(c.call().initialStates());
                    LayerOutputs first = REFERENCE.forward(c.call());
                    LayerGradients g1 = REFERENCE.backward(c.call(), c.cotangent());
                    LayerGradients g2 = REFERENCE.backward(c.call(), c.cotangent());
                    ReferenceMaskingPropertiesTest.assertSameOutputs(REFERENCE.forward(c.call()), first, Tolerance.EXACT);
                    TensorComparison.assertAllClose("weight gradients", g2.weights(), g1.weights(), Tolerance.EXACT);
                    assertThat(c.call().inputs()).as("inputs after the calls").isEqualTo(inputs);
                    assertThat(c.call().weights()).as("weights after the calls").isEqualTo(weights);
                    assertThat(c.call().initialStates()).as("initial states after the calls").isEqualTo(states);
                }));
    }

    private static List<Tensor> likeAll(RandomTensors random, List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(random.uniform(1.0, t.shape()));
        }
        return out;
    }

    private static List<Tensor> likeCopies(List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(t.copy());
        }
        return out;
    }

    /** a*x + b*y element-wise, list by list. */
    private static List<Tensor> combine(double a, List<Tensor> x, double b, List<Tensor> y) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            Tensor r = Tensor.zeros(x.get(i).shape());
            for (int k = 0; k < r.size(); k++) {
                r.data()[k] = a * x.get(i).data()[k] + b * y.get(i).data()[k];
            }
            out.add(r);
        }
        return out;
    }
}
