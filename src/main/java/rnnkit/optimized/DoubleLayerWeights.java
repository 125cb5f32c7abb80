// FloatLayerWeights.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
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
 * in the form the float64 stages read them: per layer of the stack, the recurrent cells' {@link DoubleCellWeights}
 * (Bidirectional: forward cells, then backward cells) or the other layers' weight arrays in get_weights() order.
 *
 * <p>Made for one call (the tensors' own arrays where the precision allows, packed forms made as the call needs
 * them) or once for many calls by a {@link PreparedLayer} (every value copied, so later changes to the tensors are
 * not seen, and the forward packing done at once). Immutable apart from the cells' thread-safe packing caches.
 */
final class DoubleLayerWeights {
    private final List<List<DoubleCellWeights>> cells = new ArrayList<>();
    private final List<double[][]> arrays = new ArrayList<>();

    /**
     * @param weights the layer's weights in get_weights() order, already checked against {@code layer}
     * @param copy copy every value (a prepared layer) rather than read the tensors' arrays
     */
    DoubleLayerWeights(LayerSpec layer, List<Tensor> weights, Gemm gemm, ParallelRunner runner, boolean copy) {
        List<LayerSpec> stack = layer instanceof SequentialSpec s ? s.layers() : List.of(layer);
        int index = 0;
        for (LayerSpec l : stack) {
            List<Tensor> w = weights.subList(index, index + l.weightNames().size());
            index += l.weightNames().size();
            List<DoubleCellWeights> layerCells = new ArrayList<>();
            double[][] layerArrays = new double[0][];
            if (l instanceof RnnLayerSpec r) {
                addCells(r, w, gemm, runner, copy, layerCells);
            } else if (l instanceof BidirectionalSpec b) {
                int nf = b.forwardWeightCount();
                addCells(b.forward(), w.subList(0, nf), gemm, runner, copy, layerCells);
                addCells(b.backward(), w.subList(nf, w.size()), gemm, runner, copy, layerCells);
            } else {
                layerArrays = new double[w.size()][];
                for (int i = 0; i < w.size(); i++) {
                    layerArrays[i] = copy ? DoublePrecision.copy(w.get(i), runner) : DoublePrecision.read(w.get(i));
                }
            }
            cells.add(List.copyOf(layerCells));
            arrays.add(layerArrays);
        }
    }

    private static void addCells(RnnLayerSpec r, List<Tensor> w, Gemm gemm, ParallelRunner runner, boolean copy,
                                 List<DoubleCellWeights> out) {
        for (int i = 0; i < r.cells().size(); i++) {
            CellSpec c = r.cells().get(i);
            int from = r.weightOffset(i);
            out.add(new DoubleCellWeights(c, w.subList(from, from + c.weightNames().size()), gemm, runner, copy));
        }
    }

    /** The recurrent cells of layer {@code i} of the stack (empty for a Dense or Embedding layer). */
    List<DoubleCellWeights> cells(int i) {
        return cells.get(i);
    }

    /** The weight arrays of non-recurrent layer {@code i} of the stack, in get_weights() order. */
    double[][] arrays(int i) {
        return arrays.get(i);
    }

    /** Packs every cell's kernels for the forward pass now rather than on the first call. */
    void packForward() {
        for (List<DoubleCellWeights> layerCells : cells) {
            for (DoubleCellWeights c : layerCells) {
                c.packedKernel(0, c.gates);
                for (int[] phase : c.phases()) {
                    c.forwardInterleaved(phase[0], phase[1]);
                }
            }
        }
    }
}
