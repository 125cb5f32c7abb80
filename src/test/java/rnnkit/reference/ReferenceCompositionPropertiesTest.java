package rnnkit.reference;

import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.SequentialSpec;
import rnnkit.model.StatefulLayer;
import rnnkit.model.Tensor;
import rnnkit.testing.CallTransforms;
import rnnkit.testing.CaseGenerators;
import rnnkit.testing.CaseSpace;
import rnnkit.testing.DropoutPattern;
import rnnkit.testing.LayerKind;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RandomTensors;
import rnnkit.testing.RnnCase;
import rnnkit.testing.TensorComparison;
import rnnkit.testing.TimeAxis;
import rnnkit.conformance.Tolerance;

/**
 * How layers compose, as properties of the reference over random cases: a layer equals the simpler calls it is
 * made of (reversal, Bidirectional halves, stacked cells, Sequential layers, stateful chunks, single rows).
 */
class ReferenceCompositionPropertiesTest {
    private static final RnnImplementation REFERENCE = new ReferenceRnn();
    private static long trialsBefore;
    private static final int EXAMPLES = 150;

    @BeforeAll
    static void countTrialsFromHere() {
        trialsBefore = PropertyTrials.total();
    }

    @AfterAll
    static void reportTrials() {
        System.out.println(PropertyTrials.report("ReferenceCompositionPropertiesTest", trialsBefore));
    }

