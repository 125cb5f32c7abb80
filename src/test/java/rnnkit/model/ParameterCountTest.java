package rnnkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.testing.PropertyTrials;

/**
 * Parameter counts. The pinned totals come from the Keras documentation ("Working with RNNs" guide) and were
 * re-counted with Keras 3.15.1 {@code count_params()}, never from rnnkit itself.
 */
class ParameterCountTest {
    private static long trialsBefore;

    @BeforeAll
    static void countTrialsFromHere() {
        trialsBefore = PropertyTrials.total();
    }

    @AfterAll
    static void reportTrials() {
        System.out.println(PropertyTrials.report("ParameterCountTest", trialsBefore));
    }

    @Test
    void embeddingLstmDenseTutorialModelHas164106Parameters() {
        SequentialSpec model = SequentialSpec.of(0,
                new EmbeddingSpec(1000, 64, false),
                RnnLayerSpec.of(CellSpec.lstm(128)),
                DenseSpec.of(10));
        assertThat(model.layers().get(0).parameterCount(model.layerInputDim(0))).isEqualTo(64_000);
        assertThat(model.layers().get(1).parameterCount(model.layerInputDim(1))).isEqualTo(98_816);
        assertThat(model.layers().get(2).parameterCount(model.layerInputDim(2))).isEqualTo(1_290);
        assertThat(model.parameterCount()).isEqualTo(164_106);
        assertThat(model.summary()).contains("Total params: 164,106");
    }

    @Test
    void embeddingGruSimpleRnnDenseTutorialModelHas361866Parameters() {
        SequentialSpec model = SequentialSpec.of(0,
                new EmbeddingSpec(1000, 64, false),
                RnnLayerSpec.of(CellSpec.gru(256)).withReturnSequences(true),
                RnnLayerSpec.of(CellSpec.simpleRnn(128)),
                DenseSpec.of(10));
        assertThat(model.layers().get(1).parameterCount(model.layerInputDim(1))).isEqualTo(247_296);
        assertThat(model.layers().get(2).parameterCount(model.layerInputDim(2))).isEqualTo(49_280);
        assertThat(model.parameterCount()).isEqualTo(361_866);
        assertThat(model.summary()).contains("Total params: 361,866").contains("247,296").contains("49,280");
    }

    @Test
    void bidirectionalLstmTutorialModelHas80266Parameters() {
        SequentialSpec model = SequentialSpec.of(10,
                BidirectionalSpec.of(RnnLayerSpec.of(CellSpec.lstm(64)).withReturnSequences(true), MergeMode.CONCAT),
                BidirectionalSpec.of(RnnLayerSpec.of(CellSpec.lstm(32)), MergeMode.CONCAT),
                DenseSpec.of(10));
        assertThat(model.layers().get(0).parameterCount(10)).isEqualTo(38_400);
        assertThat(model.layers().get(1).parameterCount(model.layerInputDim(1))).isEqualTo(41_216);
        assertThat(model.parameterCount()).isEqualTo(80_266);
        assertThat(model.summary()).contains("Total params: 80,266");
    }

    @Test
    void lstm10OnOneFeatureHas480Parameters() {
        assertThat(RnnLayerSpec.of(CellSpec.lstm(10)).parameterCount(1)).isEqualTo(480);
    }

    @Test
    void simpleRnn3OnOneFeatureHas15Parameters() {
        assertThat(RnnLayerSpec.of(CellSpec.simpleRnn(3)).parameterCount(1)).isEqualTo(15);
    }

    @Test
    void stackedLstmAndResetBeforeGruCellsCountLikeKeras() {
        // keras RNN([LSTMCell(4), GRUCell(5, reset_after=False)]) on 3 features: 278 parameters (count_params()).
        RnnLayerSpec layer = RnnLayerSpec.stacked(CellSpec.lstm(4), CellSpec.gru(5).withResetAfter(false));
        assertThat(layer.parameterCount(3)).isEqualTo(278);
    }

    @Test
    void perCellParameterFormulasHoldForAllSizes() {
        qt().withFixedSeed(11L).withExamples(200)
                .forAll(integers().between(1, 300), integers().between(1, 300))
                .checkAssert(PropertyTrials.counted((u, d) -> {
                    long uu = u;
                    long dd = d;
                    assertThat(CellSpec.simpleRnn(u).parameterCount(d)).isEqualTo(uu * (dd + uu) + uu);
                    assertThat(CellSpec.lstm(u).parameterCount(d)).isEqualTo(4 * (uu * (dd + uu) + uu));
                    assertThat(CellSpec.gru(u).withResetAfter(false).parameterCount(d))
                            .isEqualTo(3 * (uu * (dd + uu) + uu));
                    assertThat(CellSpec.gru(u).parameterCount(d)).isEqualTo(3 * (uu * (dd + uu) + 2 * uu));
                    for (CellSpec c : new CellSpec[] {CellSpec.simpleRnn(u), CellSpec.lstm(u), CellSpec.gru(u)}) {
                        assertThat(c.withUseBias(false).parameterCount(d))
                                .as("%s without bias", c.describe()).isEqualTo(c.gates() * uu * (dd + uu));
                        assertThat(BidirectionalSpec.of(RnnLayerSpec.of(c), MergeMode.SUM).parameterCount(d))
                                .as("Bidirectional doubles %s", c.describe()).isEqualTo(2 * c.parameterCount(d));
                    }
                }));
    }
}
