package rnnkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.testing.RandomTensors;

/** The call contract: the flattening orders of states, cells and dropout masks, and what validation rejects. */
class LayerCallTest {
    private final RandomTensors random = new RandomTensors(5L);

    private List<Tensor> weights(LayerSpec layer, int inputDim) {
        List<Tensor> w = new ArrayList<>();
        for (int[] s : layer.weightShapes(inputDim)) {
            w.add(random.uniform(0.5, s));
        }
        return w;
    }

    @Test
    void statesAreFlattenedCellByCellWithLstmHThenC() {
        RnnLayerSpec layer = RnnLayerSpec.stacked(CellSpec.lstm(2), CellSpec.gru(3), CellSpec.lstm(4));
        assertThat(LayerCall.stateShapes(layer, 5)).containsExactly(
                new int[] {5, 2}, new int[] {5, 2}, new int[] {5, 3}, new int[] {5, 4}, new int[] {5, 4});
    }

    @Test
    void bidirectionalStatesAndCellsAreForwardHalfFirst() {
        BidirectionalSpec bi = new BidirectionalSpec(RnnLayerSpec.of(CellSpec.lstm(2)),
                RnnLayerSpec.of(CellSpec.gru(3)).withGoBackwards(true), MergeMode.NONE);
        assertThat(LayerCall.stateShapes(bi, 1)).containsExactly(new int[] {1, 2}, new int[] {1, 2}, new int[] {1, 3});
        assertThat(LayerCall.recurrentCells(bi)).extracting(CellSpec::type).containsExactly(CellType.LSTM, CellType.GRU);
    }

    @Test
    void bidirectionalOfFlipsGoBackwardsAndForcesZeroOutputForMaskToReturnSequences() {
        BidirectionalSpec seq = BidirectionalSpec.of(RnnLayerSpec.of(CellSpec.gru(2)).withReturnSequences(true), MergeMode.SUM);
        assertThat(seq.forward().goBackwards()).isFalse();
        assertThat(seq.backward().goBackwards()).isTrue();
        assertThat(seq.forward().zeroOutputForMask()).isTrue();
        assertThat(seq.backward().zeroOutputForMask()).isTrue();
        BidirectionalSpec last = BidirectionalSpec.of(RnnLayerSpec.of(CellSpec.gru(2)).withZeroOutputForMask(true), MergeMode.SUM);
        assertThat(last.forward().zeroOutputForMask()).isFalse();
        assertThat(last.weightNames()).containsExactly("forward/kernel", "forward/recurrent_kernel", "forward/bias",
                "backward/kernel", "backward/recurrent_kernel", "backward/bias");
    }

    @Test
    void sequentialCellsAreInLayerOrderAndInputDimsFollowTheStack() {
        SequentialSpec model = SequentialSpec.of(0, new EmbeddingSpec(10, 6, true),
                RnnLayerSpec.stacked(CellSpec.gru(3), CellSpec.simpleRnn(2)).withReturnSequences(true),
                BidirectionalSpec.of(RnnLayerSpec.of(CellSpec.lstm(4)), MergeMode.CONCAT), DenseSpec.of(1));
        assertThat(LayerCall.recurrentCells(model)).extracting(CellSpec::type)
                .containsExactly(CellType.GRU, CellType.SIMPLE_RNN, CellType.LSTM, CellType.LSTM);
        assertThat(model.layerInputDim(1)).isEqualTo(6);
        assertThat(model.layerInputDim(2)).isEqualTo(2);
        assertThat(model.layerInputDim(3)).isEqualTo(8);
        assertThat(model.outputDim(0)).isEqualTo(1);
    }

    @Test
    void withMethodsChangeOnlyTheirField() {
        RnnLayerSpec layer = RnnLayerSpec.of(CellSpec.simpleRnn(2));
        LayerCall call = LayerCall.of(layer, weights(layer, 3), random.uniform(1, 2, 4, 3));
        SequenceMask m = SequenceMask.allTrue(2, 4);
        List<Tensor> h0 = List.of(random.uniform(1, 2, 2));
        LayerCall changed = call.withMask(m).withInitialStates(h0).withDtype(DType.FLOAT32);
        assertThat(changed.mask()).isEqualTo(m);
        assertThat(changed.initialStates()).isEqualTo(h0);
        assertThat(changed.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(changed.weights()).isEqualTo(call.weights());
        assertThat(changed.inputs()).isSameAs(call.inputs());
        assertThat(changed.training()).isFalse();
        assertThat(call.dtype()).as("default precision").isEqualTo(DType.FLOAT64);
    }

    @Test
    void dropoutMasksNeedTrainingAndTrainingWithDropoutNeedsMasks() {
        CellSpec cell = CellSpec.lstm(2).withDropout(0.5, 0);
        RnnLayerSpec layer = RnnLayerSpec.of(cell);
        List<CellDropoutMasks> masks = List.of(new CellDropoutMasks(List.of(RandomTensors.filled(2, 1, 3)), List.of()));
        Tensor x = random.uniform(1, 1, 2, 3);
        assertThat(LayerCall.of(layer, weights(layer, 3), x).withDropout(masks).training()).isTrue();
        assertThatThrownBy(() -> new LayerCall(layer, weights(layer, 3), x, null, List.of(), masks, false, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inference call");
        assertThatThrownBy(() -> new LayerCall(layer, weights(layer, 3), x, null, List.of(), List.of(), true, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs explicit input dropout masks");
    }

    @Test
    void perGateDropoutMaskLookupFallsBackToTheSharedMask() {
        Tensor a = RandomTensors.filled(1, 1, 2);
        Tensor b = RandomTensors.filled(2, 1, 2);
        CellDropoutMasks shared = new CellDropoutMasks(List.of(a), List.of());
        CellDropoutMasks perGate = new CellDropoutMasks(List.of(a, b, a), List.of(b, a, b));
        assertThat(shared.inputMask(2)).isSameAs(a);
        assertThat(shared.recurrentMask(0)).isNull();
        assertThat(perGate.inputMask(1)).isSameAs(b);
        assertThat(perGate.recurrentMask(1)).isSameAs(a);
        assertThat(CellSpec.lstm(3).withDropout(0.1, 0.2).dropoutMaskCount()).as("Keras implementation=1").isEqualTo(4);
        assertThat(CellSpec.gru(3).withDropout(0.1, 0).dropoutMaskCount()).isEqualTo(1);
        assertThat(CellSpec.simpleRnn(3).withDropout(0.1, 0.2).dropoutMaskCount()).isEqualTo(1);
    }
}
