// GENERATED from DoubleLayerWeights.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * The weights of a whole layer (a recurrent layer, Bidirectional, Dense, Embedding or a Sequential stack of them)
 * in the form the float32 stages read them: per layer of the stack, the recurrent cells' {@link FloatCellWeights}
 * (Bidirectional: forward cells, then backward cells) or the other layers' weight arrays in get_weights() order.
 *
 * <p>Made for one call (the tensors' own arrays where the precision allows, packed forms made as the call needs
 * them) or once for many calls by a {@link PreparedLayer} (every value copied, so later changes to the tensors are
 * not seen, and the forward packing done at once). Immutable apart from the cells' thread-safe packing caches.
 */
final class FloatLayerWeights {
    private final List<List<FloatCellWeights>> cells = new ArrayList<>();
    private final List<float[][]> arrays = new ArrayList<>();

    /**
     * @param weights the layer's weights in get_weights() order, already checked against {@code layer}
     * @param copy copy every value (a prepared layer) rather than read the tensors' arrays
     */
    FloatLayerWeights(LayerSpec layer, List<Tensor> weights, Gemm gemm, ParallelRunner runner, boolean copy) {
        List<LayerSpec> stack = layer instanceof SequentialSpec s ? s.layers() : List.of(layer);
        int index = 0;
        for (LayerSpec l : stack) {
            List<Tensor> w = weights.subList(index, index + l.weightNames().size());
            index += l.weightNames().size();
            List<FloatCellWeights> layerCells = new ArrayList<>();
            float[][] layerArrays = new float[0][];
            if (l instanceof RnnLayerSpec r) {
                addCells(r, w, gemm, runner, copy, layerCells);
            } else if (l instanceof BidirectionalSpec b) {
                int nf = b.forwardWeightCount();
                addCells(b.forward(), w.subList(0, nf), gemm, runner, copy, layerCells);
                addCells(b.backward(), w.subList(nf, w.size()), gemm, runner, copy, layerCells);
            } else {
                layerArrays = new float[w.size()][];
                for (int i = 0; i < w.size(); i++) {
                    layerArrays[i] = copy ? FloatPrecision.copy(w.get(i), runner) : FloatPrecision.read(w.get(i));
                }
            }
            cells.add(List.copyOf(layerCells));
            arrays.add(layerArrays);
        }
    }

    private static void addCells(RnnLayerSpec r, List<Tensor> w, Gemm gemm, ParallelRunner runner, boolean copy,
                                 List<FloatCellWeights> out) {
        for (int i = 0; i < r.cells().size(); i++) {
            CellSpec c = r.cells().get(i);
            int from = r.weightOffset(i);
            out.add(new FloatCellWeights(c, w.subList(from, from + c.weightNames().size()), gemm, runner, copy));
        }
    }

    /** The recurrent cells of layer {@code i} of the stack (empty for a Dense or Embedding layer). */
    List<FloatCellWeights> cells(int i) {
        return cells.get(i);
    }

    /** The weight arrays of non-recurrent layer {@code i} of the stack, in get_weights() order. */
    float[][] arrays(int i) {
        return arrays.get(i);
    }

    /** Packs every cell's kernels for the forward pass now rather than on the first call. */
    void packForward() {
        for (List<FloatCellWeights> layerCells : cells) {
            for (FloatCellWeights c : layerCells) {
                c.packedKernel(0, c.gates);
                for (int[] phase : c.phases()) {
                    c.forwardInterleaved(phase[0], phase[1]);
                }
            }
        }
    }
}
