package rnnkit.optimized;

import rnnkit.conformance.Tolerance;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.StatefulLayer;
import rnnkit.model.Tensor;
import rnnkit.testing.RandomTensors;

/**
 * Stateful use (states carried between calls, reset to zeros) and the non-recurrent layers called on their own
 * (Dense on (batch, features) and on sequences, Embedding), against the reference.
 */
class StatefulAndStandaloneLayersTest {
    private static final OptimizedRnn OPTIMIZED = new OptimizedRnn(2);

    @AfterAll
    static void close() {
        OPTIMIZED.close();
    }

    private static Tensor slice(Tensor x, int from, int to) {
        int b = x.dim(0);
        int t = x.dim(1);
        int d = x.dim(2);
        Tensor out = Tensor.zeros(b, to - from, d);
        for (int i = 0; i < b; i++) {
            System.arraycopy(x.data(), (i * t + from) * d, out.data(), i * (to - from) * d, (to - from) * d);
        }
        return out;
    }

    @Test
    void statefulChunksCarryStatesLikeOneLongCallAndResetToZeros() {
        RandomTensors random = new RandomTensors(99);
        for (CellSpec cell : List.of(CellSpec.lstm(5), CellSpec.gru(4), CellSpec.gru(3).withResetAfter(false),
                CellSpec.simpleRnn(6))) {
            RnnLayerSpec layer = RnnLayerSpec.of(cell).withStateful(true).withReturnSequences(true);
            List<Tensor> w = new ArrayList<>();
            for (int[] s : layer.weightShapes(3)) {
                w.add(random.uniform(0.6, s));
            }
            Tensor x = random.uniform(1, 4, 7, 3);
            SequenceMask mask = SequenceMask.fromInts(new int[][] {
                    {1, 1, 0, 1, 1, 1, 1}, {0, 1, 1, 1, 0, 0, 1}, {1, 1, 1, 1, 1, 1, 1}, {1, 0, 1, 0, 1, 0, 1}});
            LayerOutputs whole = OPTIMIZED.forward(LayerCall.of(layer, w, x).withMask(mask));
            StatefulLayer stateful = new StatefulLayer(OPTIMIZED, layer, w, DType.FLOAT64);
            stateful.call(slice(x, 0, 4), mask.slice(0, 4));
            LayerOutputs second = stateful.call(slice(x, 4, 7), mask.slice(4, 7));
            StatefulLayer ref = new StatefulLayer(ReferenceComparison.REFERENCE, layer, w, DType.FLOAT64);
            ref.call(slice(x, 0, 4), mask.slice(0, 4));
            LayerOutputs refSecond = ref.call(slice(x, 4, 7), mask.slice(4, 7));
            for (int i = 0; i < whole.states().size(); i++) {
                // the same operations on the same numbers: carried states equal the single long call exactly
                assertThat(second.states().get(i)).as(cell.describe() + " state " + i).isEqualTo(whole.states().get(i));
                assertThat(Tolerance.normwiseRelativeError(second.states().get(i), refSecond.states().get(i)))
                        .isLessThanOrEqualTo(Tolerance.AGREEMENT_FLOAT64);
            }
            stateful.resetState();
            LayerOutputs fresh = stateful.call(slice(x, 0, 4), mask.slice(0, 4));
            LayerOutputs zeros = OPTIMIZED.forward(LayerCall.of(layer, w, slice(x, 0, 4)).withMask(mask.slice(0, 4)));
            assertThat(fresh.outputs()).isEqualTo(zeros.outputs());
        }
    }

    @Test
    void denseAndEmbeddingOnTheirOwnMatchReference() {
        RandomTensors random = new RandomTensors(5);
        List<LayerCall> calls = new ArrayList<>();
        for (Activation a : List.of(Activation.LINEAR, Activation.GELU, Activation.RELU6)) {
            for (boolean bias : new boolean[] {true, false}) {
                DenseSpec dense = new DenseSpec(9, a, bias);
                calls.add(call(dense, random, random.uniform(2, 13, 6)));
                calls.add(call(dense, random, random.uniform(2, 3, 5, 6)));
            }
        }
        EmbeddingSpec emb = new EmbeddingSpec(7, 4, true);
        calls.add(call(emb, random, random.tokenIds(7, 3, 5, SequenceMask.allTrue(3, 5))));
        for (LayerCall c : calls) {
            LayerOutputs out = ReferenceComparison.REFERENCE.forward(c);
            List<Tensor> cot = new ArrayList<>();
            for (Tensor t : out.outputs()) {
                cot.add(random.uniform(1, t.shape()));
            }
            for (DType d : DType.values()) {
                ReferenceComparison.assertMatchesReference(OPTIMIZED, c, new LayerOutputs(cot, List.of()), d,
                        c.layer().describe() + " on " + Tensor.shapeString(c.inputs().shape()));
            }
        }
        assertThat(calls).hasSize(13);
    }

    private static LayerCall call(LayerSpec layer, RandomTensors random, Tensor inputs) {
        int inputDim = inputs.rank() == 3 ? inputs.dim(2) : inputs.dim(1);
        List<Tensor> w = new ArrayList<>();
        for (int[] s : layer.weightShapes(inputDim)) {
            w.add(random.uniform(0.6, s));
        }
        return LayerCall.of(layer, w, inputs);
    }
}
