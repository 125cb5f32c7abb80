package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * The optimized path against values computed by Keras itself (Keras's own test suite, re-run with Keras 3.15.1 in
 * float32; {@link rnnkit.checks.KerasCheckValues} names the test files): constant initializers kernel 0.01,
 * recurrent 0.02, bias 0.03 (LSTM unit_forget_bias: forget block exactly 1.0), inputs arange. Independent of the reference.
 * Keras printed float32 results to about 1e-7; both our dtypes must agree within 1e-6.
 */
class KerasCheckValuesTest {
    private static final double KERAS_PRINTED = 1e-6;
    private static final OptimizedRnn OPTIMIZED = new OptimizedRnn(2);

    @AfterAll
    static void close() {
        OPTIMIZED.close();
    }

    private static Tensor arange(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = i;
        }
        return t;
    }

    /** kernel 0.01, recurrent_kernel 0.02, bias 0.03 (LSTM with unit_forget_bias: forget block 1.0). */
    private static List<Tensor> constantWeights(CellSpec cell, int inputDim) {
        List<Tensor> w = new ArrayList<>();
        List<int[]> shapes = cell.weightShapes(inputDim);
        double[] fill = {0.01, 0.02, 0.03};
        for (int i = 0; i < shapes.size(); i++) {
            Tensor t = Tensor.zeros(shapes.get(i));
            java.util.Arrays.fill(t.data(), fill[i]);
            if (i == 2 && cell.type() == CellType.LSTM && cell.unitForgetBias()) {
                java.util.Arrays.fill(t.data(), cell.units(), 2 * cell.units(), 1.0);
            }
            w.add(t);
        }
        return w;
    }

    /** Runs in both dtypes and checks one value per batch row (every unit equal). */
    private static void assertRows(LayerCall call, double... expected) {
        for (DType d : DType.values()) {
            Tensor out = OPTIMIZED.forward(call.withDtype(d)).output();
            int units = out.dim(out.rank() - 1);
            for (int b = 0; b < expected.length; b++) {
                for (int u = 0; u < units; u++) {
                    assertThat(out.data()[b * units + u]).as("%s row %s unit %s in %s", call.layer().describe(), b, u,
                            d.kerasName()).isCloseTo(expected[b], within(KERAS_PRINTED));
                }
            }
        }
    }

    private static LayerCall single(CellSpec cell, Tensor x) {
        return LayerCall.of(RnnLayerSpec.of(cell), constantWeights(cell, x.dim(2)), x);
    }

    @Test
    void lstmVariantsMatchKeras() {
        Tensor x = arange(3, 6, 4);
        assertRows(single(CellSpec.lstm(3), x), .6288687, .86899155, .9460773);
        CellSpec lstm = CellSpec.lstm(3);
        assertRows(LayerCall.of(RnnLayerSpec.of(lstm).withGoBackwards(true), constantWeights(lstm, 4), x),
                .35622165, .74789524, .8872726);
        assertRows(single(CellSpec.lstm(3).withUnitForgetBias(false), x), .57019705, .8661914, .9459622);
        assertRows(single(CellSpec.lstm(3).withUseBias(false), x), .54986924, .86226785, .9443936);
        CellSpec two = CellSpec.lstm(2);
        LayerCall masked = single(two, arange(2, 4, 3)).withMask(SequenceMask.fromInts(new int[][] {{1, 1, 1, 0}, {1, 1, 0, 0}}));
        assertRows(masked, .11755939, .28556206);
    }

    @Test
    void lstmWithInitialStatesMatchesKerasPerUnit() {
        CellSpec two = CellSpec.lstm(2);
        LayerCall call = single(two, arange(2, 4, 3)).withInitialStates(List.of(arange(2, 2), arange(2, 2)));
        for (DType d : DType.values()) {
            assertThat(OPTIMIZED.forward(call.withDtype(d)).output().data())
                    .containsExactly(new double[] {.20574439, .3558822, .64930826, .66276}, within(KERAS_PRINTED));
        }
    }

    @Test
    void gruVariantsMatchKeras() {
        Tensor x = arange(3, 6, 4);
        assertRows(single(CellSpec.gru(3), x), .5217289, .6371659, .39384964);
        CellSpec gru = CellSpec.gru(3);
        assertRows(LayerCall.of(RnnLayerSpec.of(gru).withGoBackwards(true), constantWeights(gru, 4), x),
                .24406259, .611516, .3928808);
        assertRows(single(CellSpec.gru(3).withResetAfter(false), x), .51447755, .6426879, .40208298);
        assertRows(single(CellSpec.gru(3).withUseBias(false), x), .49988455, .64701194, .4103359);
        LayerCall h0 = single(CellSpec.gru(2), arange(2, 4, 3)).withInitialStates(List.of(arange(2, 2)));
        for (DType d : DType.values()) {
            assertThat(OPTIMIZED.forward(h0.withDtype(d)).output().data())
                    .containsExactly(new double[] {.23774096, .33508456, .83659905, 1.0227708}, within(KERAS_PRINTED));
        }
    }

    @Test
    void simpleRnnAndBidirectionalMatchKeras() {
        assertRows(single(CellSpec.simpleRnn(4), arange(2, 3, 4)), .405432, .73605347);
        CellSpec s4 = CellSpec.simpleRnn(4);
        assertRows(LayerCall.of(RnnLayerSpec.of(s4).withGoBackwards(true), constantWeights(s4, 4), arange(2, 3, 4)),
                .11144729, .5528889);
        assertRows(single(s4, arange(2, 4, 3)).withMask(SequenceMask.fromInts(new int[][] {{1, 1, 0, 1}, {1, 0, 0, 1}})),
                .32951632, .61799484);
        CellSpec s2 = CellSpec.simpleRnn(2);
        BidirectionalSpec bi = BidirectionalSpec.of(RnnLayerSpec.of(s2), MergeMode.CONCAT);
        List<Tensor> w = new ArrayList<>(constantWeights(s2, 4));
        w.addAll(constantWeights(s2, 4));
        LayerCall call = LayerCall.of(bi, w, arange(2, 3, 4));
        for (DType d : DType.values()) {
            assertThat(OPTIMIZED.forward(call.withDtype(d)).output().data()).containsExactly(new double[] {
                    .39687276, .39687276, .10004295, .10004295, .7237238, .7237238, .53391594, .53391594},
                    within(KERAS_PRINTED));
        }
    }
}
