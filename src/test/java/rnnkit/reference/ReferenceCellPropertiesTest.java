package rnnkit.reference;

import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.quicktheories.core.Gen;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.testing.CallTransforms;
import rnnkit.testing.CaseGenerators;
import rnnkit.testing.CaseSpace;
import rnnkit.testing.DropoutPattern;
import rnnkit.testing.LayerKind;
import rnnkit.testing.MaskPattern;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RnnCase;
import rnnkit.testing.TensorComparison;
import rnnkit.conformance.Tolerance;

/** Cell equations and dropout, as properties whose expected values follow from the equations, not from the code. */
class ReferenceCellPropertiesTest {
    private static final RnnImplementation REFERENCE = new ReferenceRnn();
    private static long trialsBefore;
    private static final int EXAMPLES = 150;
    /** A pre-activation that saturates sigmoid and hard_sigmoid: sigmoid(40) == 1.0 in double, hard_sigmoid(40) == 1. */
    private static final double SATURATING_BIAS = 40;

    @BeforeAll
    static void countTrialsFromHere() {
        trialsBefore = PropertyTrials.total();
    }

    @AfterAll
    static void reportTrials() {
        System.out.println(PropertyTrials.report("ReferenceCellPropertiesTest", trialsBefore));
    }

    /** Single-cell layers of the given type with bias and random initial states, any activation, mask, dropout. */
    private static Gen<RnnCase> gatedCells(CellType type) {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE).withCellTypes(type)
                .withActivations(Activation.elementwise(), List.of(Activation.SIGMOID, Activation.HARD_SIGMOID));
        return withInitialStates(space);
    }

    private static Gen<RnnCase> withInitialStates(CaseSpace space) {
        return CaseGenerators.recipes(space).map(r -> r.withUseBias(true).withInitialStates(true).build())
                .describedAs(RnnCase::toString);
    }

    /**
     * LSTM with the forget gate saturated open (f = 1) and the input gate shut (i = 0): c_t = f*c_{t-1} + i*g keeps
     * the initial carry, for any activation, mask, dropout, direction.
     */
    @Test
    void lstmWithForgetOpenAndInputShutKeepsCarryConstant() {
        qt().withFixedSeed(301L).withExamples(EXAMPLES).forAll(gatedCells(CellType.LSTM))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    int u = c.recipe().units();
                    List<Tensor> w = copies(c.call().weights());
                    // Gate blocks i (columns [0, u)) and f ([u, 2u)): no input or recurrent contribution, bias -40 / +40.
                    zeroColumns(w.get(0), 0, 2 * u);
                    zeroColumns(w.get(1), 0, 2 * u);
                    for (int j = 0; j < u; j++) {
                        w.get(2).data()[j] = -SATURATING_BIAS;
                        w.get(2).data()[u + j] = SATURATING_BIAS;
                    }
                    LayerOutputs out = REFERENCE.forward(c.call().withWeights(w));
                    TensorComparison.assertClose("final carry c", out.states().get(1), c.call().initialStates().get(1),
                            Tolerance.SATURATED_GATE);
                }));
    }

    /** GRU with the update gate saturated open (z = 1): h_t = z*h_{t-1} + (1-z)*hh keeps the initial state. */
    @Test
    void gruWithUpdateGateOpenKeepsStateConstant() {
        qt().withFixedSeed(302L).withExamples(EXAMPLES).forAll(gatedCells(CellType.GRU))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    int u = c.recipe().units();
                    List<Tensor> w = copies(c.call().weights());
                    zeroColumns(w.get(0), 0, u);
                    zeroColumns(w.get(1), 0, u);
                    Tensor bias = w.get(2);
                    Arrays.fill(bias.data(), 0, u, SATURATING_BIAS); // input bias (row 0 when reset_after) z block
                    if (bias.rank() == 2) {
                        Arrays.fill(bias.data(), 3 * u, 4 * u, 0.0); // recurrent bias z block
                    }
                    LayerOutputs out = REFERENCE.forward(c.call().withWeights(w));
                    TensorComparison.assertClose("final h", out.states().get(0), c.call().initialStates().get(0),
                            Tolerance.SATURATED_GATE);
                }));
    }

    /** SimpleRNN with a zero recurrent kernel and linear activation is the affine map h_t = x_t W + b at each step. */
    @Test
    void simpleRnnWithZeroRecurrentKernelAndLinearActivationIsAnAffineMapPerStep() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE).withCellTypes(CellType.SIMPLE_RNN)
                .withActivations(List.of(Activation.LINEAR), List.of(Activation.SIGMOID))
                .withDropouts(DropoutPattern.NONE).withMasks(MaskPattern.NONE);
        qt().withFixedSeed(303L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    RnnLayerSpec layer = ((RnnLayerSpec) c.call().layer()).withReturnSequences(true).withGoBackwards(false);
                    List<Tensor> w = copies(c.call().weights());
                    Arrays.fill(w.get(1).data(), 0.0);
                    Tensor out = REFERENCE.forward(c.call().withLayer(layer).withWeights(w)).output();
                    Tensor x = c.call().inputs();
                    Tensor expected = Tensor.zeros(out.shape());
                    for (int b = 0; b < x.dim(0); b++) {
                        for (int t = 0; t < x.dim(1); t++) {
                            for (int j = 0; j < layer.units(); j++) {
                                double h = w.size() > 2 ? w.get(2).get(j) : 0.0;
                                for (int i = 0; i < x.dim(2); i++) {
                                    h += x.get(b, t, i) * w.get(0).get(i, j);
                                }
                                expected.set(h, b, t, j);
                            }
                        }
                    }
                    TensorComparison.assertClose("outputs", out, expected, Tolerance.REASSOCIATED_FLOAT64);
                }));
    }

    @Test
    void dropoutMasksOfOnesEqualNoDropout() {
        CaseSpace space = CaseSpace.everything().withDropouts(DropoutPattern.INPUT, DropoutPattern.RECURRENT,
                DropoutPattern.BOTH_PER_GATE, DropoutPattern.BOTH_SHARED);
        qt().withFixedSeed(304L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> ReferenceMaskingPropertiesTest.assertSameOutputs(
                        REFERENCE.forward(CallTransforms.dropoutMasksOfOnes(c.call())),
                        REFERENCE.forward(CallTransforms.inference(c.call())), Tolerance.EXACT)));
    }

    /** Per-gate masks (Keras implementation=1) that are all equal act like one mask shared by all gates. */
    @Test
    void equalPerGateDropoutMasksEqualOneSharedMask() {
        CaseSpace space = CaseSpace.everything().withDropouts(DropoutPattern.BOTH_PER_GATE)
                .withCellTypes(CellType.LSTM, CellType.GRU);
        qt().withFixedSeed(305L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    List<CellDropoutMasks> perGate = new ArrayList<>();
                    List<CellDropoutMasks> shared = new ArrayList<>();
                    for (CellDropoutMasks d : c.call().dropoutMasks()) {
                        perGate.add(new CellDropoutMasks(repeatFirst(d.inputMasks()), repeatFirst(d.recurrentMasks())));
                        shared.add(new CellDropoutMasks(d.inputMasks().subList(0, 1), d.recurrentMasks().subList(0, 1)));
                    }
                    ReferenceMaskingPropertiesTest.assertSameOutputs(REFERENCE.forward(c.call().withDropout(perGate)),
                            REFERENCE.forward(c.call().withDropout(shared)), Tolerance.EXACT);
                }));
    }

    /**
     * Per-gate masks are really used per gate: zeroing the input mask of one gate only changes the final states
     * (non-zero initial states, so that the forget/reset/update gates matter from the first step).
     */
    @Test
    void perGateDropoutMasksThatDifferChangeTheResult() {
        CaseSpace space = CaseSpace.everything().withDropouts(DropoutPattern.BOTH_PER_GATE).withKinds(LayerKind.SINGLE)
                .withCellTypes(CellType.LSTM, CellType.GRU).withMasks(MaskPattern.NONE);
        qt().withFixedSeed(306L).withExamples(EXAMPLES).forAll(withInitialStates(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    CellDropoutMasks d = c.call().dropoutMasks().get(0);
                    for (int gate = 1; gate < d.inputMasks().size(); gate++) {
                        List<Tensor> in = new ArrayList<>(repeatFirst(d.inputMasks()));
                        Tensor zeroed = in.get(gate).copy();
                        Arrays.fill(zeroed.data(), 0.0);
                        in.set(gate, zeroed);
                        LayerCall changed = c.call().withDropout(List.of(new CellDropoutMasks(in, repeatFirst(d.recurrentMasks()))));
                        LayerCall same = c.call().withDropout(List.of(new CellDropoutMasks(repeatFirst(d.inputMasks()),
                                repeatFirst(d.recurrentMasks()))));
                        LayerOutputs a = REFERENCE.forward(changed);
                        LayerOutputs b = REFERENCE.forward(same);
                        boolean differs = false;
                        for (int s = 0; s < a.states().size(); s++) {
                            differs |= TensorComparison.difference("state", a.states().get(s), b.states().get(s),
                                    Tolerance.EXACT) != null;
                        }
                        if (!differs) {
                            throw new AssertionError(c + ": zeroing the input dropout mask of gate " + gate
                                    + " only changed nothing");
                        }
                    }
                }));
    }

    private static List<Tensor> repeatFirst(List<Tensor> masks) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            out.add(masks.get(0));
        }
        return out;
    }

    private static List<Tensor> copies(List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(t.copy());
        }
        return out;
    }

    /** Sets columns [from, to) of a (rows, cols) matrix to zero. */
    private static void zeroColumns(Tensor m, int from, int to) {
        for (int r = 0; r < m.dim(0); r++) {
            for (int c = from; c < to; c++) {
                m.set(0.0, r, c);
            }
        }
    }
}
