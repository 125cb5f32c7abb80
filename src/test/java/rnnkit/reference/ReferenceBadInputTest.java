package rnnkit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
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
import rnnkit.model.Tensor;
import rnnkit.testing.RandomTensors;

/**
 * Bad input reaches the reference only as an {@link IllegalArgumentException} whose message names the offending
 * thing and what was expected (whether the model's validation or the reference itself rejects it: each case builds
 * the call and runs the reference inside the asserted block).
 */
class ReferenceBadInputTest {
    private static final RnnImplementation REFERENCE = new ReferenceRnn();
    private final RandomTensors random = new RandomTensors(99L);
    private final RnnLayerSpec lstm4 = RnnLayerSpec.of(CellSpec.lstm(4));

    private List<Tensor> weights(LayerSpec layer, int inputDim) {
        List<Tensor> w = new ArrayList<>();
        for (int[] s : layer.weightShapes(inputDim)) {
            w.add(random.uniform(0.5, s));
        }
        return w;
    }

    private Tensor x(int batch, int time, int features) {
        return random.uniform(1, batch, time, features);
    }

    @Test
    void wrongKernelShapeNamesTheWeightAndTheExpectedShape() {
        List<Tensor> w = weights(lstm4, 5);
        w.set(0, Tensor.zeros(5, 12));
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(lstm4, w, x(2, 3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LSTM(units=4) kernel has shape [5, 12]").hasMessageContaining("needs [5, 16]");
    }

    @Test
    void wrongRecurrentKernelAndBiasShapesAreNamed() {
        List<Tensor> w = weights(lstm4, 5);
        w.set(1, Tensor.zeros(16, 4));
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(lstm4, w, x(2, 3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recurrent_kernel has shape [16, 4]").hasMessageContaining("[4, 16]");
        RnnLayerSpec gru = RnnLayerSpec.of(CellSpec.gru(4));
        List<Tensor> g = weights(gru, 5);
        g.set(2, Tensor.zeros(12)); // a reset_after=False bias given to a reset_after=True GRU
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(gru, g, x(2, 3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GRU(units=4) bias has shape [12]").hasMessageContaining("[2, 12]");
    }

    @Test
    void inputsWithOtherFeaturesThanTheKernelAreRejectedNamingInputDim() {
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(lstm4, weights(lstm4, 5), x(2, 3, 6))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel has shape [5, 16]").hasMessageContaining("input_dim 6");
    }

    @Test
    void wrongWeightCountIsRejectedListingTheExpectedWeights() {
        List<Tensor> w = weights(lstm4, 5).subList(0, 2);
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(lstm4, w, x(2, 3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 2 weight arrays; expected 3 [kernel, recurrent_kernel, bias]");
    }

    @Test
    void maskOfWrongLengthOrBatchIsRejectedWithBothShapes() {
        LayerCall call = LayerCall.of(lstm4, weights(lstm4, 5), x(2, 4, 5));
        assertThatThrownBy(() -> REFERENCE.forward(call.withMask(SequenceMask.allTrue(2, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mask has shape [2, 3]; expected (batch, time) = [2, 4]");
        assertThatThrownBy(() -> REFERENCE.forward(call.withMask(SequenceMask.allTrue(3, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mask has shape [3, 4]; expected (batch, time) = [2, 4]");
    }

    @Test
    void zeroOrNegativeUnitsAreRejected() {
        assertThatThrownBy(() -> CellSpec.lstm(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LSTM units is 0; expected a positive integer");
        assertThatThrownBy(() -> CellSpec.gru(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GRU units is -3");
        assertThatThrownBy(() -> DenseSpec.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Dense units is 0");
        assertThatThrownBy(() -> new EmbeddingSpec(10, -1, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Embedding output_dim is -1");
    }

    @Test
    void nonFiniteWeightsAreRejectedNamingTheWeightAndIndex() {
        List<Tensor> w = weights(lstm4, 5);
        w.get(1).data()[7] = Double.NaN;
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(lstm4, w, x(2, 3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recurrent_kernel has a non-finite value (NaN) at flat index 7");
        List<Tensor> v = weights(lstm4, 5);
        v.get(2).data()[0] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(lstm4, v, x(2, 3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bias has a non-finite value (Infinity) at flat index 0");
    }

    @Test
    void nanInInputsIsRejectedWithItsIndex() {
        Tensor inputs = x(2, 3, 5);
        inputs.data()[11] = Double.NaN;
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(lstm4, weights(lstm4, 5), inputs)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs have a non-finite value (NaN) at flat index 11");
    }

    @Test
    void inputsOfWrongRankOrNoStepsAreRejected() {
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(lstm4, weights(lstm4, 5), random.uniform(1, 2, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs have shape [2, 5]; expected (batch, time, features)");
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(lstm4, weights(lstm4, 5), Tensor.zeros(2, 0, 5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence has 0 time steps");
    }

    @Test
    void wrongInitialStateCountOrShapeIsRejected() {
        LayerCall call = LayerCall.of(lstm4, weights(lstm4, 5), x(2, 3, 5));
        assertThatThrownBy(() -> REFERENCE.forward(call.withInitialStates(List.of(Tensor.zeros(2, 4)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1 initial states; expected 2");
        assertThatThrownBy(() -> REFERENCE.forward(call.withInitialStates(List.of(Tensor.zeros(2, 4), Tensor.zeros(2, 3)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial state 1 has shape [2, 3]; expected [2, 4]");
        Tensor bad = Tensor.zeros(2, 4);
        bad.data()[3] = Double.NaN;
        assertThatThrownBy(() -> REFERENCE.forward(call.withInitialStates(List.of(Tensor.zeros(2, 4), bad))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial state 1 has a non-finite value at flat index 3");
    }

    @Test
    void dropoutMasksOfWrongShapeOrCountAreRejected() {
        RnnLayerSpec layer = RnnLayerSpec.of(CellSpec.lstm(4).withDropout(0.5, 0.5));
        LayerCall call = LayerCall.of(layer, weights(layer, 5), x(2, 3, 5));
        Tensor in = RandomTensors.filled(2, 2, 5);
        Tensor rec = RandomTensors.filled(2, 2, 4);
        assertThatThrownBy(() -> REFERENCE.forward(call.withDropout(List.of(
                new CellDropoutMasks(List.of(RandomTensors.filled(2, 2, 4)), List.of(rec))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input dropout mask 0 has shape [2, 4]; expected [2, 5]");
        assertThatThrownBy(() -> REFERENCE.forward(call.withDropout(List.of(
                new CellDropoutMasks(List.of(in, in), List.of(rec))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 masks; expected 1 (shared) or 4 (one per gate)");
        assertThatThrownBy(() -> REFERENCE.forward(call.withDropout(List.of(
                new CellDropoutMasks(List.of(in), List.of(rec)), new CellDropoutMasks(List.of(in), List.of(rec))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got dropout masks for 2 cells; expected 1");
    }

    @Test
    void trainingWithDropoutButWithoutMasksIsRejected() {
        RnnLayerSpec layer = RnnLayerSpec.of(CellSpec.gru(4).withDropout(0, 0.25));
        assertThatThrownBy(() -> REFERENCE.forward(new LayerCall(layer, weights(layer, 5), x(2, 3, 5), null, List.of(),
                List.of(), true, DType.FLOAT64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training with recurrent_dropout 0.25 needs explicit recurrent dropout masks");
        RnnLayerSpec noRate = RnnLayerSpec.of(CellSpec.gru(4));
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(noRate, weights(noRate, 5), x(2, 3, 5)).withDropout(List.of(
                new CellDropoutMasks(List.of(RandomTensors.filled(1, 2, 5)), List.of())))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("masks given but the cell's rate is 0");
    }

    @Test
    void tokenIdsOutOfRangeOrNotIntegerAreRejected() {
        SequentialSpec model = SequentialSpec.of(0, new EmbeddingSpec(6, 3, true), RnnLayerSpec.of(CellSpec.gru(2)));
        Tensor ids = Tensor.of(new double[] {1, 2, 6, 0}, 2, 2);
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(model, weights(model, 0), ids)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 6.0 at flat index 2 is not an integer in [0, 6)");
        Tensor fractional = Tensor.of(new double[] {1, 2.5, 3, 0}, 2, 2);
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(model, weights(model, 0), fractional)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id 2.5 at flat index 1");
        Tensor negative = Tensor.of(new double[] {-1, 2, 3, 0}, 2, 2);
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(model, weights(model, 0), negative)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id -1.0");
    }

    @Test
    void unknownActivationNameIsRejectedListingTheKnownOnes() {
        assertThatThrownBy(() -> Activation.fromKeras("swishy")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown activation 'swishy'").hasMessageContaining("hard_sigmoid");
        assertThatThrownBy(() -> CellType.fromKeras("ConvLSTM2D")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown recurrent layer 'ConvLSTM2D'");
        assertThatThrownBy(() -> MergeMode.fromKeras("max")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown merge_mode 'max'");
    }

    @Test
    void inconsistentBidirectionalHalvesAreRejected() {
        RnnLayerSpec fwd = RnnLayerSpec.of(CellSpec.lstm(3));
        assertThatThrownBy(() -> new BidirectionalSpec(fwd, fwd, MergeMode.CONCAT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ in go_backwards");
        assertThatThrownBy(() -> new BidirectionalSpec(fwd, fwd.withGoBackwards(true).withReturnSequences(true), MergeMode.SUM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must agree on return_sequences");
        assertThatThrownBy(() -> new BidirectionalSpec(fwd, fwd.withGoBackwards(true).withStateful(true), MergeMode.SUM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must agree on stateful");
    }

    @Test
    void bidirectionalHalvesOfDifferentWidthCannotBeMergedElementWise() {
        // Keras: merging (batch, 3) and (batch, 2) by sum/mul/ave is a shape error; concat is fine.
        assertThatThrownBy(() -> new BidirectionalSpec(RnnLayerSpec.of(CellSpec.lstm(3)),
                RnnLayerSpec.of(CellSpec.gru(2)).withGoBackwards(true), MergeMode.SUM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3").hasMessageContaining("2")
                .hasMessageContaining("sum");
        BidirectionalSpec concat = new BidirectionalSpec(RnnLayerSpec.of(CellSpec.lstm(3)),
                RnnLayerSpec.of(CellSpec.gru(2)).withGoBackwards(true), MergeMode.CONCAT);
        assertThat(REFERENCE.forward(LayerCall.of(concat, weights(concat, 4), x(2, 3, 4))).output().shape())
                .containsExactly(2, 5);
    }

    @Test
    void sequentialModelsThatKerasCannotBuildAreRejected() {
        assertThatThrownBy(() -> SequentialSpec.of(4, RnnLayerSpec.of(CellSpec.lstm(3)), RnnLayerSpec.of(CellSpec.gru(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 (GRU(units=2)) needs a sequence")
                .hasMessageContaining("set return_sequences=True on layer 0");
        assertThatThrownBy(() -> SequentialSpec.of(4, DenseSpec.of(3), new EmbeddingSpec(5, 2, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an Embedding must be the first layer");
        assertThatThrownBy(() -> SequentialSpec.of(4, RnnLayerSpec.of(CellSpec.lstm(3)).withReturnState(true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("return_state is not supported");
        assertThatThrownBy(() -> SequentialSpec.of(4, BidirectionalSpec.of(RnnLayerSpec.of(CellSpec.lstm(3)), MergeMode.NONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("merge_mode=None");
        assertThatThrownBy(() -> SequentialSpec.of(0, RnnLayerSpec.of(CellSpec.lstm(3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Sequential input_dim is 0");
    }

    @Test
    void sequentialInputsWithOtherFeaturesThanTheModelAreRejected() {
        SequentialSpec model = SequentialSpec.of(4, RnnLayerSpec.of(CellSpec.lstm(3)), DenseSpec.of(1));
        assertThatThrownBy(() -> REFERENCE.forward(LayerCall.of(model, weights(model, 4), x(2, 3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs have 5 features; the model expects 4");
    }

    @Test
    void outputCotangentOfTheWrongShapeIsRejectedWithBothShapes() {
        LayerCall call = LayerCall.of(lstm4.withReturnSequences(true), weights(lstm4, 5), x(2, 3, 5));
        assertThatThrownBy(() -> REFERENCE.backward(call, LayerOutputs.of(Tensor.zeros(2, 4), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 4]").hasMessageContaining("[2, 3, 4]");
    }

    @Test
    void stateCotangentsOfTheWrongCountAreRejected() {
        LayerCall call = LayerCall.of(lstm4.withReturnSequences(true), weights(lstm4, 5), x(2, 3, 5));
        assertThatThrownBy(() -> REFERENCE.backward(call, LayerOutputs.of(Tensor.zeros(2, 3, 4), List.of(Tensor.zeros(2, 4)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1").hasMessageContaining("2");
    }

    @Test
    void outputCotangentsOfTheWrongCountAreRejected() {
        BidirectionalSpec bi = BidirectionalSpec.of(lstm4, MergeMode.NONE);
        LayerCall call = LayerCall.of(bi, weights(bi, 5), x(2, 3, 5));
        assertThatThrownBy(() -> REFERENCE.backward(call, LayerOutputs.of(Tensor.zeros(2, 4), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1").hasMessageContaining("2");
    }
}
