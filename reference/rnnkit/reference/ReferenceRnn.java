package rnnkit.reference;

import java.util.List;
import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.DenseSpec;
import rnnkit.model.DropoutSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MaskingSpec;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * The naive scalar reference implementation of Keras recurrent layers: double precision always (the call's dtype
 * is ignored), plain loops written beside the equations, no code shared with the optimized path. Stateless:
 * every call builds its own cells, so concurrent calls are independent.
 */
public final class ReferenceRnn implements RnnImplementation {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public LayerOutputs forward(LayerCall call) {
        return run(call).outputs();
    }

    @Override
    public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
        call.validateCotangent(cotangent);
        LayerGradients g = run(call).backward(cotangent);
        // Gradients of initial states are reported only when the call passed initial states.
        return new LayerGradients(g.inputs(), g.weights(), call.initialStates().isEmpty() ? List.of() : g.initialStates());
    }

    private static LayerRun run(LayerCall call) {
        LayerSpec layer = call.layer();
        if (layer instanceof RnnLayerSpec r) {
            return ReferenceRnnLayer.run(r, call.weights(), call.inputs(), call.mask(), call.initialStates(),
                    call.dropoutMasks());
        }
        if (layer instanceof BidirectionalSpec b) {
            return ReferenceBidirectional.run(b, call.weights(), call.inputs(), call.mask(), call.initialStates(),
                    call.dropoutMasks());
        }
        if (layer instanceof SequentialSpec s) {
            return ReferenceSequential.run(s, call.weights(), call.inputs(), call.mask(), call.dropoutMasks(),
                    call.dropoutLayerMasks(), call.training());
        }
        if (layer instanceof EmbeddingSpec e) {
            return ReferenceEmbedding.run(e, call.weights(), call.inputs());
        }
        if (layer instanceof DenseSpec d) {
            return ReferenceDense.run(d, call.weights(), call.inputs(), call.mask());
        }
        if (layer instanceof ActivationLayerSpec a) {
            return ReferenceActivationLayer.run(a, call.inputs(), call.mask());
        }
        if (layer instanceof DropoutSpec d) {
            Tensor dropMask = call.training() && d.drawsMask() ? call.dropoutLayerMasks().get(0) : null;
            return ReferenceDropout.run(d, call.inputs(), dropMask, call.training(), call.mask());
        }
        if (layer instanceof MaskingSpec m) {
            return ReferenceMasking.run(m, call.inputs());
        }
        throw new IllegalArgumentException("the reference has no implementation for " + layer.describe());
    }
}
