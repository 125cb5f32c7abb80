package rnnkit.reference;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.DenseSpec;
import rnnkit.model.DropoutSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MaskingSpec;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * Keras {@code Sequential} of Embedding, recurrent, Bidirectional, Dense, Activation, Dropout and Masking layers.
 * Each layer's output feeds the next; the mask flows as Keras's compute_mask says: Embedding(mask_zero) creates
 * {@code ids != 0} (an Embedding without mask_zero yields none), Masking creates its own, recurrent layers returning
 * sequences pass their input mask on, a recurrent layer returning only its last output consumes it, Dense,
 * Activation and Dropout pass it through. The model has no states.
 */
final class ReferenceSequential implements LayerRun {

    private final List<LayerRun> runs = new ArrayList<>();
    private final boolean tokenIds;

    private ReferenceSequential(boolean tokenIds) {
        this.tokenIds = tokenIds;
    }

    static ReferenceSequential run(SequentialSpec spec, List<Tensor> weights, Tensor inputs, SequenceMask mask,
                                   List<CellDropoutMasks> dropout, List<Tensor> dropoutLayerMasks, boolean training) {
        ReferenceSequential model = new ReferenceSequential(spec.layers().get(0) instanceof EmbeddingSpec);
        Tensor x = inputs;
        SequenceMask m = mask;
        int cell = 0;
        int dropoutLayer = 0;
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            int offset = spec.weightOffset(i);
            List<Tensor> w = weights.subList(offset, offset + layer.weightNames().size());
            int cells = LayerCall.recurrentCells(layer).size();
            List<CellDropoutMasks> d = dropout.isEmpty() ? List.of() : dropout.subList(cell, cell + cells);
            cell += cells;
            LayerRun run;
            if (layer instanceof EmbeddingSpec e) {
                run = ReferenceEmbedding.run(e, w, x);
            } else if (layer instanceof RnnLayerSpec r) {
                run = ReferenceRnnLayer.run(r, w, x, m, List.of(), d);
            } else if (layer instanceof BidirectionalSpec b) {
                run = ReferenceBidirectional.run(b, w, x, m, List.of(), d);
            } else if (layer instanceof DenseSpec dense) {
                run = ReferenceDense.run(dense, w, x, m);
            } else if (layer instanceof ActivationLayerSpec a) {
                run = ReferenceActivationLayer.run(a, x, m);
            } else if (layer instanceof DropoutSpec drop) {
                Tensor dropMask = training && drop.drawsMask() ? dropoutLayerMasks.get(dropoutLayer++) : null;
                run = ReferenceDropout.run(drop, x, dropMask, training, m);
            } else if (layer instanceof MaskingSpec masking) {
                run = ReferenceMasking.run(masking, x);
            } else {
                throw new IllegalArgumentException("layer " + i + " (" + layer.describe()
                        + ") cannot be part of a reference Sequential model");
            }
            model.runs.add(run);
            x = run.outputs().output();
            m = run.outputMask();
        }
        return model;
    }

    @Override
    public LayerOutputs outputs() {
        return LayerOutputs.of(runs.get(runs.size() - 1).outputs().output(), List.of());
    }

    @Override
    public SequenceMask outputMask() {
        return runs.get(runs.size() - 1).outputMask();
    }

    @Override
    public LayerGradients backward(LayerOutputs cotangent) {
        List<List<Tensor>> weightGradients = new ArrayList<>();
        Tensor d = cotangent.output();
        for (int i = runs.size() - 1; i >= 0; i--) {
            // Intermediate layers' states are not model outputs: zero state cotangents.
            LayerGradients g = runs.get(i).backward(new LayerOutputs(List.of(d), List.of()));
            weightGradients.add(0, g.weights());
            d = g.inputs();
        }
        List<Tensor> weights = new ArrayList<>();
        for (List<Tensor> w : weightGradients) {
            weights.addAll(w);
        }
        return new LayerGradients(tokenIds ? null : d, weights, List.of());
    }
}
