package rnnkit.testing;

import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.SequenceMask;

/**
 * A built test case: the call, a random cotangent of the call's outputs (and of its final states when the layer
 * returns them), and the effective sequence mask (the one passed in the call, or for a Sequential model starting
 * with Embedding(mask_zero=True), the mask its padding ids produce).
 */
public record RnnCase(CaseRecipe recipe, LayerCall call, LayerOutputs cotangent, SequenceMask effectiveMask) {

    /** The case with another call (and the same cotangent); for properties that transform the call. */
    public RnnCase withCall(LayerCall c) {
        return new RnnCase(recipe, c, cotangent, c.mask() != null ? c.mask() : effectiveMask);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(recipe.toString());
        if (effectiveMask != null) {
            sb.append(" mask rows=");
            for (int b = 0; b < effectiveMask.batch(); b++) {
                sb.append(b == 0 ? "" : "|");
                for (int t = 0; t < effectiveMask.time(); t++) {
                    sb.append(effectiveMask.get(b, t) ? '1' : '0');
                }
            }
        }
        return sb.toString();
    }
}
