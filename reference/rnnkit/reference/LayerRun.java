package rnnkit.reference;

import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.SequenceMask;

/**
 * One forward call of a reference layer, kept whole so that the backward pass can replay it (full
 * back-propagation through time needs every step's intermediate values).
 */
interface LayerRun {

    /** The layer's outputs and final states. */
    LayerOutputs outputs();

    /** The mask Keras attaches to the main output (what the next layer of a Sequential receives), or null. */
    SequenceMask outputMask();

    /**
     * Gradients of {@code sum(outputs * cotangent.outputs) + sum(finalStates * cotangent.states)}. The initial-state
     * gradients are always reported (one per state, also when the call started from zeros); the input gradient is
     * null for token-id inputs.
     */
    LayerGradients backward(LayerOutputs cotangent);
}
