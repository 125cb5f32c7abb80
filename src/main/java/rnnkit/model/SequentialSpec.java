package rnnkit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Keras {@code Sequential} model of the layers rnnkit knows (Embedding, recurrent layers, Bidirectional, Dense),
 * enough to express the tutorial models. Masks flow as in Keras: an Embedding with {@code mask_zero} creates one,
 * recurrent layers that return sequences pass it on, a recurrent layer returning only its last output consumes it,
 * Dense passes it through.
 *
 * @param inputDim features per time step of the model input; ignored (may be 0) when the first layer is an Embedding
 */
public record SequentialSpec(List<LayerSpec> layers, int inputDim) implements LayerSpec {
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
        // Every recurrent layer after the first must receive a sequence.
        boolean sequence = true;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            boolean recurrent = l instanceof RnnLayerSpec || l instanceof BidirectionalSpec;
            if (recurrent && !sequence) {
                throw new IllegalArgumentException("layer " + i + " (" + l.describe() + ") needs a sequence, but the layer"
                        + " before it returns only its last output; set return_sequences=True on layer " + (i - 1));
            }
            if (l instanceof RnnLayerSpec r) {
                sequence = r.returnSequences();
            } else if (l instanceof BidirectionalSpec b) {
                sequence = b.returnSequences();
            }
        }
    }

    public static SequentialSpec of(int inputDim, LayerSpec... layers) {
        return new SequentialSpec(List.of(layers), inputDim);
    }

    /** Input feature dimension of layer i. */
    public int layerInputDim(int i) {
        int d = inputDim;
        for (int j = 0; j < i; j++) {
            d = layers.get(j).outputDim(d);
        }
        return d;
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
        boolean sequence = true;
        for (LayerSpec l : layers) {
            if (l instanceof RnnLayerSpec r) {
                sequence = r.returnSequences();
            } else if (l instanceof BidirectionalSpec b) {
                sequence = b.returnSequences();
            }
        }
        return sequence;
    }

    /** A Keras-style model summary: one row per layer with output shape and parameter count, then the total. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String rule = "-".repeat(72) + "\n";
        sb.append(String.format(Locale.ROOT, "%-36s %-22s %12s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append(rule.replace('-', '='));
        boolean sequence = true;
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            if (l instanceof RnnLayerSpec r) {
                sequence = r.returnSequences();
            } else if (l instanceof BidirectionalSpec b) {
                sequence = b.returnSequences();
            }
            int out = l.outputDim(layerInputDim(i));
            long p = l.parameterCount(layerInputDim(i));
            total += p;
            String shape = sequence ? "(None, None, " + out + ")" : "(None, " + out + ")";
            sb.append(String.format(Locale.ROOT, "%-36s %-22s %,12d%n", l.describe() + " (" + l.kerasClassName() + ")", shape, p));
        }
        sb.append(rule.replace('-', '='));
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        return sb.toString();
    }

    @Override
    public String describe() {
        return "Sequential(" + layers.size() + " layers)";
    }
}
