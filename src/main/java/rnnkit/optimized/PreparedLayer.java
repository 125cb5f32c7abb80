package rnnkit.optimized;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * A layer with its weights prepared once for many calls, the analogue of an ONNX Runtime session: made by
 * {@link OptimizedRnn#prepare}, which copies the weights (converting them to the compute precision), sums the
 * biases that can be summed and packs the recurrent kernels for the per-step products. Every later call only
 * converts its inputs and runs; results are bit-identical to {@link OptimizedRnn#forward} / {@code backward} on the
 * same weights, which prepare the same way for each call. Inference can also take and return plain arrays in the
 * compute precision ({@link #forward(float[], int, int)}, {@link #forward(double[], int, int)}), as a session takes
 * its tensors: the same bits without the conversions to and from double tensors.
 *
 * <p>Defensive copy: the layer keeps the values the weight tensors had when it was prepared; changing the tensors
 * afterwards does not change its results (prepare again to use new values).
 *
 * <p>Thread-safe: immutable after construction (packed forms needed only by some calls, such as U^T for the
 * backward pass or per-gate recurrent dropout, are made on first use under a lock-free cache), so any number of
 * threads may call it at once. It runs on the threads of the {@link OptimizedRnn} that made it; after that instance
 * is closed, calls still work on the calling thread alone.
 *
 * <p>As an {@link RnnImplementation} it answers only calls of its own layer, precision and weight tensors, so that
 * a caller holding {@link LayerCall}s (the conformance kit) can use it where the weights repeat.
 */
public final class PreparedLayer implements RnnImplementation {
    private final OptimizedRnn owner;
    private final LayerSpec layer;
    private final DType dtype;
    private final int inputDim;
    /** The tensors it was prepared from, only to recognise calls that carry them (not kept alive by this layer). */
    private final List<WeakReference<Tensor>> preparedFrom = new ArrayList<>();
    private final DoubleLayerWeights doubleWeights;
    private final FloatLayerWeights floatWeights;

    PreparedLayer(OptimizedRnn owner, DoubleModel doubleModel, FloatModel floatModel, LayerSpec layer,
                  List<Tensor> weights, DType dtype) {
        if (layer == null) {
            throw new IllegalArgumentException("layer is null; expected the LayerSpec to prepare");
        }
        if (dtype == null) {
            throw new IllegalArgumentException(layer.describe() + ": dtype is null; expected float32 or float64");
        }
        if (weights == null) {
            throw new IllegalArgumentException(layer.describe() + " weights are null; expected " + layer.weightNames());
        }
        this.owner = owner;
        this.layer = layer;
        this.dtype = dtype;
        this.inputDim = inputDim(layer, weights);
        layer.validateWeights(inputDim, weights);
        for (Tensor t : weights) {
            preparedFrom.add(new WeakReference<>(t));
        }
        if (dtype == DType.FLOAT32) {
            this.floatWeights = floatModel.prepare(layer, weights);
            this.doubleWeights = null;
        } else {
            this.doubleWeights = doubleModel.prepare(layer, weights);
            this.floatWeights = null;
        }
    }

    /** The input feature dimension the weights imply (0 for a model that starts with an Embedding). */
    private static int inputDim(LayerSpec layer, List<Tensor> weights) {
        if (layer instanceof SequentialSpec s) {
            return s.inputDim();
        }
        if (layer instanceof EmbeddingSpec) {
            return 0;
        }
        if (weights.isEmpty() || weights.get(0) == null || weights.get(0).rank() != 2) {
            // let validateWeights name what is wrong
            return 0;
        }
        return weights.get(0).dim(0);
    }

    public LayerSpec layer() {
        return layer;
    }

    public DType dtype() {
        return dtype;
    }

    @Override
    public String name() {
        return owner.name();
    }

    /** Inference on {@code inputs} (batch, time, features) — or token ids (batch, time) after an Embedding: no mask, zero initial states. */
    public LayerOutputs forward(Tensor inputs) {
        return run(new CallInputs(layer, checkedInputs(inputs), null, List.of(), List.of()));
    }

    /**
     * The forward pass of {@code call}, which must be a call of this layer in this precision carrying the weight
     * tensors this layer was prepared from (its inputs, mask, initial states and dropout masks are used; the
     * weights are the prepared copies).
     */
    @Override
    public LayerOutputs forward(LayerCall call) {
        checkCall(call);
        return run(CallInputs.of(call));
    }

    /**
     * Inference of a float32 layer on inputs given as floats, the way an ONNX Runtime session takes its input
     * tensor: {@code inputs} is (batch, time, features) in row-major order, read and not changed; returns the
     * output's values as a new float array, (batch, time, units) when the layer returns sequences, else
     * (batch, units). No mask, zero initial states, no final states. The same bits as the output tensor of
     * {@link #forward(Tensor)} on the same values: only the conversion of the inputs to float and of the output to
     * a double tensor is left out. Not for models that start with an Embedding (token ids come as a tensor) or
     * for a Bidirectional layer with merge_mode=None (two outputs).
     */
    public float[] forward(float[] inputs, int batch, int time) {
        requireArrayCall(DType.FLOAT32, inputs == null ? -1 : inputs.length, batch, time);
        for (int i = 0; i < inputs.length; i++) {
            if (!Float.isFinite(inputs[i])) {
                throw nonFinite(inputs[i], i);
            }
        }
        return owner.floatModel().forwardValues(arrayCall(), inputs, batch, time, floatWeights);
    }

    /** As {@link #forward(float[], int, int)}, for a float64 layer: inputs and output as doubles. */
    public double[] forward(double[] inputs, int batch, int time) {
        requireArrayCall(DType.FLOAT64, inputs == null ? -1 : inputs.length, batch, time);
        for (int i = 0; i < inputs.length; i++) {
            if (!Double.isFinite(inputs[i])) {
                throw nonFinite(inputs[i], i);
            }
        }
        return owner.doubleModel().forwardValues(arrayCall(), inputs, batch, time, doubleWeights);
    }

    /** The refusal of a non-finite input value, worded as for a tensor's (see {@link #checkedInputs}). */
    private IllegalArgumentException nonFinite(double value, int index) {
        return new IllegalArgumentException(layer.describe() + ": inputs have a non-finite value (" + value
                + ") at flat index " + index);
    }

    private CallInputs arrayCall() {
        return new CallInputs(layer, null, null, List.of(), List.of());
    }

    /** The checks {@link #checkedInputs} makes on a tensor, for inputs given as an array of {@code length} values. */
    private void requireArrayCall(DType arrayType, int length, int batch, int time) {
        String who = layer.describe();
        if (dtype != arrayType) {
            throw new IllegalArgumentException("prepared layer " + who + " computes in " + dtype.kerasName()
                    + "; pass its inputs as " + (dtype == DType.FLOAT32 ? "a float[]" : "a double[]")
                    + ", not " + (arrayType == DType.FLOAT32 ? "a float[]" : "a double[]"));
        }
        boolean ids = layer instanceof EmbeddingSpec
                || (layer instanceof SequentialSpec s && s.layers().get(0) instanceof EmbeddingSpec);
        if (ids) {
            throw new IllegalArgumentException(who + " starts with an Embedding: pass its token ids as a tensor"
                    + " (forward(Tensor)), not as an array of features");
        }
        if (layer instanceof BidirectionalSpec b && b.mergeMode() == rnnkit.model.MergeMode.NONE) {
            throw new IllegalArgumentException(who + " has merge_mode=None (two outputs): use forward(Tensor)");
        }
        if (length < 0) {
            throw new IllegalArgumentException(who + ": inputs are null");
        }
        if (batch < 1) {
            throw new IllegalArgumentException(who + ": batch size is " + batch + "; expected at least 1");
        }
        if (time < 1) {
            throw new IllegalArgumentException(who + ": sequence has " + time + " time steps; expected at least 1");
        }
        long expected = (long) batch * time * inputDim;
        if (length != expected) {
            throw new IllegalArgumentException(who + ": inputs have " + length + " values; expected batch × time ×"
                    + " features = " + batch + " × " + time + " × " + inputDim + " = " + expected);
        }
    }

    /** Gradients of the inference call on {@code inputs} (see {@link #forward(Tensor)}) for {@code cotangent}. */
    public LayerGradients backward(Tensor inputs, LayerOutputs cotangent) {
        return gradients(new CallInputs(layer, checkedInputs(inputs), null, List.of(), List.of()), cotangent);
    }

    /** Gradients of {@code call} (see {@link #forward(LayerCall)}) for {@code cotangent}. */
    @Override
    public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
        checkCall(call);
        return gradients(CallInputs.of(call), cotangent);
    }

    private LayerOutputs run(CallInputs in) {
        return dtype == DType.FLOAT32 ? owner.floatModel().forward(in, floatWeights)
                : owner.doubleModel().forward(in, doubleWeights);
    }

    private LayerGradients gradients(CallInputs in, LayerOutputs cotangent) {
        if (cotangent == null) {
            throw new IllegalArgumentException(layer.describe() + ": cotangent is null; expected one tensor per output");
        }
        return dtype == DType.FLOAT32 ? owner.floatModel().backward(in, floatWeights, cotangent)
                : owner.doubleModel().backward(in, doubleWeights, cotangent);
    }

    private void checkCall(LayerCall call) {
        if (call == null) {
            throw new IllegalArgumentException(layer.describe() + ": call is null");
        }
        if (!call.layer().equals(layer)) {
            throw new IllegalArgumentException("prepared layer " + layer.describe() + " got a call of "
                    + call.layer().describe() + "; expected a call of the layer it was prepared for");
        }
        if (call.dtype() != dtype) {
            throw new IllegalArgumentException("prepared layer " + layer.describe() + " computes in "
                    + dtype.kerasName() + "; the call asks for " + call.dtype().kerasName());
        }
        List<Tensor> w = call.weights();
        boolean same = w.size() == preparedFrom.size();
        for (int i = 0; same && i < w.size(); i++) {
            same = preparedFrom.get(i).get() == w.get(i);
        }
        if (!same) {
            throw new IllegalArgumentException("prepared layer " + layer.describe() + " got a call with other weight"
                    + " tensors than it was prepared from; prepare a layer for those weights");
        }
    }

    /** The checks a LayerCall makes on inputs alone: shape, feature count, token ids, finite values. */
    private Tensor checkedInputs(Tensor x) {
        String who = layer.describe();
        if (x == null) {
            throw new IllegalArgumentException(who + ": inputs are null");
        }
        boolean ids = layer instanceof EmbeddingSpec
                || (layer instanceof SequentialSpec s && s.layers().get(0) instanceof EmbeddingSpec);
        if (ids) {
            EmbeddingSpec e = layer instanceof EmbeddingSpec es ? es : (EmbeddingSpec) ((SequentialSpec) layer).layers().get(0);
            if (x.rank() != 2) {
                throw new IllegalArgumentException(who + ": token ids have shape " + Tensor.shapeString(x.shape())
                        + "; expected (batch, time)");
            }
            double[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                if (d[i] != Math.rint(d[i]) || d[i] < 0 || d[i] >= e.vocabularySize()) {
                    throw new IllegalArgumentException(who + ": token id " + d[i] + " at flat index " + i
                            + " is not an integer in [0, " + e.vocabularySize() + ")");
                }
            }
        } else if (layer instanceof DenseSpec && x.rank() == 2) {
            checkFeatures(who, x, x.dim(1));
        } else {
            if (x.rank() != 3) {
                throw new IllegalArgumentException(who + ": inputs have shape " + Tensor.shapeString(x.shape())
                        + "; expected (batch, time, features)");
            }
            checkFeatures(who, x, x.dim(2));
        }
        if (x.dim(0) < 1) {
            throw new IllegalArgumentException(who + ": batch size is " + x.dim(0) + "; expected at least 1");
        }
        if (x.rank() >= 2 && x.dim(1) < 1 && !(layer instanceof DenseSpec)) {
            throw new IllegalArgumentException(who + ": sequence has " + x.dim(1) + " time steps; expected at least 1");
        }
        int bad = x.firstNonFinite();
        if (bad >= 0) {
            throw nonFinite(x.data()[bad], bad);
        }
        return x;
    }

    private void checkFeatures(String who, Tensor x, int features) {
        if (features != inputDim) {
            String what = layer instanceof RnnLayerSpec || layer instanceof BidirectionalSpec || layer instanceof DenseSpec
                    ? "its weights were prepared for " : "the model expects ";
            throw new IllegalArgumentException(who + ": inputs have " + features + " features; " + what + inputDim);
        }
    }
}
