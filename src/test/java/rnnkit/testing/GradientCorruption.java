package rnnkit.testing;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;

/**
 * An implementation whose backward pass is deliberately wrong in one known way (forward is untouched): used to
 * prove that a gradient check can fail. Each factory names the defect it injects.
 */
public final class GradientCorruption implements RnnImplementation {
    private final RnnImplementation delegate;
    private final String defect;
    private final java.util.function.UnaryOperator<LayerGradients> corrupt;

    private GradientCorruption(RnnImplementation delegate, String defect,
                               java.util.function.UnaryOperator<LayerGradients> corrupt) {
        this.delegate = delegate;
        this.defect = defect;
        this.corrupt = corrupt;
    }

    /** Adds {@code delta} to entry {@code element} of weight gradient {@code weight}. */
    public static GradientCorruption perturbWeightEntry(RnnImplementation delegate, int weight, int element, double delta) {
        return new GradientCorruption(delegate, "weight " + weight + " entry " + element + " + " + delta, g -> {
            List<Tensor> w = copies(g.weights());
            w.get(weight).data()[element] += delta;
            return new LayerGradients(g.inputs(), w, g.initialStates());
        });
    }

    /** Swaps the gradients of two weight tensors of equal shape (e.g. forward and backward halves). */
    public static GradientCorruption swapWeights(RnnImplementation delegate, int a, int b) {
        return new GradientCorruption(delegate, "weights " + a + " and " + b + " swapped", g -> {
            List<Tensor> w = new ArrayList<>(g.weights());
            Tensor t = w.get(a);
            w.set(a, w.get(b));
            w.set(b, t);
            return new LayerGradients(g.inputs(), w, g.initialStates());
        });
    }

    /** Negates the input gradient. */
    public static GradientCorruption negateInputs(RnnImplementation delegate) {
        return new GradientCorruption(delegate, "input gradient negated", g -> {
            Tensor x = g.inputs().copy();
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = -x.data()[i];
            }
            return new LayerGradients(x, g.weights(), g.initialStates());
        });
    }

    /** Scales the gradient of initial state {@code state} by {@code factor}. */
    public static GradientCorruption scaleInitialState(RnnImplementation delegate, int state, double factor) {
        return new GradientCorruption(delegate, "initial state " + state + " gradient x" + factor, g -> {
            List<Tensor> s = copies(g.initialStates());
            for (int i = 0; i < s.get(state).size(); i++) {
                s.get(state).data()[i] *= factor;
            }
            return new LayerGradients(g.inputs(), g.weights(), s);
        });
    }

    private static List<Tensor> copies(List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(t.copy());
        }
        return out;
    }

    @Override
    public String name() {
        return delegate.name() + " with " + defect;
    }

    @Override
    public LayerOutputs forward(LayerCall call) {
        return delegate.forward(call);
    }

    @Override
    public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
        return corrupt.apply(delegate.backward(call, cotangent));
    }
}
