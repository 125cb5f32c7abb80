package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;
import rnnkit.testing.CaseRecipe;
import rnnkit.testing.DropoutPattern;
import rnnkit.testing.LayerKind;
import rnnkit.testing.MaskPattern;

/**
 * The tags a case without Keras's tags gets from its calls ({@link CaseTags#derive}), option by option, in the
 * golden corpus's vocabulary (golden/FORMAT.md): an expected-failure line by tags and the coverage matrix must treat
 * a random case like the golden case that has the same options.
 */
class DerivedTagsTest {

    private static final LayerOutputs ANY = LayerOutputs.of(Tensor.zeros(1), List.of());

    private static ConformanceCase.Step step(LayerCall call) {
        return new ConformanceCase.Step(call, ANY, false, null, null);
    }

    private static CaseTags tags(CaseRecipe.Builder recipe) {
        return CaseTags.derive(List.of(step(recipe.recipe().build().call())));
    }

    private static CaseRecipe.Builder lstm() {
        return CaseRecipe.builder(CellType.LSTM, 11).sizes(2, 3, 2, 2);
    }

    @Test
    void aPlainLayerIsTaggedWithItsCellItsOutputAndItsDtypeOnly() {
        CaseTags t = tags(lstm());
        assertThat(t.cells()).containsExactly("LSTM");
        assertThat(t.options()).containsExactly("last_output");
        assertThat(t.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(t.all()).containsExactly("LSTM", "last_output", "float64");
        assertThat(CaseTags.NONE.all()).isEmpty();
    }

    @Test
    void eachCellKindHasItsKerasTag() {
        assertThat(tags(CaseRecipe.builder(CellType.SIMPLE_RNN, 1).sizes(2, 3, 2, 2)).cells())
                .containsExactly("SimpleRNN");
        assertThat(tags(CaseRecipe.builder(CellType.GRU, 1).sizes(2, 3, 2, 2).resetAfter(true)).cells())
                .containsExactly("GRU");
        assertThat(tags(CaseRecipe.builder(CellType.GRU, 1).sizes(2, 3, 2, 2).resetAfter(false)).cells())
                .containsExactly("GRU(reset_after=False)");
        assertThat(CaseTags.cellTag(CellSpec.gru(3))).isEqualTo("GRU");
        assertThat(CaseTags.cellTag(CellSpec.lstm(3))).isEqualTo("LSTM");
    }

    @Test
    void layerOptionsAreTaggedEachOnItsOwn() {
        assertThat(tags(lstm().returnSequences(true)).options()).containsExactly("return_sequences");
        assertThat(tags(lstm().returnState(true)).options()).containsExactly("last_output", "return_state");
        assertThat(tags(lstm().goBackwards(true)).options()).containsExactly("last_output", "go_backwards");
        assertThat(tags(lstm().useBias(false)).options()).containsExactly("last_output", "use_bias=False");
        assertThat(tags(lstm().sizes(2, 3, 2, 1)).options()).containsExactly("last_output", "units=1");
        assertThat(tags(lstm().activations(Activation.RELU, Activation.SIGMOID)).options())
                .containsExactly("last_output", "activation=relu");
        assertThat(tags(lstm().activations(Activation.TANH, Activation.HARD_SIGMOID)).options())
                .containsExactly("last_output", "recurrent_activation=hard_sigmoid");
        // SimpleRNN has no recurrent activation to differ
        assertThat(tags(CaseRecipe.builder(CellType.SIMPLE_RNN, 1).sizes(2, 3, 2, 2)
                .activations(Activation.TANH, Activation.HARD_SIGMOID)).options()).containsExactly("last_output");
        RnnLayerSpec zeroOutput = new RnnLayerSpec(List.of(CellSpec.lstm(2)), true, false, false, false, true);
        LayerCall call = lstm().returnSequences(true).recipe().build().call().withLayer(zeroOutput);
        assertThat(CaseTags.derive(List.of(step(call))).options())
                .containsExactly("return_sequences", "zero_output_for_mask");
    }

    @Test
    void callOptionsAreTaggedFromEveryCall() {
        assertThat(tags(lstm().sizes(2, 1, 2, 2)).options()).containsExactly("last_output", "T=1");
        assertThat(tags(lstm().sizes(1, 3, 2, 2)).options()).containsExactly("last_output", "batch=1");
        assertThat(tags(lstm().initialStates(true)).options()).containsExactly("last_output", "initial_state");
        assertThat(tags(lstm().dropout(DropoutPattern.INPUT)).options()).containsExactly("last_output", "dropout");
        assertThat(tags(lstm().dropout(DropoutPattern.RECURRENT)).options())
                .containsExactly("last_output", "recurrent_dropout", "dropout");
        // a second call makes the case stateful; a tag of any call counts
        LayerCall plain = lstm().recipe().build().call();
        LayerCall single = lstm().sizes(1, 1, 2, 2).recipe().build().call();
        assertThat(CaseTags.derive(List.of(step(plain), step(single))).options())
                .containsExactly("last_output", "stateful", "T=1", "batch=1");
    }

    private static List<String> maskOptions(int[][] mask) {
        LayerCall call = lstm().recipe().build().call().withMask(SequenceMask.fromInts(mask));
        return CaseTags.derive(List.of(step(call))).options();
    }

    @Test
    void masksAreTaggedByTheirShape() {
        assertThat(maskOptions(new int[][] {{1, 1, 1}, {1, 1, 1}})).containsExactly("last_output");
        assertThat(maskOptions(new int[][] {{1, 1, 1}, {1, 1, 0}})).containsExactly("last_output", "post_padding");
        assertThat(maskOptions(new int[][] {{1, 0, 1}, {1, 1, 1}})).containsExactly("last_output", "mask_holes");
        assertThat(maskOptions(new int[][] {{1, 1, 1}, {0, 0, 0}}))
                .containsExactly("last_output", "post_padding", "fully_masked_row");
        assertThat(maskOptions(new int[][] {{0, 0, 0}, {0, 1, 1}}))
                .containsExactly("last_output", "mask_holes", "fully_masked_row");
        // one real step anywhere in a row is enough for it not to be fully masked
        assertThat(maskOptions(new int[][] {{0, 0, 1}, {1, 0, 0}})).containsExactly("last_output", "mask_holes");
    }

    @Test
    void wrappersAndModelsAreTaggedWithTheirLayers() {
        CaseTags stacked = tags(lstm().kind(LayerKind.STACKED_CELLS).secondCell(CellType.GRU, 2));
        assertThat(stacked.options()).containsExactly("stacked_cells", "last_output");
        assertThat(stacked.cells()).hasSize(2).startsWith("LSTM");
        // the backward half of a Bidirectional goes backwards by construction: not an option of the case
        CaseTags bidirectional = tags(lstm().kind(LayerKind.BIDIRECTIONAL).mergeMode(MergeMode.SUM));
        assertThat(bidirectional.options()).containsExactly("bidirectional", "merge_mode=sum", "last_output");
        List<String> model = new ArrayList<>(tags(lstm().kind(LayerKind.SEQUENTIAL_EMBEDDING)).options());
        assertThat(model).contains("stacked_layers", "dense").containsAnyOf("embedding", "embedding_mask_zero");
        assertThat(tags(lstm().kind(LayerKind.SEQUENTIAL_EMBEDDING).mask(MaskPattern.TRAILING_PADDING)).options())
                .contains("embedding_mask_zero").doesNotContain("embedding");
        assertThat(tags(lstm().kind(LayerKind.SEQUENTIAL_EMBEDDING).mask(MaskPattern.NONE)).options())
                .contains("embedding").doesNotContain("embedding_mask_zero");
        assertThat(tags(lstm().kind(LayerKind.SEQUENTIAL_STACK).secondCell(CellType.LSTM, 2)).options())
                .contains("stacked_layers", "return_sequences", "dense");
    }
}
