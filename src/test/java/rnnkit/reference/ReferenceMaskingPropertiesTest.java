package rnnkit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;
import rnnkit.testing.CallTransforms;
import rnnkit.testing.CaseGenerators;
import rnnkit.testing.CaseSpace;
import rnnkit.testing.LayerKind;
import rnnkit.testing.MaskPattern;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RnnCase;
import rnnkit.testing.TensorComparison;
import rnnkit.testing.TimeAxis;
import rnnkit.conformance.Tolerance;

/** Keras masking semantics of the reference, as properties over random cases (QuickTheories, fixed seeds). */
class ReferenceMaskingPropertiesTest {
    private static final RnnImplementation REFERENCE = new ReferenceRnn();
    private static long trialsBefore;
    private static final int EXAMPLES = 150;

    @BeforeAll
    static void countTrialsFromHere() {
        trialsBefore = PropertyTrials.total();
    }

    @AfterAll
    static void reportTrials() {
        System.out.println(PropertyTrials.report("ReferenceMaskingPropertiesTest", trialsBefore));
    }

    @Test
    void fullyTrueMaskEqualsNoMask() {
        CaseSpace space = CaseSpace.everything().withMasks(MaskPattern.NONE)
                .withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS, LayerKind.BIDIRECTIONAL, LayerKind.SEQUENTIAL_STACK);
        qt().withFixedSeed(101L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    LayerCall masked = c.call().withMask(SequenceMask.allTrue(c.call().batch(), c.call().time()));
                    assertSameOutputs(REFERENCE.forward(masked), REFERENCE.forward(c.call()), Tolerance.EXACT);
                }));
    }

    /**
     * A step masked in every row changes nothing: removing it from the sequence gives the same final states (and,
     * for last-output layers that do not zero masked outputs, the same output), for every structure and option.
     * Excluded: a Sequential stack whose first layer goes backwards, because Keras then hands the second layer the
     * input mask unreversed next to a reversed sequence (RNN.compute_mask returns its input mask), so a masked input
     * step masks a different output step of the first layer.
     */
    @Test
    void maskedStepLeavesStateUnchanged() {
        CaseSpace space = CaseSpace.everything().withMaxSizes(3, 5, 3, 3);
        qt().withFixedSeed(102L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .assuming(c -> c.call().time() >= 2 && c.recipe().kind() != LayerKind.SEQUENTIAL_EMBEDDING
                        && !(c.recipe().kind() == LayerKind.SEQUENTIAL_STACK && c.recipe().goBackwards()))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    int t = (int) (c.recipe().seed() % c.call().time());
                    LayerCall call = c.call().withMask(CallTransforms.maskedAtStep(c.call(), c.call().mask(), t));
                    LayerOutputs with = REFERENCE.forward(call);
                    LayerOutputs without = REFERENCE.forward(CallTransforms.withoutStep(call, t));
                    TensorComparison.assertAllClose("final states", with.states(), without.states(), Tolerance.EXACT);
                    boolean lastOutputOnly = with.output().rank() == 2;
                    boolean zeroesMaskedOutputs = call.layer() instanceof RnnLayerSpec r && r.zeroOutputForMask();
                    if (lastOutputOnly && !zeroesMaskedOutputs) {
                        TensorComparison.assertAllClose("last outputs", with.outputs(), without.outputs(), Tolerance.EXACT);
                    }
                }));
    }

    /** At a masked step the output repeats the previous step's output; before any real step it is zero (Keras). */
    @Test
    void maskedStepRepeatsPreviousOutputOrZeroBeforeAnyRealStep() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS)
                .withMasks(MaskPattern.HOLES, MaskPattern.FIRST_STEP_MASKED, MaskPattern.FULLY_MASKED_ROW);
        qt().withFixedSeed(103L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    RnnLayerSpec layer = ((RnnLayerSpec) c.call().layer()).withReturnSequences(true);
                    LayerCall call = c.call().withLayer(layer);
                    Tensor out = REFERENCE.forward(call).output();
                    SequenceMask mask = call.mask();
                    SequenceMask processing = layer.goBackwards() ? mask.reversedInTime() : mask;
                    for (int b = 0; b < call.batch(); b++) {
                        for (int t = 0; t < call.time(); t++) {
                            if (processing.get(b, t)) {
                                continue;
                            }
                            for (int u = 0; u < layer.units(); u++) {
                                double expected = t == 0 ? 0.0 : out.get(b, t - 1, u);
                                assertThat(out.get(b, t, u)).as("%s: output[%d, %d, %d] at a masked step", c, b, t, u)
                                        .isEqualTo(expected);
                            }
                        }
                    }
                }));
    }

    @Test
    void zeroOutputForMaskZeroesExactlyMaskedSteps() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS)
                .withMasks(MaskPattern.HOLES, MaskPattern.TRAILING_PADDING, MaskPattern.FULLY_MASKED_ROW);
        qt().withFixedSeed(104L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    RnnLayerSpec layer = ((RnnLayerSpec) c.call().layer()).withReturnSequences(true);
                    LayerOutputs repeating = REFERENCE.forward(c.call().withLayer(layer.withZeroOutputForMask(false)));
                    LayerOutputs zeroing = REFERENCE.forward(c.call().withLayer(layer.withZeroOutputForMask(true)));
                    TensorComparison.assertAllClose("final states", zeroing.states(), repeating.states(), Tolerance.EXACT);
                    SequenceMask processing = layer.goBackwards() ? c.call().mask().reversedInTime() : c.call().mask();
                    for (int b = 0; b < c.call().batch(); b++) {
                        for (int t = 0; t < c.call().time(); t++) {
                            for (int u = 0; u < layer.units(); u++) {
                                double expected = processing.get(b, t) ? repeating.output().get(b, t, u) : 0.0;
                                assertThat(zeroing.output().get(b, t, u)).as("%s: output[%d, %d, %d]", c, b, t, u)
                                        .isEqualTo(expected);
                            }
                        }
                    }
                }));
    }

    /**
     * With return_state, the final h of the last cell is the last output, for every row with at least one real step;
     * a fully masked row keeps its initial states and outputs zeros (Keras's "previous output" starts at zeros).
     */
    @Test
    void returnStateFinalHEqualsLastOutput() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS);
        qt().withFixedSeed(105L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    RnnLayerSpec layer = ((RnnLayerSpec) c.call().layer()).withReturnState(true);
                    LayerOutputs out = REFERENCE.forward(c.call().withLayer(layer));
                    CellSpec last = layer.cells().get(layer.cells().size() - 1);
                    int hIndex = layer.stateCount() - last.stateCount();
                    Tensor h = out.states().get(hIndex);
                    Tensor lastOutput = layer.returnSequences()
                            ? TimeAxis.step(out.output(), c.call().time() - 1) : out.output();
                    for (int b = 0; b < c.call().batch(); b++) {
                        boolean anyReal = c.call().mask() == null;
                        for (int t = 0; c.call().mask() != null && t < c.call().time(); t++) {
                            anyReal |= c.call().mask().get(b, t);
                        }
                        for (int u = 0; u < layer.units(); u++) {
                            if (anyReal) {
                                assertThat(lastOutput.get(b, u)).as("%s: row %d unit %d", c, b, u).isEqualTo(h.get(b, u));
                            } else {
                                assertThat(lastOutput.get(b, u)).as("%s: fully masked row %d", c, b).isEqualTo(0.0);
                                double h0 = c.call().initialStates().isEmpty() ? 0.0 : c.call().initialStates().get(hIndex).get(b, u);
                                assertThat(h.get(b, u)).as("%s: final h of fully masked row %d", c, b).isEqualTo(h0);
                            }
                        }
                    }
                }));
    }

    /**
     * Bidirectional with return_sequences zeroes masked steps in both halves (Keras forces zero_output_for_mask), so
     * every merge mode outputs exactly zero there. When the wrapped layer itself goes backwards, Keras flips only the
     * second half's sequence, so both halves (and the merge) are in reversed time order: zeros at the reversed mask.
     */
    @Test
    void bidirectionalReturningSequencesOutputsZeroAtMaskedSteps() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.BIDIRECTIONAL)
                .withMasks(MaskPattern.HOLES, MaskPattern.FIRST_STEP_MASKED, MaskPattern.FULLY_MASKED_ROW);
        qt().withFixedSeed(106L).withExamples(EXAMPLES)
                .forAll(CaseGenerators.recipes(space).map(r -> r.withReturnSequences(true).build())
                        .describedAs(RnnCase::toString))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    LayerOutputs out = REFERENCE.forward(c.call());
                    SequenceMask zeroAt = c.recipe().goBackwards() ? c.call().mask().reversedInTime() : c.call().mask();
                    for (Tensor o : out.outputs()) {
                        for (int b = 0; b < c.call().batch(); b++) {
                            for (int t = 0; t < c.call().time(); t++) {
                                for (int u = 0; !zeroAt.get(b, t) && u < o.dim(2); u++) {
                                    assertThat(o.get(b, t, u)).as("%s: output[%d, %d, %d]", c, b, t, u).isEqualTo(0.0);
                                }
                            }
                        }
                    }
                }));
    }

    static void assertSameOutputs(LayerOutputs actual, LayerOutputs expected, Tolerance tolerance) {
        TensorComparison.assertAllClose("outputs", actual.outputs(), expected.outputs(), tolerance);
        TensorComparison.assertAllClose("final states", actual.states(), expected.states(), tolerance);
    }
}
