package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.DropoutSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerSpec;
import rnnkit.model.MaskingSpec;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * Keras configs of the model layers (trimmed copies of what Keras 3.15.1 writes) to specs, the rejections, and the
 * checks a call of them gets: Activation, Dropout (noise_shape), Masking, Dense with the vector activations, names
 * and input length of a Sequential, and {@code RNN(LSTMCell(10))} being exactly {@code LSTM(10)}.
 */
class ModelLayerConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LayerSpec parse(String json) throws Exception {
        return KerasConfigParser.parse(JSON.readTree(json.replace('\'', '"')));
    }

    @Test
    void activationDropoutAndMaskingConfigsBecomeTheirSpecs() throws Exception {
        assertThat(parse("{'class_name': 'Activation', 'config': {'name': 'activation', 'activation': 'softmax'}}"))
                .isEqualTo(new ActivationLayerSpec(Activation.SOFTMAX));
        assertThat(parse("{'class_name': 'Dropout', 'config': {'rate': 0.2, 'seed': null, 'noise_shape': null}}"))
                .isEqualTo(DropoutSpec.of(0.2));
        assertThat(parse("{'class_name': 'Dropout', 'config': {'rate': 0.5, 'noise_shape': [null, 1, 4]}}"))
                .isEqualTo(new DropoutSpec(0.5, List.of(0, 1, 4)));
        assertThat(parse("{'class_name': 'Masking', 'config': {'mask_value': -1.0}}")).isEqualTo(new MaskingSpec(-1.0));
        assertThat(parse("{'class_name': 'Dense', 'config': {'units': 6, 'activation': 'glu', 'use_bias': true}}"))
                .isEqualTo(new DenseSpec(6, Activation.GLU, true));
    }

    @Test
    void badModelLayerConfigsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> parse("{'class_name': 'Dropout', 'config': {'rate': 1.5}}"))
                .hasMessageContaining("Dropout rate is 1.5");
        assertThatThrownBy(() -> parse("{'class_name': 'Dropout', 'config': {'rate': 0.1, 'noise_shape': [null, -2]}}"))
                .hasMessageContaining("noise_shape");
        assertThatThrownBy(() -> parse("{'class_name': 'Masking', 'config': {'mask_value': 'zero'}}"))
                .hasMessageContaining("mask_value");
        assertThatThrownBy(() -> parse("{'class_name': 'Activation', 'config': {'activation': 'threshold'}}"))
                .hasMessageContaining("threshold").hasMessageContaining("default_value");
        assertThatThrownBy(() -> parse("{'class_name': 'Dense', 'config': {'units': 5, 'activation': 'glu'}}"))
                .hasMessageContaining("even");
        assertThatThrownBy(() -> parse("{'class_name': 'LSTM', 'config': {'units': 5, 'activation': 'softmax'}}"))
                .hasMessageContaining("softmax").hasMessageContaining("element-wise");
    }

    @Test
    void sequentialKeepsKerasNamesAndTheInputLength() throws Exception {
        SequentialSpec s = (SequentialSpec) parse("{'class_name': 'Sequential', 'config': {'name': 'sequential_3', 'layers': ["
                + "{'class_name': 'InputLayer', 'config': {'batch_shape': [null, 49, 1]}},"
                + "{'class_name': 'Masking', 'config': {'name': 'masking', 'mask_value': 0.0}},"
                + "{'class_name': 'SimpleRNN', 'config': {'name': 'simple_rnn_7', 'units': 50}},"
                + "{'class_name': 'Dense', 'config': {'name': 'dense', 'units': 46}},"
                + "{'class_name': 'Activation', 'config': {'name': 'activation', 'activation': 'softmax'}}]}}");
        assertThat(s.name()).isEqualTo("sequential_3");
        assertThat(s.names()).containsExactly("masking", "simple_rnn_7", "dense", "activation");
        assertThat(s.inputTime()).isEqualTo(49);
        assertThat(s.inputDim()).isEqualTo(1);
        assertThat(s.outputDim(1)).isEqualTo(46);
        assertThat(s.summary()).contains("simple_rnn_7 (SimpleRNN)").contains("(None, 49, 1)").contains("2,600");
    }

    /** A Masking layer needs a sequence: after a layer returning its last output the model is refused. */
    @Test
    void maskingAfterALastOutputIsRefused() {
        assertThatThrownBy(() -> SequentialSpec.of(3, RnnLayerSpec.of(CellSpec.lstm(2)), new MaskingSpec(0)))
                .hasMessageContaining("needs a sequence");
    }

    /** A Dropout layer in training needs its mask, of the noise shape on the layer's input. */
    @Test
    void trainingCallsNeedOneMaskPerDropoutLayerOfTheRightShape() {
        SequentialSpec m = SequentialSpec.of(2, RnnLayerSpec.of(CellSpec.simpleRnn(3)).withReturnSequences(true),
                new DropoutSpec(0.5, List.of(0, 1, 0)), DenseSpec.of(2));
        List<Tensor> w = List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 3), Tensor.zeros(3), Tensor.zeros(3, 2),
                Tensor.zeros(2));
        LayerCall inference = new LayerCall(m, w, Tensor.zeros(4, 5, 2), null, List.of(), List.of(), false, DType.FLOAT64);
        assertThat(inference.dropoutLayerMasks()).isEmpty();
        assertThatThrownBy(() -> inference.withDropoutLayerMasks(List.of()))
                .hasMessageContaining("needs one explicit mask each");
        assertThatThrownBy(() -> inference.withDropoutLayerMasks(List.of(Tensor.zeros(4, 5, 3))))
                .hasMessageContaining("has shape [4, 5, 3]; expected [4, 1, 3]");
        assertThat(inference.withDropoutLayerMasks(List.of(Tensor.zeros(4, 1, 3))).dropoutLayerMasks()).hasSize(1);
        assertThatThrownBy(() -> new LayerCall(m, w, Tensor.zeros(4, 5, 2), null, List.of(), List.of(),
                List.of(Tensor.zeros(4, 1, 3)), false, DType.FLOAT64))
                .hasMessageContaining("inference call");
    }

    /** The corpus's RNN(LSTMCell(10)) model parses to the same layer as its LSTM(10) model. */
    @Test
    void rnnOfAnLstmCellIsTheLstmLayer() {
        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        SequentialSpec cell = (SequentialSpec) corpus.load("tutorial_models/rnn_lstm_cell10_one_feature_dense__float64").layer();
        SequentialSpec lstm = (SequentialSpec) corpus.load("tutorial/lstm10_one_feature_dense__float64").layer();
        assertThat(cell.layerClass(0)).isEqualTo("RNN");
        assertThat(lstm.layerClass(0)).isEqualTo("LSTM");
        RnnLayerSpec a = (RnnLayerSpec) cell.layers().get(0);
        RnnLayerSpec b = (RnnLayerSpec) lstm.layers().get(0);
        assertThat(a.cells()).isEqualTo(b.cells());
        assertThat(a.parameterCount(1)).isEqualTo(480);
        assertThat(a.withReturnSequences(b.returnSequences())).isEqualTo(b);
    }
}
