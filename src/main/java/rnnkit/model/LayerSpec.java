package rnnkit.model;

import java.util.List;

/**
 * A layer of a Keras model as rnnkit understands it: a recurrent layer, a Bidirectional wrapper, the Embedding,
 * Dense, Activation, Dropout and Masking layers of the tutorial models, or a Sequential stack of them.
 */
public sealed interface LayerSpec permits RnnLayerSpec, BidirectionalSpec, EmbeddingSpec, DenseSpec,
        WeightlessLayerSpec, SequentialSpec {

    /** Keras class name, as in a model summary ("LSTM", "Bidirectional", "RNN" for stacked cells, ...). */
    String kerasClassName();

    /** Keras weight names in get_weights() order. */
    List<String> weightNames();

    /** Expected weight shapes in get_weights() order for the given input feature dimension. */
    List<int[]> weightShapes(int inputDim);

    /** Feature dimension of the (main) output for the given input feature dimension. */
    int outputDim(int inputDim);

    /** Keras trainable parameter count for the given input feature dimension. */
    default long parameterCount(int inputDim) {
        long n = 0;
        for (int[] s : weightShapes(inputDim)) {
            n += Tensor.elementCount(s);
        }
        return n;
    }

    /**
     * Checks weights against the expected shapes and values (finite), with an error that names the layer,
     * the weight and the expected shape, e.g. {@code LSTM(units=4) kernel has shape [5, 12]; with input_dim 5 it
     * needs [5, 16]}.
     */
    default void validateWeights(int inputDim, List<Tensor> weights) {
        List<int[]> shapes = weightShapes(inputDim);
        List<String> names = weightNames();
        String who = describe();
        if (weights == null) {
            throw new IllegalArgumentException(who + " weights are null; expected " + names);
        }
        if (weights.size() != shapes.size()) {
            throw new IllegalArgumentException(who + " got " + weights.size() + " weight arrays; expected "
                    + shapes.size() + " " + names);
        }
        for (int i = 0; i < shapes.size(); i++) {
            Tensor w = weights.get(i);
            if (w == null) {
                throw new IllegalArgumentException(who + " " + names.get(i) + " is null");
            }
            if (!w.hasShape(shapes.get(i))) {
                throw new IllegalArgumentException(who + " " + names.get(i) + " has shape " + Tensor.shapeString(w.shape())
                        + "; with input_dim " + inputDim + " it needs " + Tensor.shapeString(shapes.get(i)));
            }
            int bad = w.firstNonFinite();
            if (bad >= 0) {
                throw new IllegalArgumentException(who + " " + names.get(i) + " has a non-finite value ("
                        + w.data()[bad] + ") at flat index " + bad + "; weights must be finite");
            }
        }
    }

    /** Short description for messages, e.g. {@code LSTM(units=4)}. */
    String describe();
}
