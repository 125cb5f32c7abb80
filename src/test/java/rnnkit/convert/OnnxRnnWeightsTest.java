package rnnkit.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;

class OnnxRnnWeightsTest {
    private static List<Tensor> randomWeights(CellSpec cell, int inputDim, long seed) {
        Random r = new Random(seed);
        return cell.weightShapes(inputDim).stream().map(s -> {
            Tensor t = Tensor.zeros(s);
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = r.nextGaussian();
            }
            return t;
        }).toList();
    }

    @Test
    void kerasToOnnxToKerasRoundTripsEveryCell() {
        List<CellSpec> cells = List.of(CellSpec.simpleRnn(3), CellSpec.lstm(4), CellSpec.gru(2),
                CellSpec.gru(5).withResetAfter(false), CellSpec.lstm(3).withUseBias(false), CellSpec.gru(3).withUseBias(false));
        for (CellSpec cell : cells) {
            List<Tensor> keras = randomWeights(cell, 6, cell.units());
            List<Tensor> back = OnnxRnnWeights.fromKeras(cell, 6, keras).toKeras(cell);
            assertThat(back).as(cell.describe()).isEqualTo(keras);
        }
    }

    @Test
    void lstmGateBlocksMoveFromIfcoToIofc() {
        CellSpec cell = CellSpec.lstm(1);
        // kernel (1, 4): Keras gate blocks i=1, f=2, c=3, o=4
        Tensor kernel = Tensor.of(new double[] {1, 2, 3, 4}, 1, 4);
        Tensor rec = Tensor.of(new double[] {10, 20, 30, 40}, 1, 4);
        Tensor bias = Tensor.vector(100, 200, 300, 400);
        OnnxRnnWeights w = OnnxRnnWeights.fromKeras(cell, 1, List.of(kernel, rec, bias));
        assertThat(w.w()).containsExactly(1, 4, 2, 3);
        assertThat(w.r()).containsExactly(10, 40, 20, 30);
        assertThat(w.b()).containsExactly(100, 400, 200, 300, 0, 0, 0, 0);
    }

    @Test
    void gruResetAfterSplitsInputAndRecurrentBias() {
        CellSpec cell = CellSpec.gru(1);
        Tensor bias = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        OnnxRnnWeights w = OnnxRnnWeights.fromKeras(cell, 2, List.of(Tensor.zeros(2, 3), Tensor.zeros(1, 3), bias));
        assertThat(w.linearBeforeReset()).isTrue();
        assertThat(w.b()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void kernelIsTransposed() {
        CellSpec cell = CellSpec.simpleRnn(2);
        Tensor kernel = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2); // (input 3, units 2)
        OnnxRnnWeights w = OnnxRnnWeights.fromKeras(cell, 3, List.of(kernel, Tensor.zeros(2, 2), Tensor.zeros(2)));
        assertThat(w.w()).containsExactly(1, 3, 5, 2, 4, 6); // W [units 2, input 3]
    }

    @Test
    void onnxBiasesCannotGoToACellWithoutBias() {
        CellSpec cell = CellSpec.simpleRnn(1);
        OnnxRnnWeights w = OnnxRnnWeights.fromKeras(cell, 1,
                List.of(Tensor.of(new double[] {1}, 1, 1), Tensor.of(new double[] {1}, 1, 1), Tensor.vector(0.5)));
        assertThatThrownBy(() -> w.toKeras(cell.withUseBias(false))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use_bias=False");
    }
}
