package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;

/**
 * Where a located FAIL says the worst element is, for every kind of quantity and layer, against the layouts of
 * golden/FORMAT.md worked out by hand: row-major (batch, step, feature) tensors, Keras gate blocks of width units
 * (LSTM i f c o, GRU z r h), a reset_after GRU's two bias rows, Bidirectional halves and concatenated columns,
 * stacked cells, Sequential layers.
 */
class ElementLocationTest {
    static final QuantityCheck.Kind OUT = QuantityCheck.Kind.OUTPUT;
    static final QuantityCheck.Kind STATE = QuantityCheck.Kind.STATE;
    static final QuantityCheck.Kind DX = QuantityCheck.Kind.GRAD_INPUTS;
    static final QuantityCheck.Kind DW = QuantityCheck.Kind.GRAD_WEIGHTS;

    static String at(LayerSpec layer, QuantityCheck.Kind kind, int index, int[] shape, int flat) {
        return ElementLocation.describe(layer, kind, index, shape, flat);
    }

    static int[] shape(int... s) {
        return s;
    }

    static final RnnLayerSpec LSTM2 = RnnLayerSpec.of(CellSpec.lstm(2));

    @Test
    void sequencesAndLastOutputsAreRowMajorBatchStepUnit() {
        // (2, 3, 2): flat 11 = (1 * 3 + 2) * 2 + 1
        assertThat(at(LSTM2.withReturnSequences(true), OUT, 0, shape(2, 3, 2), 11)).isEqualTo("batch 1, step 2, unit 1");
        assertThat(at(LSTM2.withReturnSequences(true), OUT, 0, shape(2, 3, 2), 6)).isEqualTo("batch 1, step 0, unit 0");
        assertThat(at(LSTM2, OUT, 0, shape(2, 2), 3)).isEqualTo("batch 1, unit 1");
        assertThat(at(LSTM2, OUT, 0, shape(2, 2), 2)).isEqualTo("batch 1, unit 0");
        // an input gradient names the feature
        assertThat(at(LSTM2, DX, 0, shape(2, 3, 4), 23)).isEqualTo("batch 1, step 2, feature 3");
        // a layout that is neither: the raw index
        assertThat(at(LSTM2, OUT, 0, shape(8), 5)).isEqualTo("index [5]");
    }

    @Test
    void bidirectionalOutputsSayWhichDirection() {
        BidirectionalSpec concat = BidirectionalSpec.of(LSTM2, MergeMode.CONCAT); // forward units 0-1, backward 2-3
        assertThat(at(concat, OUT, 0, shape(1, 4), 1)).isEqualTo("forward direction (concatenated column 1), batch 0, unit 1");
        assertThat(at(concat, OUT, 0, shape(1, 4), 2)).isEqualTo("backward direction (concatenated column 2), batch 0, unit 0");
        assertThat(at(concat, OUT, 0, shape(1, 4), 3)).isEqualTo("backward direction (concatenated column 3), batch 0, unit 1");
        BidirectionalSpec none = BidirectionalSpec.of(LSTM2, MergeMode.NONE);
        assertThat(at(none, OUT, 0, shape(1, 2), 1)).isEqualTo("forward direction, batch 0, unit 1");
        assertThat(at(none, OUT, 1, shape(1, 2), 1)).isEqualTo("backward direction, batch 0, unit 1");
        assertThat(at(BidirectionalSpec.of(LSTM2, MergeMode.SUM), OUT, 0, shape(1, 2), 1))
                .isEqualTo("both directions merged by sum, batch 0, unit 1");
    }

    @Test
    void stackedCellsAndModelsSayWhoseOutput() {
        RnnLayerSpec stacked = RnnLayerSpec.stacked(CellSpec.lstm(3), CellSpec.gru(2));
        assertThat(at(stacked, OUT, 0, shape(1, 2), 1)).isEqualTo("last cell (cell_1) output, batch 0, unit 1");
        SequentialSpec model = SequentialSpec.of(3, LSTM2, DenseSpec.of(5));
        assertThat(at(model, OUT, 0, shape(2, 5), 7)).isEqualTo("layer_1 (Dense(5)) output, batch 1, unit 2");
    }

    @Test
    void statesAreNamedInTheOrderKerasReturnsThem() {
        assertThat(at(LSTM2, STATE, 0, shape(2, 2), 3)).isEqualTo("h (hidden state), batch 1, unit 1");
        assertThat(at(LSTM2, STATE, 1, shape(2, 2), 1)).isEqualTo("c (cell state), batch 0, unit 1");
        assertThat(at(LSTM2, QuantityCheck.Kind.GRAD_INITIAL_STATES, 1, shape(2, 2), 2))
                .isEqualTo("c (cell state), batch 1, unit 0");
        RnnLayerSpec stacked = RnnLayerSpec.stacked(CellSpec.lstm(3), CellSpec.gru(2));
        assertThat(at(stacked, STATE, 1, shape(1, 3), 2)).isEqualTo("cell_0 (LSTM) c (cell state), batch 0, unit 2");
        assertThat(at(stacked, STATE, 2, shape(1, 2), 0)).isEqualTo("cell_1 (GRU) h (hidden state), batch 0, unit 0");
        BidirectionalSpec bi = BidirectionalSpec.of(LSTM2, MergeMode.CONCAT);
        assertThat(at(bi, STATE, 1, shape(1, 2), 0)).isEqualTo("forward direction c (cell state), batch 0, unit 0");
        assertThat(at(bi, STATE, 2, shape(1, 2), 0)).isEqualTo("backward direction h (hidden state), batch 0, unit 0");
        assertThat(at(bi, STATE, 3, shape(1, 2), 1)).isEqualTo("backward direction c (cell state), batch 0, unit 1");
        // a state the layer does not have: no name, still the element
        assertThat(at(LSTM2, STATE, 2, shape(1, 2), 1)).isEqualTo("batch 0, unit 1");
    }