    /**
     * go_backwards on x equals a forward layer on x reversed in time (mask reversed too), and the returned sequence
     * stays in processing order: it equals the forward layer's sequence as is, not flipped back.
     */
    @Test
    void goBackwardsEqualsForwardOnTimeReversedInput() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS);
        qt().withFixedSeed(201L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    RnnLayerSpec layer = (RnnLayerSpec) c.call().layer();
                    LayerOutputs backwards = REFERENCE.forward(c.call().withLayer(layer.withGoBackwards(true)));
                    LayerOutputs forwardOnReversed = REFERENCE.forward(
                            CallTransforms.timeReversed(c.call()).withLayer(layer.withGoBackwards(false)));
                    ReferenceMaskingPropertiesTest.assertSameOutputs(backwards, forwardOnReversed, Tolerance.EXACT);
                }));
    }

    /**
     * Bidirectional = its forward half on x, and its backward half (go_backwards flipped) whose sequence is reversed
     * back to input order, merged by concat / sum / mul / ave or returned as two tensors (None); states forward
     * half first. Weights, initial states and dropout masks split at the forward half's share.
     */
    @Test
    void bidirectionalEqualsItsTwoHalvesMerged() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.BIDIRECTIONAL);
        qt().withFixedSeed(202L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    LayerCall call = c.call();
                    BidirectionalSpec bi = (BidirectionalSpec) call.layer();
                    int w = bi.forwardWeightCount();
                    int s = bi.forward().stateCount();
                    int cells = bi.forward().cells().size();
                    LayerOutputs fwd = REFERENCE.forward(part(call, bi.forward(), call.weights().subList(0, w),
                            sub(call.initialStates(), 0, s), sub(call.dropoutMasks(), 0, cells)));
                    LayerOutputs bwd = REFERENCE.forward(part(call, bi.backward(),
                            call.weights().subList(w, call.weights().size()),
                            sub(call.initialStates(), s, call.initialStates().size()),
                            sub(call.dropoutMasks(), cells, call.dropoutMasks().size())));
                    Tensor f = fwd.output();
                    Tensor b = bi.returnSequences() ? TimeAxis.reversed(bwd.output()) : bwd.output();
                    List<Tensor> expected = bi.mergeMode() == MergeMode.NONE ? List.of(f, b) : List.of(merge(bi.mergeMode(), f, b));
                    List<Tensor> states = new ArrayList<>(fwd.states());
                    states.addAll(bwd.states());
                    LayerOutputs whole = REFERENCE.forward(call);
                    TensorComparison.assertAllClose("outputs", whole.outputs(), expected, Tolerance.REASSOCIATED_FLOAT64);
                    TensorComparison.assertAllClose("states", whole.states(), states, Tolerance.EXACT);
                }));
    }

    /**
     * RNN([cell1, cell2]) equals RNN(cell1, return_sequences=True) followed by RNN(cell2) on its output sequence,
     * with the same mask (reversed for the second layer when the stack goes backwards, since the first layer's
     * sequence is then in processing order); states cell1's then cell2's.
     */
    @Test
    void stackedCellsEqualSuccessiveLayers() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.STACKED_CELLS);
        qt().withFixedSeed(203L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    LayerCall call = c.call();
                    RnnLayerSpec stack = (RnnLayerSpec) call.layer();
                    RnnLayerSpec first = new RnnLayerSpec(List.of(stack.cells().get(0)), true, true,
                            stack.goBackwards(), false, false);
                    RnnLayerSpec second = new RnnLayerSpec(List.of(stack.cells().get(1)), stack.returnSequences(), true,
                            false, false, stack.zeroOutputForMask());
                    int w = stack.weightOffset(1);
                    int s = stack.cells().get(0).stateCount();
                    LayerOutputs one = REFERENCE.forward(part(call, first, call.weights().subList(0, w),
                            sub(call.initialStates(), 0, s), sub(call.dropoutMasks(), 0, 1)));
                    SequenceMask secondMask = call.mask() == null ? null
                            : stack.goBackwards() ? call.mask().reversedInTime() : call.mask();
                    LayerCall secondCall = new LayerCall(second, call.weights().subList(w, call.weights().size()),
                            one.output(), secondMask, sub(call.initialStates(), s, call.initialStates().size()),
                            sub(call.dropoutMasks(), 1, call.dropoutMasks().size()), call.training(), DType.FLOAT64);
                    LayerOutputs two = REFERENCE.forward(secondCall);
                    List<Tensor> states = new ArrayList<>(one.states());
                    states.addAll(two.states());
                    LayerOutputs whole = REFERENCE.forward(call);
                    TensorComparison.assertClose("output", whole.output(), two.output(), Tolerance.EXACT);
                    TensorComparison.assertAllClose("states", whole.states(), states, Tolerance.EXACT);
                }));
    }

    /**
     * A Sequential model equals calling its layers one by one: Embedding, then the recurrent layers with the mask
     * Keras propagates (ids != 0 for mask_zero; passed on unchanged by layers returning sequences), then Dense.
     */
    @Test
    void stackedLayersEqualSuccessiveCalls() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SEQUENTIAL_EMBEDDING, LayerKind.SEQUENTIAL_STACK);
        qt().withFixedSeed(204L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    LayerCall call = c.call();
                    SequentialSpec model = (SequentialSpec) call.layer();
                    Tensor x = call.inputs();
                    SequenceMask mask = call.mask();
                    int cell = 0;
                    for (int i = 0; i < model.layers().size(); i++) {
                        LayerSpec layer = model.layers().get(i);
                        int w = model.weightOffset(i);
                        List<Tensor> weights = call.weights().subList(w, w + layer.weightNames().size());
                        int cells = LayerCall.recurrentCells(layer).size();
                        List<CellDropoutMasks> dropout = sub(call.dropoutMasks(), cell, Math.min(cell + cells,
                                call.dropoutMasks().size()));
                        cell += cells;
                        if (layer instanceof EmbeddingSpec e && e.maskZero()) {
                            mask = idsNotZero(x);
                        }
                        boolean recurrent = layer instanceof RnnLayerSpec;
                        LayerCall step = new LayerCall(layer, weights, x, recurrent ? mask : null, List.of(),
                                recurrent ? dropout : List.of(), recurrent && call.training(), DType.FLOAT64);
                        x = REFERENCE.forward(step).output();
                        if (layer instanceof RnnLayerSpec r && !r.returnSequences()) {
                            mask = null;
                        }
                    }
                    TensorComparison.assertClose("model output", REFERENCE.forward(call).output(), x, Tolerance.EXACT);
                }));
    }

    /**
     * A stateful layer called on consecutive chunks of the sequences gives the outputs (concatenated) and final
     * states of one call on the whole sequences; after reset_state() it starts again from zeros.
     */
    @Test
    void statefulCallsEqualOneCallOnConcatenatedSequence() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS)
                .withDropouts(DropoutPattern.NONE).withMaxSizes(3, 6, 3, 3);
        qt().withFixedSeed(205L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .assuming(c -> c.call().time() >= 2)
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    RnnLayerSpec layer = ((RnnLayerSpec) c.call().layer()).withGoBackwards(false).withStateful(true)
                            .withReturnSequences(true);
                    LayerCall whole = c.call().withLayer(layer).withInitialStates(List.of());
                    int split = 1 + (int) (c.recipe().seed() % (whole.time() - 1));
                    StatefulLayer stateful = new StatefulLayer(REFERENCE, layer, whole.weights(), DType.FLOAT64);
                    LayerCall first = CallTransforms.timeSlice(whole, 0, split);
                    LayerCall second = CallTransforms.timeSlice(whole, split, whole.time());
                    LayerOutputs a = stateful.call(first.inputs(), first.mask());
                    LayerOutputs b = stateful.call(second.inputs(), second.mask());
                    LayerOutputs expected = REFERENCE.forward(whole);
                    // Keras carries the previous *output* of a masked step only within a call: across calls a
                    // chunk starting with masked steps outputs zeros there, so compare outputs at real steps only.
                    Tensor joined = TimeAxis.concat(List.of(a.output(), b.output()));
                    assertEqualAtRealStepsOfChunk(joined, expected.output(), whole.mask(), split);
                    TensorComparison.assertAllClose("final states", b.states(), expected.states(), Tolerance.EXACT);
                    stateful.resetState();
                    LayerOutputs afterReset = stateful.call(first.inputs(), first.mask());
                    ReferenceMaskingPropertiesTest.assertSameOutputs(afterReset, REFERENCE.forward(first), Tolerance.EXACT);
                }));
    }

    /** Every batch row is computed independently: a row run alone equals that row of the batched run. */
    @Test
    void batchRowsAreComputedIndependently() {
        CaseSpace space = CaseSpace.everything().withKinds(LayerKind.SINGLE, LayerKind.STACKED_CELLS,
                LayerKind.BIDIRECTIONAL, LayerKind.SEQUENTIAL_STACK);
        qt().withFixedSeed(206L).withExamples(EXAMPLES).forAll(CaseGenerators.cases(space))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    LayerOutputs all = REFERENCE.forward(c.call());
                    for (int b = 0; b < c.call().batch(); b++) {
                        LayerOutputs one = REFERENCE.forward(CallTransforms.row(c.call(), b));
                        for (int i = 0; i < all.outputs().size(); i++) {
                            TensorComparison.assertClose("row " + b + " of output " + i,
                                    one.outputs().get(i), TimeAxis.rows(all.outputs().get(i), b, b + 1), Tolerance.EXACT);
                        }
                        for (int i = 0; i < all.states().size(); i++) {
                            TensorComparison.assertClose("row " + b + " of state " + i,
                                    one.states().get(i), TimeAxis.rows(all.states().get(i), b, b + 1), Tolerance.EXACT);
                        }
                    }
                }));
    }

    /** Keras's Dense passes the mask through: a recurrent layer after a per-step Dense still skips masked steps. */
    @Test
    void maskPassesThroughDenseToTheNextRecurrentLayer() {
        RandomTensors random = new RandomTensors(207);
        RnnLayerSpec lstm = RnnLayerSpec.of(CellSpec.lstm(2)).withReturnSequences(true);
        DenseSpec dense = new DenseSpec(3, Activation.TANH, true);
        RnnLayerSpec gru = RnnLayerSpec.of(CellSpec.gru(2));
        SequentialSpec model = SequentialSpec.of(2, lstm, dense, gru);
        List<Tensor> w = new ArrayList<>();
        for (int[] shape : model.weightShapes(2)) {
            w.add(random.uniform(0.6, shape));
        }
        SequenceMask mask = SequenceMask.fromInts(new int[][] {{1, 0, 1, 0}, {0, 1, 1, 1}});
        Tensor x = random.uniform(1, 2, 4, 2);
        Tensor whole = REFERENCE.forward(LayerCall.of(model, w, x).withMask(mask)).output();
        Tensor h1 = REFERENCE.forward(LayerCall.of(lstm, w.subList(0, 3), x).withMask(mask)).output();
        Tensor d = REFERENCE.forward(LayerCall.of(dense, w.subList(3, 5), h1)).output();
        Tensor masked = REFERENCE.forward(LayerCall.of(gru, w.subList(5, 8), d).withMask(mask)).output();
        Tensor unmasked = REFERENCE.forward(LayerCall.of(gru, w.subList(5, 8), d)).output();
        TensorComparison.assertClose("model output", whole, masked, Tolerance.EXACT);
        if (TensorComparison.difference("", masked, unmasked, Tolerance.EXACT) == null) {
            throw new AssertionError("the mask makes no difference in this case: the test could not fail");
        }
    }

    private static void assertEqualAtRealStepsOfChunk(Tensor joined, Tensor expected, SequenceMask mask, int split) {
        Tensor a = joined.copy();
        Tensor e = expected.copy();
        int units = a.dim(2);
        for (int b = 0; b < a.dim(0); b++) {
            boolean realSeenInChunk = false;
            for (int t = 0; t < a.dim(1); t++) {
                if (t == split) {
                    realSeenInChunk = false;
                }
                realSeenInChunk |= mask == null || mask.get(b, t);
                if (!realSeenInChunk) {
                    // Leading masked steps of a chunk: Keras outputs zeros (no previous output in this call).
                    for (int u = 0; u < units; u++) {
                        if (a.get(b, t, u) != 0.0) {
                            throw new AssertionError("chunk output[" + b + ", " + t + ", " + u + "] before any real step"
                                    + " of its chunk is " + a.get(b, t, u) + ", expected 0");
                        }
                        a.set(0, b, t, u);
                        e.set(0, b, t, u);
                    }
                }
            }
        }
        TensorComparison.assertClose("outputs of the chunks, concatenated", a, e, Tolerance.EXACT);
    }

    private static SequenceMask idsNotZero(Tensor ids) {
        boolean[][] m = new boolean[ids.dim(0)][ids.dim(1)];
        for (int b = 0; b < ids.dim(0); b++) {
            for (int t = 0; t < ids.dim(1); t++) {
                m[b][t] = ids.get(b, t) != 0;
            }
        }
        return SequenceMask.of(m);
    }

    private static LayerCall part(LayerCall call, LayerSpec layer, List<Tensor> weights, List<Tensor> states,
                                  List<CellDropoutMasks> dropout) {
        return new LayerCall(layer, weights, call.inputs(), call.mask(), states, dropout, call.training(), call.dtype());
    }

    private static <T> List<T> sub(List<T> list, int from, int to) {
        return list.isEmpty() ? List.of() : list.subList(from, to);
    }

    /** Keras merge of the forward output f and the re-reversed backward output b. */
    private static Tensor merge(MergeMode mode, Tensor f, Tensor b) {
        if (mode == MergeMode.CONCAT) {
            int[] shape = f.shape();
            int fu = shape[shape.length - 1];
            int bu = b.dim(b.rank() - 1);
            shape[shape.length - 1] = fu + bu;
            Tensor out = Tensor.zeros(shape);
            int rows = f.size() / fu;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(f.data(), r * fu, out.data(), r * (fu + bu), fu);
                System.arraycopy(b.data(), r * bu, out.data(), r * (fu + bu) + fu, bu);
            }
            return out;
        }
        Tensor out = Tensor.zeros(f.shape());
        for (int i = 0; i < out.size(); i++) {
            double x = f.data()[i];
            double y = b.data()[i];
            out.data()[i] = switch (mode) {
                case SUM -> x + y;
                case MUL -> x * y;
                case AVE -> (x + y) / 2;
                default -> throw new IllegalStateException(mode.toString());
            };
        }
        return out;
    }
}
