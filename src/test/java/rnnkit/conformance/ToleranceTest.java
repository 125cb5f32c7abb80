package rnnkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.golden.GoldenCall;
import rnnkit.golden.GoldenCase;
import rnnkit.golden.GoldenCorpus;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * Every formula of {@link Tolerance} against numbers worked out by hand from its class comment: the named
 * instances' accept rule at and just past its boundary, the error measures (rms scale, floor, absolute fallback,
 * non-finite values), the accumulation depth of each layer kind, and the Keras, agreement and trajectory bounds.
 * The operands are dyadic, so the boundary cases are exact in double.
 */
class ToleranceTest {
    static final double U32 = 0x1p-24;
    static final double U64 = 0x1p-53;

    /** A float32 inference call of {@code layer} on zero inputs of shape (batch, time, features), zero weights. */
    static LayerCall call(LayerSpec layer, int batch, int time, int features) {
        List<Tensor> w = new ArrayList<>();
        for (int[] s : layer.weightShapes(features)) {
            w.add(Tensor.zeros(s));
        }
        return LayerCall.of(layer, w, Tensor.zeros(batch, time, features)).withDtype(DType.FLOAT32);
    }

    static Tensor vec(double... v) {
        return Tensor.vector(v);
    }

    @Test
    void theNamedInstancesAcceptUpToAbsolutePlusRelativeTimesTheLargerMagnitude() {
        Tolerance t = new Tolerance(0.5, 0.25);
        // allowed = 0.25 + 0.5 * max(|a|, |e|)
        assertThat(t.accepts(1, 2)).isTrue();            // diff 1    < 1.25
        assertThat(t.accepts(1, 2.5)).isTrue();          // diff 1.5 == 1.5: the boundary is inside
        assertThat(t.accepts(2.5, 1)).isTrue();          // symmetric: the larger magnitude, whichever side it is
        assertThat(t.accepts(-1, -2.5)).isTrue();        // magnitudes, not signed values
        assertThat(t.accepts(1, 2.75)).isFalse();        // diff 1.75 > 1.625
        assertThat(t.accepts(0, 0.25)).isTrue();         // only the absolute part near zero
        assertThat(t.accepts(0, 0.75)).isFalse();        // diff 0.75 > 0.25 + 0.375
        assertThat(t.accepts(Double.NaN, 1)).isFalse();
        assertThat(t.accepts(1, Double.NaN)).isFalse();
        assertThat(t.accepts(Double.NaN, Double.NaN)).isFalse();
        assertThat(Tolerance.EXACT.accepts(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).isTrue();
        assertThat(Tolerance.EXACT.accepts(Double.POSITIVE_INFINITY, 1)).isFalse();
        assertThat(Tolerance.EXACT.accepts(0.1, 0.1)).isTrue();
        assertThat(Tolerance.EXACT.accepts(1, Math.nextUp(1.0))).isFalse();
    }

    @Test
    void errorRatioIsTheDifferenceOverTheAllowance() {
        Tolerance t = new Tolerance(0.5, 0.25);
        assertThat(t.errorRatio(1, 2.5)).isEqualTo(1.0);     // 1.5 / 1.5
        assertThat(t.errorRatio(1, 2)).isEqualTo(0.8);       // 1 / 1.25
        assertThat(t.errorRatio(-1, -2)).isEqualTo(0.8);
        assertThat(t.errorRatio(3, 3)).isEqualTo(0.0);
        assertThat(t.errorRatio(Double.NaN, 1)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(t.errorRatio(1, Double.NaN)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Tolerance.EXACT.errorRatio(1, 2)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Tolerance.EXACT.errorRatio(2, 2)).isEqualTo(0.0);
        assertThat(new Tolerance(0, 0.5).errorRatio(0, 0.25)).isEqualTo(0.5);
    }

    @Test
    void negativeOrNaNPartsAreRefusedWithTheValues() {
        assertThatThrownBy(() -> new Tolerance(-1e-9, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-negative").hasMessageContaining("-1.0E-9, 0.0");
        assertThatThrownBy(() -> new Tolerance(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tolerance(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tolerance(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Tolerance(0, 0)).isEqualTo(Tolerance.EXACT);
        assertThat(new Tolerance(0.5, 0.25)).hasToString("Tolerance(relative 0.5, absolute 0.25)");
    }

    @Test
    void unitRoundoffIsHalfAnUlpOfOne() {
        assertThat(Tolerance.unitRoundoff(DType.FLOAT32)).isEqualTo(Math.ulp(1.0f) / 2);
        assertThat(Tolerance.unitRoundoff(DType.FLOAT64)).isEqualTo(Math.ulp(1.0) / 2);
    }

    @Test
    void quantitiesHaveTheirReportLabels() {
        assertThat(Tolerance.Quantity.OUTPUTS.label()).isEqualTo("outputs");
        assertThat(Tolerance.Quantity.STATES.label()).isEqualTo("states");
        assertThat(Tolerance.Quantity.GRAD_INPUTS.label()).isEqualTo("d/d inputs");
        assertThat(Tolerance.Quantity.GRAD_WEIGHTS.label()).isEqualTo("d/d weights");
        assertThat(Tolerance.Quantity.GRAD_INITIAL_STATES.label()).isEqualTo("d/d initial states");
    }

    @Test
    void depthIsTimeTimesLongestDotProductPlusBatchSummedOverCalls() {
        // SimpleRNN(3) on 2 features, batch 5, 4 steps: 4 * (2 + 3 + 5) = 40
        LayerCall a = call(RnnLayerSpec.of(CellSpec.simpleRnn(3)), 5, 4, 2);
        assertThat(Tolerance.depth(List.of(a))).isEqualTo(40.0);
        // a stateful second call of 6 steps, batch 5: + 6 * 10
        LayerCall b = call(RnnLayerSpec.of(CellSpec.simpleRnn(3)), 5, 6, 2);
        assertThat(Tolerance.depth(List.of(a, b))).isEqualTo(100.0);
        assertThat(Tolerance.depth(List.of())).isEqualTo(0.0);
    }

    @Test
    void theLongestDotProductOfEachLayerKind() {
        // stacked cells: the first sees D = 2 (2 + 3), the second sees the first's 3 units (3 + 7 = 10)
        assertThat(Tolerance.longestDotProduct(RnnLayerSpec.stacked(CellSpec.simpleRnn(3), CellSpec.simpleRnn(7)), 2))
                .isEqualTo(10);
        // ... and the widest cell wins wherever it is in the stack: (2 + 9) against (9 + 1)
        assertThat(Tolerance.longestDotProduct(RnnLayerSpec.stacked(CellSpec.lstm(9), CellSpec.gru(1)), 2)).isEqualTo(11);
        // Bidirectional: one direction's dot product
        assertThat(Tolerance.longestDotProduct(BidirectionalSpec.of(RnnLayerSpec.of(CellSpec.gru(4)), MergeMode.CONCAT), 3))
                .isEqualTo(7);
        // Dense: its input width
        assertThat(Tolerance.longestDotProduct(DenseSpec.of(50), 6)).isEqualTo(6);
        // Sequential: the widest layer, each at its own input width: LSTM(4) on 3 (7), then Dense(2) on 4 (4)
        SequentialSpec seq = SequentialSpec.of(3, RnnLayerSpec.of(CellSpec.lstm(4)), DenseSpec.of(2));
        assertThat(Tolerance.longestDotProduct(seq, 3)).isEqualTo(7);
        SequentialSpec wideDense = SequentialSpec.of(3, RnnLayerSpec.of(CellSpec.lstm(4)).withReturnSequences(true),
                DenseSpec.of(20), DenseSpec.of(2));
        assertThat(Tolerance.longestDotProduct(wideDense, 3)).isEqualTo(20);
        // Embedding: a lookup
        assertThat(Tolerance.longestDotProduct(new EmbeddingSpec(10, 4, false), 0)).isZero();
    }

    @Test
    void theKerasBoundIsRoundingsTimesUnitRoundoffTimesDepth() {
        LayerCall a = call(RnnLayerSpec.of(CellSpec.simpleRnn(3)), 5, 4, 2); // depth 40
        assertThat(Tolerance.of(Tolerance.Quantity.OUTPUTS, DType.FLOAT32, List.of(a))).isEqualTo(8 * U32 * 40);
        assertThat(Tolerance.of(Tolerance.Quantity.STATES, DType.FLOAT64, List.of(a))).isEqualTo(8 * U64 * 40);
        assertThat(Tolerance.of(Tolerance.Quantity.GRAD_INPUTS, DType.FLOAT32, List.of(a))).isEqualTo(32 * U32 * 40);
        assertThat(Tolerance.of(Tolerance.Quantity.GRAD_WEIGHTS, DType.FLOAT32, List.of(a))).isEqualTo(32 * U32 * 40);
        assertThat(Tolerance.of(Tolerance.Quantity.GRAD_INITIAL_STATES, DType.FLOAT64, List.of(a)))
                .isEqualTo(32 * U64 * 40);
        // the floor of half a unit of depth (4 ulps for outputs) when nothing accumulates
        assertThat(Tolerance.of(Tolerance.Quantity.OUTPUTS, DType.FLOAT32, List.of())).isEqualTo(4 * U32);
    }

    @Test
    void aGoldenCaseIsBoundedByTheDepthOfAllItsCalls() {
        GoldenCase c = GoldenCorpus.open(GoldenCorpus.defaultRoot()).load("stateful/lstm_sequences__float32");
        assertThat(c.calls()).hasSizeGreaterThan(1);
        double n = 0;
        for (GoldenCall gc : c.calls()) {
            LayerCall lc = gc.call();
            int units = ((RnnLayerSpec) lc.layer()).cell().units();
            n += (double) lc.inputs().dim(1) * (lc.inputs().dim(2) + units + lc.inputs().dim(0));
        }
        assertThat(Tolerance.of(Tolerance.Quantity.OUTPUTS, c)).isEqualTo(8 * U32 * n);
        assertThat(Tolerance.of(Tolerance.Quantity.GRAD_WEIGHTS, c)).isEqualTo(32 * U32 * n);
    }

    @Test
    void trajectoryBoundsGrowLinearlyWithTheStep() {
        LayerCall a = call(RnnLayerSpec.of(CellSpec.simpleRnn(3)), 5, 4, 2); // depth 40
        double perStep = 32 * U32 * 40 + 12 * U32;
        assertThat(Tolerance.trajectoryWeights(DType.FLOAT32, a, 1)).isEqualTo(perStep);
        assertThat(Tolerance.trajectoryWeights(DType.FLOAT32, a, 5)).isEqualTo(5 * perStep);
        assertThat(Tolerance.trajectoryWeights(DType.FLOAT64, a, 2)).isEqualTo(2 * (32 * U64 * 40 + 12 * U64));
        // the loss at step k is computed at the weights after k - 1 steps
        assertThat(Tolerance.trajectoryLoss(DType.FLOAT32, a, 1)).isEqualTo(8 * U32 * 40);
        assertThat(Tolerance.trajectoryLoss(DType.FLOAT32, a, 3)).isEqualTo(8 * U32 * 40 + 2 * perStep);
    }

    @Test
    void elementErrorsAreRelativeToTheLargerOfTheElementTheRmsAndTheFloor() {
        Tensor e = vec(3, 4, 0, 0);                      // rms = sqrt(25 / 4) = 2.5
        Tensor a = vec(3.5, 3, 1, Double.POSITIVE_INFINITY);
        double[] err = Tolerance.elementErrors(e, a, 0);
        assertThat(err[0]).isEqualTo(0.5 / 3);           // |e| = 3 above the rms
        assertThat(err[1]).isEqualTo(1.0 / 4);
        assertThat(err[2]).isEqualTo(1 / 2.5);           // near zero: relative to the rms
        assertThat(err[3]).isEqualTo(Double.POSITIVE_INFINITY);
        double[] floored = Tolerance.elementErrors(e, a, 10);
        assertThat(floored[0]).isEqualTo(0.05);          // the floor wins over |e| and rms
        assertThat(floored[2]).isEqualTo(0.1);
        // all-zero expected and no floor: the absolute error
        assertThat(Tolerance.elementErrors(vec(0, 0), vec(0.25, -0.5), 0)).containsExactly(0.25, 0.5);
        assertThat(Tolerance.elementErrors(vec(1), vec(Double.NaN), 0)).containsExactly(Double.POSITIVE_INFINITY);
    }

    @Test
    void worstErrorIsTheLargestElementErrorAndInfiniteForBadShapesOrValues() {
        Tensor e = vec(3, 4, 0, 0);
        assertThat(Tolerance.worstError(e, vec(3.5, 3, 1, 0))).isEqualTo(1 / 2.5);
        assertThat(Tolerance.worstError(e, vec(3.5, 3, 1, 0), 10)).isEqualTo(0.1);
        assertThat(Tolerance.worstError(e, e)).isZero();
        assertThat(Tolerance.worstError(e, vec(3, 4, 0))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Tolerance.worstError(e, Tensor.of(e.data(), 2, 2))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Tolerance.worstError(e, vec(3, 4, Double.NaN, 0))).isEqualTo(Double.POSITIVE_INFINITY);
        // a NaN expected value makes the element error NaN: it counts as infinitely wrong, wherever it is
        assertThat(Tolerance.worstError(vec(1, Double.NaN), vec(1, 1))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Tolerance.worstError(vec(Double.NaN, 1), vec(1, 1))).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void gradientFloorIsTheRmsOverAllCotangentElements() {
        assertThat(Tolerance.gradientFloor(List.of(vec(3, 4), vec(0)))).isEqualTo(Math.sqrt(25.0 / 3));
        assertThat(Tolerance.gradientFloor(List.of(vec(-2, 2, 2, -2)))).isEqualTo(2.0);
        assertThat(Tolerance.gradientFloor(List.of())).isZero();
    }

    @Test
    void worstAbsoluteIsTheLargestDifference() {
        assertThat(Tolerance.worstAbsolute(vec(1, 2, 3), vec(1.5, 0, 3))).isEqualTo(2.0);
        assertThat(Tolerance.worstAbsolute(vec(1, 2), vec(1, 2))).isZero();
        assertThat(Tolerance.worstAbsolute(vec(1, 2), vec(1, 2, 3))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Tolerance.worstAbsolute(vec(1, 2), vec(Double.NaN, 2))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Tolerance.worstAbsolute(vec(1, 2), vec(1, Double.NaN))).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void normwiseErrorsAreRelativeToTheLargestMagnitudeFlooredAtOne() {
        // scale = max(1, max|a|, max|e|) = 4 (from the actual side)
        assertThat(Tolerance.normwiseElementErrors(vec(2, -4), vec(3, -3))).containsExactly(0.25, 0.25);
        // ... from the expected side
        assertThat(Tolerance.normwiseElementErrors(vec(1, 0), vec(1, -8))).containsExactly(0.0, 1.0);
        // small tensors: against 1
        assertThat(Tolerance.normwiseElementErrors(vec(0.25, 0), vec(0.5, 0.125))).containsExactly(0.25, 0.125);
        assertThat(Tolerance.normwiseElementErrors(vec(Double.NaN, 0), vec(1, 0))[0]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Tolerance.normwiseRelativeError(vec(2, -4), vec(2, -3))).isEqualTo(0.25);
        assertThat(Tolerance.normwiseRelativeError(vec(1, Double.NaN), vec(1, 2))).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void theAgreementBoundIsEightTStepsOfWidestPlusUnitsPlusEightUlps() {
        // float64: a fixed 1e-12
        LayerCall simple = call(RnnLayerSpec.of(CellSpec.simpleRnn(3)), 2, 4, 2);
        assertThat(Tolerance.agreementBound(simple, DType.FLOAT64)).isEqualTo(1e-12);
        // float32, SimpleRNN(3) on 2 features, 4 steps: widest = max(D = 2, 2U = 6) = 6, units 3
        assertThat(Tolerance.agreementBound(simple, DType.FLOAT32)).isEqualTo(8.0 * 4 * (6 + 3 + 8) * U32);
        // a wide input dominates 2U: D = 11, U = 3 over 5 steps
        LayerCall wide = call(RnnLayerSpec.of(CellSpec.simpleRnn(3)), 2, 5, 11);
        assertThat(Tolerance.agreementBound(wide, DType.FLOAT32)).isEqualTo(8.0 * 5 * (11 + 3 + 8) * U32);
        // stacked: the second cell's input (7 units of the first) and the widest 2U (2 * 7); units = 7
        LayerCall stacked = call(RnnLayerSpec.stacked(CellSpec.simpleRnn(7), CellSpec.gru(2)), 1, 3, 2);
        assertThat(Tolerance.agreementBound(stacked, DType.FLOAT32)).isEqualTo(8.0 * 3 * (14 + 7 + 8) * U32);
        // stacked with a wider input than any 2U: D = 20 feeds the first cell
        LayerCall stackedWide = call(RnnLayerSpec.stacked(CellSpec.simpleRnn(2), CellSpec.gru(3)), 1, 2, 20);
        assertThat(Tolerance.agreementBound(stackedWide, DType.FLOAT32)).isEqualTo(8.0 * 2 * (20 + 3 + 8) * U32);
        // a Sequential model: a later cell's input width comes from the layer before it (Dense(16) into GRU(2))
        SequentialSpec seq = SequentialSpec.of(3, DenseSpec.of(16), RnnLayerSpec.of(CellSpec.gru(2)));
        LayerCall model = call(seq, 1, 2, 3);
        assertThat(Tolerance.agreementBound(model, DType.FLOAT32)).isEqualTo(8.0 * 2 * (16 + 2 + 8) * U32);
    }

    @Test
    void aModelOnTokenIdsCountsItsTimeStepsAndItsWidestCell() {
        // Embedding(10, 4) then LSTM(3) on token ids of shape (batch 2, time 5): the LSTM's dot product is 4 + 3
        SequentialSpec model = SequentialSpec.of(0, new EmbeddingSpec(10, 4, false), RnnLayerSpec.of(CellSpec.lstm(3)));
        List<Tensor> w = new ArrayList<>();
        for (int[] s : model.weightShapes(0)) {
            w.add(Tensor.zeros(s));
        }
        LayerCall ids = LayerCall.of(model, w, Tensor.zeros(2, 5)).withDtype(DType.FLOAT32);
        assertThat(Tolerance.depth(List.of(ids))).isEqualTo(5.0 * (7 + 2));
        // widest = 2U = 6 (above the LSTM's 4 inputs), units 3, over 5 steps
        assertThat(Tolerance.agreementBound(ids, DType.FLOAT32)).isEqualTo(8.0 * 5 * (6 + 3 + 8) * U32);
    }

    @Test
    void theAgreementBoundUsesTheGivenDtypeNotTheCalls() {
        LayerCall simple = call(RnnLayerSpec.of(CellSpec.simpleRnn(3)), 2, 4, 2); // a float32 call
        assertThat(Tolerance.agreementBound(simple.withDtype(DType.FLOAT32), DType.FLOAT64)).isEqualTo(1e-12);
        assertThat(Tolerance.agreementBound(simple.withDtype(DType.FLOAT64), DType.FLOAT32))
                .isEqualTo(8.0 * 4 * (6 + 3 + 8) * U32);
    }
}
