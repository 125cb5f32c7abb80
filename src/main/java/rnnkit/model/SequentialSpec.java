package rnnkit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Keras {@code Sequential} model of the layers rnnkit knows (Embedding, recurrent layers, Bidirectional, Dense,
 * Activation, Dropout, Masking), enough to express the tutorial models. Masks flow as in Keras: an Embedding with
 * {@code mask_zero} or a Masking layer creates one, recurrent layers that return sequences pass it on, a recurrent
 * layer returning only its last output consumes it, Dense, Activation and Dropout pass it through.
 *
 * @param inputDim features per time step of the model input; ignored (may be 0) when the first layer is an Embedding
 * @param inputTime the time length the model's Input declares, or 0 for Keras {@code None} (only the summary uses it)
 * @param name the model's name (Keras {@code sequential})
 * @param layerNames one name per layer as Keras names them ({@code lstm}, {@code dense_1}, ...); empty for the names
 *     Keras gives a freshly built model ({@link #kerasDefaultNames})
 * @param layerClasses one Keras class name per layer as the config says (it tells {@code RNN(LSTMCell(10))} from the
 *     equal {@code LSTM(10)}); empty for each spec's {@link LayerSpec#kerasClassName()}
 */
public record SequentialSpec(List<LayerSpec> layers, int inputDim, int inputTime, String name, List<String> layerNames,
                             List<String> layerClasses) implements LayerSpec {

    public SequentialSpec(List<LayerSpec> layers, int inputDim) {
        this(layers, inputDim, 0, "sequential", List.of(), List.of());
    }

    public SequentialSpec(List<LayerSpec> layers, int inputDim, int inputTime, String name, List<String> layerNames) {
        this(layers, inputDim, inputTime, name, layerNames, List.of());
    }

    public SequentialSpec {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("a Sequential model needs at least one layer");
        }
        layers = List.copyOf(layers);
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            if (l instanceof SequentialSpec) {
                throw new IllegalArgumentException("layer " + i + ": nested Sequential models are not supported");
            }
            if (l instanceof EmbeddingSpec && i != 0) {
                throw new IllegalArgumentException("layer " + i + ": an Embedding must be the first layer");
            }
            if ((l instanceof RnnLayerSpec r && r.returnState()) || (l instanceof BidirectionalSpec b && b.returnState())) {
                throw new IllegalArgumentException("layer " + i + " (" + l.describe()
                        + "): return_state is not supported inside a Sequential model");
            }
            if (l instanceof BidirectionalSpec b && b.mergeMode() == MergeMode.NONE) {
                throw new IllegalArgumentException("layer " + i + ": Bidirectional merge_mode=None returns two tensors"
                        + " and cannot feed a Sequential model");
            }
        }
        if (!(layers.get(0) instanceof EmbeddingSpec) && inputDim <= 0) {
            throw new IllegalArgumentException("Sequential input_dim is " + inputDim
                    + "; expected a positive feature count (or an Embedding as first layer)");
        }
        if (inputTime < 0) {
            throw new IllegalArgumentException("Sequential input time length is " + inputTime
                    + "; expected a positive length or 0 for None");
        }
        name = name == null || name.isBlank() ? "sequential" : name;
        layerNames = layerNames == null ? List.of() : List.copyOf(layerNames);
        if (!layerNames.isEmpty() && layerNames.size() != layers.size()) {
            throw new IllegalArgumentException("Sequential has " + layers.size() + " layers but " + layerNames.size()
                    + " layer names " + layerNames);
        }
        layerClasses = layerClasses == null ? List.of() : List.copyOf(layerClasses);
        if (!layerClasses.isEmpty() && layerClasses.size() != layers.size()) {
            throw new IllegalArgumentException("Sequential has " + layers.size() + " layers but " + layerClasses.size()
                    + " layer class names " + layerClasses);
        }
        // Every recurrent or Masking layer after the first must receive a sequence.
        boolean sequence = true;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            boolean needsSequence = l instanceof RnnLayerSpec || l instanceof BidirectionalSpec || l instanceof MaskingSpec;
            if (needsSequence && !sequence) {
                throw new IllegalArgumentException("layer " + i + " (" + l.describe() + ") needs a sequence, but the layer"
                        + " before it returns only its last output; set return_sequences=True on layer " + (i - 1));
            }
            sequence = returnsSequence(l, sequence);
            l.outputDim(layerInputDim(layers, inputDim, i)); // an odd width for glu fails here
        }
    }

    public static SequentialSpec of(int inputDim, LayerSpec... layers) {
        return new SequentialSpec(List.of(layers), inputDim);
    }

    /** The same model with Keras's names for it and its layers. */
    public SequentialSpec withNames(String modelName, List<String> names) {
        return new SequentialSpec(layers, inputDim, inputTime, modelName, names, layerClasses);
    }

    /** The same model with the time length its Input declares (0 for None). */
    public SequentialSpec withInputTime(int time) {
        return new SequentialSpec(layers, inputDim, time, name, layerNames, layerClasses);
    }

    /** The Keras class name of layer i: from the config when known, else the spec's. */
    public String layerClass(int i) {
        return layerClasses.isEmpty() ? layers.get(i).kerasClassName() : layerClasses.get(i);
    }

    /** Input feature dimension of layer i. */
    public int layerInputDim(int i) {
        return layerInputDim(layers, inputDim, i);
    }

    private static int layerInputDim(List<LayerSpec> layers, int inputDim, int i) {
        int d = inputDim;
        for (int j = 0; j < i; j++) {
            d = layers.get(j).outputDim(d);
        }
        return d;
    }

    /** Whether the output of {@code layer} keeps the time axis, given whether its input does. */
    static boolean returnsSequence(LayerSpec layer, boolean inputIsSequence) {
        if (layer instanceof RnnLayerSpec r) {
            return r.returnSequences();
        }
        if (layer instanceof BidirectionalSpec b) {
            return b.returnSequences();
        }
        return inputIsSequence;
    }

    /** Whether the input of layer i keeps the time axis. */
    public boolean layerInputIsSequence(int i) {
        boolean sequence = true;
        for (int j = 0; j < i; j++) {
            sequence = returnsSequence(layers.get(j), sequence);
        }
        return sequence;
    }

    /** The Dropout layers that draw a mask in training (0 &lt; rate &lt; 1), as indices into {@link #layers()}. */
    public List<Integer> maskedDropoutLayers() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof DropoutSpec d && d.drawsMask()) {
                out.add(i);
            }
        }
        return out;
    }

    /** Layer names: the ones Keras reported, or those Keras gives a freshly built model of these layers. */
    public List<String> names() {
        return layerNames.isEmpty() ? kerasDefaultNames(layers) : layerNames;
    }

    /**
     * The names Keras 3 gives the layers of a model built in a fresh session: the snake_case class name, then
     * {@code _1}, {@code _2}, ... for later layers of the same class. A Bidirectional's inner layer is built first
     * and takes a name of its own class (so {@code Bidirectional(LSTM)} then {@code LSTM} names the second
     * {@code lstm_1}).
     */
    public static List<String> kerasDefaultNames(List<LayerSpec> layers) {
        java.util.Map<String, Integer> used = new java.util.HashMap<>();
        List<String> out = new ArrayList<>();
        for (LayerSpec l : layers) {
            if (l instanceof BidirectionalSpec b) {
                autoName(used, b.forward().kerasClassName());
            }
            out.add(autoName(used, l.kerasClassName()));
        }
        return out;
    }

    private static String autoName(java.util.Map<String, Integer> used, String kerasClass) {
        String base = snakeCase(kerasClass);
        int n = used.merge(base, 1, Integer::sum) - 1;
        return n == 0 ? base : base + "_" + n;
    }

    /** Keras's to_snake_case: "SimpleRNN" to "simple_rnn", "LSTM" to "lstm". */
    static String snakeCase(String name) {
        String s = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(Locale.ROOT);
    }

    /** Index of layer i's first weight in the model's flattened get_weights() list. */
    public int weightOffset(int layer) {
        int off = 0;
        for (int j = 0; j < layer; j++) {
            off += layers.get(j).weightNames().size();
        }
        return off;
    }

    @Override
    public String kerasClassName() {
        return "Sequential";
    }

    @Override
    public List<String> weightNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (String n : layers.get(i).weightNames()) {
                names.add("layer_" + i + "/" + n);
            }
        }
        return names;
    }

    @Override
    public List<int[]> weightShapes(int ignored) {
        List<int[]> s = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            s.addAll(layers.get(i).weightShapes(layerInputDim(i)));
        }
        return s;
    }

    @Override
    public int outputDim(int ignored) {
        return layerInputDim(layers.size());
    }

    public long parameterCount() {
        return parameterCount(inputDim);
    }

    /** True if the model's output keeps the time axis. */
    public boolean outputIsSequence() {
        return layerInputIsSequence(layers.size());
    }

    /**
     * The table Keras 3's {@code model.summary()} prints for this model with float32 weights, at Keras's default
     * width for a terminal of at least 92 columns (88 characters): see {@link ModelSummary}.
     */
    public String summary() {
        return ModelSummary.render(this, DType.FLOAT32, ModelSummary.DEFAULT_LINE_LENGTH);
    }

    /** {@code model.summary(line_length=lineLength)} for weights of the given dtype. */
    public String summary(DType dtype, int lineLength) {
        return ModelSummary.render(this, dtype, lineLength);
    }

    @Override
    public String describe() {
        return "Sequential(" + layers.size() + " layers)";
    }
}