    @Test
    void cellWeightsNameTheGateBlockRowAndColumn() {
        // LSTM(2) on 3 features: kernel (3, 8), recurrent_kernel (2, 8), bias (8); blocks i f c o of width 2
        assertThat(at(LSTM2, DW, 0, shape(3, 8), 13)) // row 1, column 5
                .isEqualTo("gate block c, row 1 (input feature 1), column 5 (unit 1 of block c)");
        assertThat(at(LSTM2, DW, 1, shape(2, 8), 7)) // row 0, column 7
                .isEqualTo("gate block o, row 0 (unit 0 of the previous h), column 7 (unit 1 of block o)");
        assertThat(at(LSTM2, DW, 2, shape(8), 2)).isEqualTo("gate block f, column 2 (unit 0 of block f)");
        // reset_after GRU(2): bias (2, 6), row 0 input bias, row 1 recurrent bias
        RnnLayerSpec gru = RnnLayerSpec.of(CellSpec.gru(2));
        assertThat(at(gru, DW, 2, shape(2, 6), 7)).isEqualTo("gate block z, row 1 (recurrent bias), column 1 (unit 1 of block z)");
        assertThat(at(gru, DW, 2, shape(2, 6), 4)).isEqualTo("gate block h, row 0 (input bias), column 4 (unit 0 of block h)");
        // SimpleRNN: one block, no gate names
        RnnLayerSpec simple = RnnLayerSpec.of(CellSpec.simpleRnn(3));
        assertThat(at(simple, DW, 0, shape(2, 3), 4)).isEqualTo("row 1 (input feature 1), column 1 (unit 1)");
        assertThat(at(simple, DW, 2, shape(3), 2)).isEqualTo("column 2 (unit 2)");
    }

    @Test
    void weightsOfStackedBidirectionalAndModelLayersSayWhose() {
        // stacked: LSTM(3) then GRU(2); the GRU's kernel rows are the LSTM's output units
        RnnLayerSpec stacked = RnnLayerSpec.stacked(CellSpec.lstm(3), CellSpec.gru(2));
        assertThat(at(stacked, DW, 3, shape(3, 6), 14)) // row 2, column 2
                .isEqualTo("cell_1 (GRU), gate block r, row 2 (unit 2 of cell_0's output), column 2 (unit 0 of block r)");
        assertThat(at(stacked, DW, 0, shape(4, 12), 12))
                .isEqualTo("cell_0 (LSTM), gate block i, row 1 (input feature 1), column 0 (unit 0 of block i)");
        BidirectionalSpec bi = BidirectionalSpec.of(LSTM2, MergeMode.CONCAT);
        assertThat(at(bi, DW, 4, shape(2, 8), 0))
                .isEqualTo("backward direction, gate block i, row 0 (unit 0 of the previous h), column 0 (unit 0 of block i)");
        SequentialSpec model = SequentialSpec.of(3, new EmbeddingSpec(10, 4, false), LSTM2, DenseSpec.of(5));
        assertThat(at(model, DW, 0, shape(10, 4), 13))
                .isEqualTo("layer_0 (Embedding(10, 4)), row 3 (token id 3), column 1 (embedding dimension 1)");
        assertThat(at(model, DW, 4, shape(2, 5), 7)).isEqualTo("layer_2 (Dense(5)), row 1 (input feature 1), column 2 (unit 2)");
        assertThat(at(model, DW, 5, shape(5), 3)).isEqualTo("layer_2 (Dense(5)), unit 3");
        // an index past the layer's weights: the raw index
        assertThat(at(LSTM2, DW, 3, shape(2, 8), 9)).isEqualTo("index [1, 1]");
    }

    @Test
    void unflattenIsRowMajorAndToleratesEmptyAxes() {
        assertThat(ElementLocation.unflatten(shape(2, 3, 4), 23)).containsExactly(1, 2, 3);
        assertThat(ElementLocation.unflatten(shape(2, 3, 4), 13)).containsExactly(1, 0, 1);
        assertThat(ElementLocation.unflatten(shape(2, 0), 0)).containsExactly(0, 0);
    }

    @Test
    void inputGradientsAreScannedAscendingOnlyForAGoBackwardsLayer() {
        assertThat(ElementLocation.inputGradientScanAscending(LSTM2.withGoBackwards(true))).isTrue();
        assertThat(ElementLocation.inputGradientScanAscending(LSTM2)).isFalse();
        assertThat(ElementLocation.inputGradientScanAscending(BidirectionalSpec.of(LSTM2, MergeMode.CONCAT))).isFalse();
    }
}
