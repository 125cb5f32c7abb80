package rnnkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pieces of {@link ModelSummary} that the golden summaries (KerasSummaryTest) exercise only partly: rich's
 * column widths at any line length, word wrap and ellipsis, Python's half-to-even rounding of sizes, Keras's default
 * layer names. Expected values were printed by Keras 3.15.1 / rich (see each test).
 */
class ModelSummaryTest {

    /** Keras asks for [int(.45L), int(.8L) - int(.45L), L - int(.8L)] + 2 padding; rich takes 10 back (ratio_reduce). */
    @Test
    void columnWidthsAreRichs() {
        assertThat(ModelSummary.columnWidths(76)).containsExactly(33, 24, 15); // Keras in an 80-column terminal
        assertThat(ModelSummary.columnWidths(88)).containsExactly(38, 29, 17);
        assertThat(ModelSummary.columnWidths(40)).containsExactly(17, 12, 7); // rich1.py: ┏━17━┳━12━┳━7━┓
        for (int length = 20; length <= 200; length++) {
            int[] w = ModelSummary.columnWidths(length);
            assertThat(w[0] + w[1] + w[2] + 4).as("table width at %d", length).isEqualTo(length);
        }
    }

    /** rich at width 15/10/5: "bidirectional_12 (Bidirectional)" -> "bidirectional_…" / "(Bidirectional)". */
    @Test
    void cellsWrapAtSpacesAndCutLongWordsWithAnEllipsis() {
        assertThat(ModelSummary.wrap("bidirectional_12 (Bidirectional)", 15))
                .containsExactly("bidirectional_…", "(Bidirectional)");
        assertThat(ModelSummary.wrap("(None, 100, 256)", 10)).containsExactly("(None,", "100, 256)");
        assertThat(ModelSummary.wrap("1,234,567", 5)).containsExactly("1,23…");
        assertThat(ModelSummary.wrap("Param #", 3)).containsExactly("Pa…", "#");
        assertThat(ModelSummary.wrap("lstm (LSTM)", 36)).containsExactly("lstm (LSTM)");
    }

    /** Python: "{:.2f}".format(1.125) == "1.12" (exact tie, to even), "{:.2f}".format(63.7109375) == "63.71". */
    @Test
    void sizesRoundLikePython() {
        assertThat(ModelSummary.readableSize(1152)).isEqualTo("1.12 KB");
        assertThat(ModelSummary.readableSize(1160)).isEqualTo("1.13 KB");
        assertThat(ModelSummary.readableSize(65240)).isEqualTo("63.71 KB");
        assertThat(ModelSummary.readableSize(0)).isEqualTo("0.00 B");
        assertThat(ModelSummary.readableSize(1023)).isEqualTo("1023.00 B");
        assertThat(ModelSummary.readableSize(1447464)).isEqualTo("1.38 MB");
    }

    /** Keras names layers by class in a fresh session; a Bidirectional's inner layer takes a name first. */
    @Test
    void defaultNamesAreKerassAutoNames() {
        List<LayerSpec> layers = List.of(
                BidirectionalSpec.of(RnnLayerSpec.of(CellSpec.lstm(4)).withReturnSequences(true), MergeMode.CONCAT),
                RnnLayerSpec.of(CellSpec.lstm(3)).withReturnSequences(true), RnnLayerSpec.of(CellSpec.simpleRnn(2)),
                DenseSpec.of(3), new ActivationLayerSpec(Activation.SOFTMAX), DenseSpec.of(2));
        assertThat(SequentialSpec.kerasDefaultNames(layers))
                .containsExactly("bidirectional", "lstm_1", "simple_rnn", "dense", "activation", "dense_1");
    }

    @Test
    void tooShortALineIsRefused() {
        SequentialSpec m = SequentialSpec.of(3, DenseSpec.of(2));
        assertThatThrownBy(() -> m.summary(DType.FLOAT32, 12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line length is 12");
    }
}
