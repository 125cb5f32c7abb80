package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras {@code Bidirectional(layer, merge_mode)}. The backward layer runs with {@code go_backwards} flipped; its
 * returned sequence is reversed back to input order before merging. Keras forces {@code zero_output_for_mask}
 * to {@code return_sequences} on both halves. Weights: forward layer's, then backward layer's. States: forward
 * layer's, then backward layer's; initial states likewise (first half forward).
 */
public record BidirectionalSpec(RnnLayerSpec forward, RnnLayerSpec backward, MergeMode mergeMode) implements LayerSpec {

    public BidirectionalSpec {
        if (forward == null || backward == null) {
            throw new IllegalArgumentException("Bidirectional needs a forward and a backward layer");
        }
        if (mergeMode == null) {
            throw new IllegalArgumentException("Bidirectional merge_mode is null; use MergeMode.NONE for Keras None");
        }
        if (forward.goBackwards() == backward.goBackwards()) {
            throw new IllegalArgumentException("Bidirectional: forward and backward layers must differ in go_backwards");
        }
        if (forward.returnSequences() != backward.returnSequences() || forward.returnState() != backward.returnState()) {
            throw new IllegalArgumentException("Bidirectional: forward and backward layers must agree on "
                    + "return_sequences and return_state");
        }
        if (forward.stateful() != backward.stateful()) {
            throw new IllegalArgumentException("Bidirectional: forward and backward layers must agree on stateful");
        }
        if (mergeMode != MergeMode.CONCAT && mergeMode != MergeMode.NONE && forward.units() != backward.units()) {
            throw new IllegalArgumentException("Bidirectional merge_mode=" + mergeMode.kerasName() + " combines outputs element-wise,"
                    + " but the forward half has " + forward.units() + " units and the backward half " + backward.units()
                    + "; use concat or None, or halves of equal width");
        }
    }

    /**
     * {@code Bidirectional(layer, merge_mode)}: the backward half is a copy of the layer with go_backwards=True, as
     * Keras 3 builds it. Keras rejects a layer that already goes backwards (the halves would run the same way); so
     * does this method. Use the constructor for an explicit backward layer.
     */
    public static BidirectionalSpec of(RnnLayerSpec layer, MergeMode mergeMode) {
        if (layer.goBackwards()) {
            throw new IllegalArgumentException("Bidirectional(" + layer.describe() + "): the wrapped layer has go_backwards=True,"
                    + " so its backward copy (go_backwards=True) would run the same way; Keras rejects this too."
                    + " Pass an explicit backward layer instead");
        }
        RnnLayerSpec fwd = layer.withZeroOutputForMask(layer.returnSequences());
        return new BidirectionalSpec(fwd, fwd.withGoBackwards(true), mergeMode);
    }

    public boolean returnSequences() {
        return forward.returnSequences();
    }

    public boolean returnState() {
        return forward.returnState();
    }

    @Override
    public String kerasClassName() {
        return "Bidirectional";
    }

    @Override
    public List<String> weightNames() {
        List<String> names = new ArrayList<>();
        for (String n : forward.weightNames()) {
            names.add("forward/" + n);
        }
        for (String n : backward.weightNames()) {
            names.add("backward/" + n);
        }
        return names;
    }

    @Override
    public List<int[]> weightShapes(int inputDim) {
        List<int[]> s = new ArrayList<>(forward.weightShapes(inputDim));
        s.addAll(backward.weightShapes(inputDim));
        return s;
    }

    /** Number of weight arrays of the forward half (the backward half's start in the weight list). */
    public int forwardWeightCount() {
        return forward.weightNames().size();
    }

    @Override
    public int outputDim(int inputDim) {
        return mergeMode == MergeMode.CONCAT ? forward.units() + backward.units() : forward.units();
    }

    @Override
    public String describe() {
        return "Bidirectional(" + forward.describe() + ", merge_mode=" + mergeMode.kerasName() + ")";
    }
}
