package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.testing.RandomTensors;

/**
 * Keras 3.15.1 applies LSTM and GRU dropout masks only when {@code 0 < rate < 1} (lstm.py/gru.py:
 * {@code if training and 0.0 < self.dropout < 1.0}); SimpleRNN applies any mask it drew. With rate 1 and masks
 * given, LSTM/GRU therefore compute the inference result; SimpleRNN uses the masks.
 */
class DropoutRateEdgeTest {
    private static final OptimizedRnn OPTIMIZED = new OptimizedRnn(2);

    @AfterAll
    static void close() {
        OPTIMIZED.close();
    }

    @Test
    void rateOneMasksAreIgnoredByLstmAndGruButUsedBySimpleRnn() {
        RandomTensors random = new RandomTensors(11);
        for (CellType type : CellType.values()) {
            CellSpec cell = new CellSpec(type, 4, rnnkit.model.Activation.TANH, rnnkit.model.Activation.SIGMOID, true,
                    type == CellType.GRU, false, 1.0, 1.0);
            RnnLayerSpec layer = RnnLayerSpec.of(cell).withReturnSequences(true);
            List<Tensor> w = new ArrayList<>();
            for (int[] s : layer.weightShapes(3)) {
                w.add(random.uniform(0.6, s));
            }
            Tensor x = random.uniform(1, 5, 4, 3);
            CellDropoutMasks masks = new CellDropoutMasks(List.of(random.dropoutMask(0.5, 5, 3)),
                    List.of(random.dropoutMask(0.5, 5, 4)));
            LayerCall inference = LayerCall.of(layer, w, x);
            LayerCall training = inference.withDropout(List.of(masks));
            Tensor cot = random.uniform(1, 5, 4, 4);
            for (DType d : DType.values()) {
                ReferenceComparison.assertMatchesReference(OPTIMIZED, training, LayerOutputs.of(cot, List.of()), d,
                        cell.describe() + " rate 1");
                boolean same = OPTIMIZED.forward(training.withDtype(d)).output()
                        .equals(OPTIMIZED.forward(inference.withDtype(d)).output());
                assertThat(same).as(cell.describe() + " with rate-1 masks equals inference").isEqualTo(type != CellType.SIMPLE_RNN);
            }
        }
    }
}
