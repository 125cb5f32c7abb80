package rnnkit.testing;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;

/**
 * Output shapes of a layer call as Keras defines them, derived from the spec alone (so that cotangents can be
 * generated without running any implementation).
 */
public final class LayerShapes {
    private LayerShapes() {
    }

    /**
     * Shapes of the main outputs: {@code (batch, time, dim)} for sequences, {@code (batch, dim)} for last outputs;
     * two entries for Bidirectional {@code merge_mode=None} (forward, backward).
     */
    public static List<int[]> outputShapes(LayerSpec layer, int batch, int time, int inputDim) {
        List<int[]> shapes = new ArrayList<>();
        if (layer instanceof RnnLayerSpec r) {
            shapes.add(shape(r.returnSequences(), batch, time, r.units()));
        } else if (layer instanceof BidirectionalSpec b) {
            if (b.mergeMode() == MergeMode.NONE) {
                shapes.add(shape(b.returnSequences(), batch, time, b.forward().units()));
                shapes.add(shape(b.returnSequences(), batch, time, b.backward().units()));
            } else {
                shapes.add(shape(b.returnSequences(), batch, time, b.outputDim(inputDim)));
            }
        } else if (layer instanceof SequentialSpec s) {
            shapes.add(shape(s.outputIsSequence(), batch, time, s.outputDim(s.inputDim())));
        } else if (layer instanceof EmbeddingSpec e) {
            shapes.add(new int[] {batch, time, e.outputDim()});
        } else if (layer instanceof DenseSpec d) {
            shapes.add(new int[] {batch, time, d.units()});
        }
        return shapes;
    }

    private static int[] shape(boolean sequence, int batch, int time, int dim) {
        return sequence ? new int[] {batch, time, dim} : new int[] {batch, dim};
    }

    /** Input feature dimension of every recurrent cell, in dropout-mask order (see {@code LayerCall}). */
    public static List<Integer> recurrentCellInputDims(LayerSpec layer, int inputDim) {
        List<Integer> dims = new ArrayList<>();
        if (layer instanceof RnnLayerSpec r) {
            for (int i = 0; i < r.cells().size(); i++) {
                dims.add(r.cellInputDim(i, inputDim));
            }
        } else if (layer instanceof BidirectionalSpec b) {
            dims.addAll(recurrentCellInputDims(b.forward(), inputDim));
            dims.addAll(recurrentCellInputDims(b.backward(), inputDim));
        } else if (layer instanceof SequentialSpec s) {
            for (int i = 0; i < s.layers().size(); i++) {
                dims.addAll(recurrentCellInputDims(s.layers().get(i), s.layerInputDim(i)));
            }
        }
        return dims;
    }
}
