package rnnkit.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;

class TorchRnnWeightsTest {
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
    void kerasToTorchToKerasRoundTripsEveryExpressibleCell() {
        List<CellSpec> cells = List.of(CellSpec.simpleRnn(3), CellSpec.simpleRnn(2).withActivation(Activation.RELU),
                CellSpec.lstm(4), CellSpec.gru(2), CellSpec.lstm(3).withUseBias(false), CellSpec.gru(3).withUseBias(false));
        for (CellSpec cell : cells) {
            List<Tensor> keras = randomWeights(cell, 5, cell.units() * 7L);
            assertThat(TorchRnnWeights.fromKeras(cell, 5, keras).toKeras(cell)).as(cell.describe()).isEqualTo(keras);
        }
    }

    @Test
    void gruGateBlocksMoveFromZrhToRzn() {
        CellSpec cell = CellSpec.gru(1);
        Tensor kernel = Tensor.of(new double[] {1, 2, 3}, 1, 3); // z=1, r=2, h=3
        Tensor bias = Tensor.of(new double[] {10, 20, 30, 40, 50, 60}, 2, 3);
        TorchRnnWeights w = TorchRnnWeights.fromKeras(cell, 1, List.of(kernel, Tensor.of(new double[] {4, 5, 6}, 1, 3), bias));
        assertThat(w.weightIh()).containsExactly(2, 1, 3);
        assertThat(w.weightHh()).containsExactly(5, 4, 6);
        assertThat(w.biasIh()).containsExactly(20, 10, 30);
        assertThat(w.biasHh()).containsExactly(50, 40, 60);
    }

    @Test
    void lstmBiasIsTheSumOfBothTorchBiases() {
        CellSpec cell = CellSpec.lstm(1);
        TorchRnnWeights w = new TorchRnnWeights(cell.type(), 1, 1, new double[4], new double[4],
                new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40});
        assertThat(w.toKeras(cell).get(2).data()).containsExactly(11, 22, 33, 44);
    }

    @Test
    void resetBeforeGruAndOtherActivationsAreNotExpressible() {
        assertThatThrownBy(() -> TorchRnnWeights.requireExpressible(CellSpec.gru(2).withResetAfter(false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reset_after=False");
        assertThatThrownBy(() -> TorchRnnWeights.requireExpressible(CellSpec.lstm(2).withRecurrentActivation(Activation.HARD_SIGMOID)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hard_sigmoid");
    }
}
