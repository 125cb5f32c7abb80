package rnnkit.peers.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;
import rnnkit.model.UnsupportedCaseException;

/**
 * ONNX Runtime behind the adapter reproduces values from Keras's own test suite (constant weights kernel 0.01,
 * recurrent 0.02, bias 0.03; LSTM's unit_forget_bias initializes the forget block to 1.0). These expected values
 * come from Keras, independently of any rnnkit implementation; agreement to 1e-5 checks the weight conversion
 * (gate order, transposition, biases) and the input/output layout.
 */
class OnnxRuntimeRnnKerasValuesTest {
    private static final double TOL = 1e-5;

    private static Tensor arange(int... shape) {
        double[] d = new double[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        return Tensor.of(d, shape);
    }

    private static Tensor filled(double v, int... shape) {
        Tensor t = Tensor.zeros(shape);
        Arrays.fill(t.data(), v);
        return t;
    }

    private static List<Tensor> constantWeights(CellSpec cell, int inputDim, boolean forgetBiasOne) {
        List<int[]> s = cell.weightShapes(inputDim);
        Tensor bias = filled(0.03, s.get(2));
        if (forgetBiasOne) {
            for (int j = cell.units(); j < 2 * cell.units(); j++) {
                bias.data()[j] = 1.0;
            }
        }
        return List.of(filled(0.01, s.get(0)), filled(0.02, s.get(1)), bias);
    }

    private static double[] lastOutputPerRow(LayerOutputs out) {
        Tensor y = out.output();
        double[] v = new double[y.dim(0)];
        for (int b = 0; b < v.length; b++) {
            v[b] = y.get(b, 0);
            for (int j = 1; j < y.dim(1); j++) {
                assertThat(y.get(b, j)).as("all units of a row are equal").isCloseTo(v[b], org.assertj.core.data.Offset.offset(1e-6));
            }
        }
        return v;
    }

    private static LayerOutputs run(RnnLayerSpec spec, List<Tensor> w, Tensor x, SequenceMask mask) {
        LayerCall call = new LayerCall(spec, w, x, mask, List.of(), List.of(), false, DType.FLOAT32);
        return new OnnxRuntimeRnn(1).forward(call);
    }

    @Test
    void lstmMatchesKerasCheckValues() {
        CellSpec cell = CellSpec.lstm(3);
        double[] got = lastOutputPerRow(run(RnnLayerSpec.of(cell), constantWeights(cell, 4, true), arange(3, 6, 4), null));
        assertThat(got).containsExactly(new double[] {.6288687, .86899155, .9460773}, org.assertj.core.data.Offset.offset(TOL));
    }

    @Test
    void lstmWithoutForgetBiasMatchesKerasCheckValues() {
        CellSpec cell = CellSpec.lstm(3).withUnitForgetBias(false);
        double[] got = lastOutputPerRow(run(RnnLayerSpec.of(cell), constantWeights(cell, 4, false), arange(3, 6, 4), null));
        assertThat(got).containsExactly(new double[] {.57019705, .8661914, .9459622}, org.assertj.core.data.Offset.offset(TOL));
    }

    @Test
    void gruResetAfterAndBeforeMatchKerasCheckValues() {
        CellSpec after = CellSpec.gru(3);
        assertThat(lastOutputPerRow(run(RnnLayerSpec.of(after), constantWeights(after, 4, false), arange(3, 6, 4), null)))
                .containsExactly(new double[] {.5217289, .6371659, .39384964}, org.assertj.core.data.Offset.offset(TOL));
        CellSpec before = CellSpec.gru(3).withResetAfter(false);
        assertThat(lastOutputPerRow(run(RnnLayerSpec.of(before), constantWeights(before, 4, false), arange(3, 6, 4), null)))
                .containsExactly(new double[] {.51447755, .6426879, .40208298}, org.assertj.core.data.Offset.offset(TOL));
    }

    @Test
    void simpleRnnMatchesKerasCheckValues() {
        CellSpec cell = CellSpec.simpleRnn(4);
        assertThat(lastOutputPerRow(run(RnnLayerSpec.of(cell), constantWeights(cell, 4, false), arange(2, 3, 4), null)))
                .containsExactly(new double[] {.405432, .73605347}, org.assertj.core.data.Offset.offset(TOL));
    }

    @Test
    void goBackwardsLastOutputMatchesKerasBecauseItIsTheFinalState() {
        CellSpec cell = CellSpec.lstm(3);
        RnnLayerSpec spec = RnnLayerSpec.of(cell).withGoBackwards(true);
        assertThat(lastOutputPerRow(run(spec, constantWeights(cell, 4, true), arange(3, 6, 4), null)))
                .containsExactly(new double[] {.35622165, .74789524, .8872726}, org.assertj.core.data.Offset.offset(TOL));
    }

    @Test
    void rightPaddingMaskBecomesSequenceLensAndGivesKerasLastOutput() {
        CellSpec cell = CellSpec.lstm(2);
        SequenceMask mask = SequenceMask.fromInts(new int[][] {{1, 1, 1, 0}, {1, 1, 0, 0}});
        assertThat(lastOutputPerRow(run(RnnLayerSpec.of(cell), constantWeights(cell, 3, true), arange(2, 4, 3), mask)))
                .containsExactly(new double[] {.11755939, .28556206}, org.assertj.core.data.Offset.offset(TOL));
    }

    @Test
    void maskWithHolesIsUnsupportedNotWrong() {
        CellSpec cell = CellSpec.simpleRnn(4);
        SequenceMask holes = SequenceMask.fromInts(new int[][] {{1, 1, 0, 1}, {1, 0, 0, 1}});
        assertThatThrownBy(() -> run(RnnLayerSpec.of(cell), constantWeights(cell, 3, false), arange(2, 4, 3), holes))
                .isInstanceOf(UnsupportedCaseException.class).hasMessageContaining("hole");
    }

    @Test
    void activationWithoutOnnxEquivalentIsUnsupported() {
        CellSpec cell = CellSpec.simpleRnn(4).withActivation(rnnkit.model.Activation.GELU);
        assertThatThrownBy(() -> run(RnnLayerSpec.of(cell), constantWeights(cell, 4, false), arange(2, 3, 4), null))
                .isInstanceOf(UnsupportedCaseException.class).hasMessageContaining("gelu");
    }
}
