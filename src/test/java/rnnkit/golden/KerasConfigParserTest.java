package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import rnnkit.model.Activation;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;

/** Keras get_config() JSON (trimmed copies of what Keras 3.15.1 writes) to rnnkit specs, and the rejections. */
class KerasConfigParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String F64 = "\"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\", "
            + "\"config\": {\"name\": \"float64\"}}";

    private static LayerSpec parse(String json) throws Exception {
        JsonNode n = JSON.readTree(json.replace('\'', '"'));
        return KerasConfigParser.parse(n);
    }

    @Test
    void lstmConfigBecomesAnRnnLayerSpecWithEveryOption() throws Exception {
        LayerSpec s = parse("{'class_name': 'LSTM', 'config': {'name': 'lstm', " + F64 + ", 'return_sequences': true,"
                + " 'return_state': false, 'go_backwards': true, 'stateful': false, 'unroll': false,"
                + " 'zero_output_for_mask': true, 'units': 7, 'activation': 'relu', 'recurrent_activation': 'hard_sigmoid',"
                + " 'use_bias': false, 'unit_forget_bias': false, 'dropout': 0.25, 'recurrent_dropout': 0.5, 'seed': null}}");
        RnnLayerSpec r = (RnnLayerSpec) s;
        assertThat(r.returnSequences()).isTrue();
        assertThat(r.returnState()).isFalse();
        assertThat(r.goBackwards()).isTrue();
        assertThat(r.zeroOutputForMask()).isTrue();
        assertThat(r.cell()).isEqualTo(new CellSpec(CellType.LSTM, 7, Activation.RELU, Activation.HARD_SIGMOID, false,
                false, false, 0.25, 0.5));
    }

    @Test
    void gruResetAfterDefaultsToTrueAndNullActivationIsLinear() throws Exception {
        RnnLayerSpec a = (RnnLayerSpec) parse("{'class_name': 'GRU', 'config': {'units': 2, 'activation': null}}");
        assertThat(a.cell().resetAfter()).isTrue();
        assertThat(a.cell().activation()).isEqualTo(Activation.LINEAR);
        RnnLayerSpec b = (RnnLayerSpec) parse("{'class_name': 'GRU', 'config': {'units': 2, 'reset_after': false}}");
        assertThat(b.cell().resetAfter()).isFalse();
    }

    @Test
    void rnnWithStackedCellsKeepsCellOrder() throws Exception {
        RnnLayerSpec r = (RnnLayerSpec) parse("{'class_name': 'RNN', 'config': {'return_state': true, 'cell': "
                + "{'class_name': 'StackedRNNCells', 'config': {'cells': ["
                + "{'class_name': 'SimpleRNNCell', 'config': {'units': 3, 'activation': 'tanh'}},"
                + "{'class_name': 'GRUCell', 'config': {'units': 2, 'reset_after': false}},"
                + "{'class_name': 'LSTMCell', 'config': {'units': 4}}]}}}}");
        assertThat(r.cells()).extracting(CellSpec::type)
                .containsExactly(CellType.SIMPLE_RNN, CellType.GRU, CellType.LSTM);
        assertThat(r.cells()).extracting(CellSpec::units).containsExactly(3, 2, 4);
        assertThat(r.returnState()).isTrue();
        RnnLayerSpec single = (RnnLayerSpec) parse("{'class_name': 'RNN', 'config': {'cell': "
                + "{'class_name': 'LSTMCell', 'config': {'units': 5}}}}");
        assertThat(single.cells()).hasSize(1);
    }

    @Test
    void bidirectionalNullMergeModeIsNoneAndBackwardHalfIsFlipped() throws Exception {
        BidirectionalSpec b = (BidirectionalSpec) parse("{'class_name': 'Bidirectional', 'config': {'merge_mode': null,"
                + " 'layer': {'class_name': 'SimpleRNN', 'config': {'units': 2, 'return_sequences': true}}}}");
        assertThat(b.mergeMode()).isEqualTo(MergeMode.NONE);
        assertThat(b.forward().goBackwards()).isFalse();
        assertThat(b.backward().goBackwards()).isTrue();
        assertThat(b.forward().zeroOutputForMask()).isTrue();
        BidirectionalSpec s = (BidirectionalSpec) parse("{'class_name': 'Bidirectional', 'config': {'merge_mode': 'ave',"
                + " 'layer': {'class_name': 'GRU', 'config': {'units': 2}}}}");
        assertThat(s.mergeMode()).isEqualTo(MergeMode.AVE);
    }

    @Test
    void tutorialSequentialBecomesEmbeddingLstmDense() throws Exception {
        SequentialSpec s = (SequentialSpec) parse("{'class_name': 'Sequential', 'config': {'layers': ["
                + "{'class_name': 'InputLayer', 'config': {'batch_shape': [null, 6], 'dtype': 'int32'}},"
                + "{'class_name': 'Embedding', 'config': {'input_dim': 1000, 'output_dim': 64, 'mask_zero': true}},"
                + "{'class_name': 'LSTM', 'config': {'units': 128}},"
                + "{'class_name': 'Dense', 'config': {'units': 10, 'activation': 'sigmoid', 'use_bias': true}}]}}");
        assertThat(s.layers().get(0)).isEqualTo(new EmbeddingSpec(1000, 64, true));
        assertThat(s.layers().get(2)).isEqualTo(new DenseSpec(10, Activation.SIGMOID, true));
        // Parameter count of the Keras text-classification tutorial model (from the Keras docs).
        assertThat(s.parameterCount()).isEqualTo(164_106L);
        SequentialSpec f = (SequentialSpec) parse("{'class_name': 'Sequential', 'config': {'layers': ["
                + "{'class_name': 'InputLayer', 'config': {'batch_shape': [null, 8, 1]}},"
                + "{'class_name': 'LSTM', 'config': {'units': 10}}]}}");
        assertThat(f.inputDim()).isEqualTo(1);
        assertThat(f.parameterCount()).isEqualTo(480L);
    }

    @Test
    void unsupportedThingsAreRejectedByName() {
        assertThatThrownBy(() -> parse("{'class_name': 'ConvLSTM2D', 'config': {}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported Keras layer 'ConvLSTM2D'");
        assertThatThrownBy(() -> parse("{'class_name': 'LSTM', 'config': {'units': 3, 'dtype': {'class_name': "
                + "'DTypePolicy', 'config': {'name': 'mixed_float16'}}}}"))
                .hasMessageContaining("dtype policy 'mixed_float16' is not supported");
        assertThatThrownBy(() -> parse("{'class_name': 'GRU', 'config': {'units': 3, 'activation': "
                + "{'class_name': 'MyAct', 'config': {}}}}"))
                .hasMessageContaining("GRU activation").hasMessageContaining("only activations given by their Keras name");
        assertThatThrownBy(() -> parse("{'class_name': 'SimpleRNN', 'config': {'units': 3, 'activation': 'swishy'}}"))
                .hasMessageContaining("unknown activation 'swishy'");
        assertThatThrownBy(() -> parse("{'class_name': 'LSTM', 'config': {'units': 0}}"))
                .hasMessageContaining("units is 0; expected a positive integer");
        assertThatThrownBy(() -> parse("{'class_name': 'Embedding', 'config': {'input_dim': 5, 'output_dim': 2, "
                + "'sparse': true}}")).hasMessageContaining("sparse=True is not supported");
        assertThatThrownBy(() -> parse("{'class_name': 'RNN', 'config': {'cell': {'class_name': 'ConvLSTMCell', "
                + "'config': {}}}}")).hasMessageContaining("ConvLSTMCell");
        assertThatThrownBy(() -> parse("{'class_name': 'Sequential', 'config': {'layers': ["
                + "{'class_name': 'InputLayer', 'config': {'batch_shape': [null, 4, 2]}},"
                + "{'class_name': 'Conv1D', 'config': {}}]}}"))
                .hasMessageContaining("Sequential layer 1").hasMessageContaining("Conv1D");
        // softmax acts on the whole last axis: a Dense or Activation layer takes it, a recurrent cell does not.
        assertThatThrownBy(() -> parse("{'class_name': 'SimpleRNN', 'config': {'units': 2, 'activation': 'softmax'}}"))
                .hasMessageContaining("softmax acts on a whole vector");
        assertThatThrownBy(() -> parse("{'class_name': 'Dense', 'config': {'units': 2, 'activation': 'softmaxx'}}"))
                .hasMessageContaining("Dense activation").hasMessageContaining("unknown activation 'softmaxx'");
        assertThatThrownBy(() -> parse("{'class_name': 'Dense', 'config': {'units': 2, 'lora_rank': 4}}"))
                .hasMessageContaining("lora_rank=4 is not supported");
    }
}
