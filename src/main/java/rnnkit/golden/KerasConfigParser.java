package rnnkit.golden;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import rnnkit.model.Activation;
import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DenseSpec;
import rnnkit.model.DropoutSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerSpec;
import rnnkit.model.MaskingSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;

/**
 * Turns Keras 3 {@code get_config()} dicts (as JSON, with their {@code class_name}) into rnnkit layer specs:
 * SimpleRNN / LSTM / GRU, RNN with a single cell or {@code StackedRNNCells}, Bidirectional, Embedding, Dense,
 * Activation, Dropout, Masking and Sequential (whose first entry is an InputLayer giving the input shape; the layer
 * and model names are kept for the summary).
 *
 * <p>Options that change what the layer computes and that rnnkit does not model are rejected with an
 * {@link IllegalArgumentException} naming the layer and the option; options that only matter for training set-up
 * (initializers, regularizers, constraints, seeds, names) are ignored.
 */
public final class KerasConfigParser {
    private static final Set<String> FLOAT_POLICIES = Set.of("float32", "float64");

    private KerasConfigParser() {
    }

    /** Parses {@code {"class_name": ..., "config": {...}}}. */
    public static LayerSpec parse(JsonNode layer) {
        String cls = text(layer, "class_name", "layer");
        JsonNode config = layer.get("config");
        if (config == null || !config.isObject()) {
            throw new IllegalArgumentException(cls + ": missing 'config' object");
        }
        return switch (cls) {
            case "SimpleRNN", "LSTM", "GRU" -> recurrent(cls, config);
            case "RNN" -> rnnWithCells(config);
            case "Bidirectional" -> bidirectional(config);
            case "Embedding" -> embedding(config);
            case "Dense" -> dense(config);
            case "Activation" -> activationLayer(config);
            case "Dropout" -> dropout(config);
            case "Masking" -> masking(config);
            case "Sequential" -> sequential(config);
            default -> throw new IllegalArgumentException("unsupported Keras layer '" + cls + "'; expected SimpleRNN, "
                    + "LSTM, GRU, RNN, Bidirectional, Embedding, Dense, Activation, Dropout, Masking or Sequential");
        };
    }

    private static RnnLayerSpec recurrent(String cls, JsonNode c) {
        checkDtype(cls, c);
        CellSpec cell = cell(CellType.fromKeras(cls), c, cls);
        return layerOptions(List.of(cell), c, cls);
    }

    private static RnnLayerSpec rnnWithCells(JsonNode c) {
        checkDtype("RNN", c);
        JsonNode cellNode = c.get("cell");
        if (cellNode == null) {
            throw new IllegalArgumentException("RNN: missing 'cell'");
        }
        String cellClass = text(cellNode, "class_name", "RNN cell");
        List<CellSpec> cells = new ArrayList<>();
        if (cellClass.equals("StackedRNNCells")) {
            JsonNode list = cellNode.path("config").path("cells");
            if (!list.isArray() || list.isEmpty()) {
                throw new IllegalArgumentException("RNN: StackedRNNCells has no 'cells' list");
            }
            for (JsonNode one : list) {
                cells.add(cellFromNode(one));
            }
        } else {
            cells.add(cellFromNode(cellNode));
        }
        return layerOptions(cells, c, "RNN");
    }

    private static CellSpec cellFromNode(JsonNode node) {
        String cls = text(node, "class_name", "cell");
        if (!cls.endsWith("Cell")) {
            throw new IllegalArgumentException("unsupported RNN cell '" + cls
                    + "'; expected SimpleRNNCell, LSTMCell or GRUCell");
        }
        JsonNode config = node.path("config");
        checkDtype(cls, config);
        return cell(CellType.fromKeras(cls), config, cls);
    }

    private static CellSpec cell(CellType type, JsonNode c, String who) {
        int units = positiveInt(c, "units", who);
        Activation act = activation(c, "activation", who);
        Activation ract = type == CellType.SIMPLE_RNN ? Activation.SIGMOID : activation(c, "recurrent_activation", who);
        boolean useBias = bool(c, "use_bias", true);
        boolean resetAfter = type == CellType.GRU && bool(c, "reset_after", true);
        boolean unitForgetBias = type == CellType.LSTM && bool(c, "unit_forget_bias", true);
        double dropout = fraction(c, "dropout", who);
        double recurrentDropout = fraction(c, "recurrent_dropout", who);
        return new CellSpec(type, units, act, ract, useBias, resetAfter, unitForgetBias, dropout, recurrentDropout);
    }

    private static RnnLayerSpec layerOptions(List<CellSpec> cells, JsonNode c, String who) {
        if (c.has("time_major") && c.get("time_major").asBoolean()) {
            throw new IllegalArgumentException(who + ": time_major=True is not supported; rnnkit inputs are batch-major");
        }
        // unroll only changes how Keras builds the loop, not the result; accepted.
        return new RnnLayerSpec(cells, bool(c, "return_sequences", false), bool(c, "return_state", false),
                bool(c, "go_backwards", false), bool(c, "stateful", false), bool(c, "zero_output_for_mask", false));
    }

    private static BidirectionalSpec bidirectional(JsonNode c) {
        checkDtype("Bidirectional", c);
        JsonNode inner = c.get("layer");
        if (inner == null) {
            throw new IllegalArgumentException("Bidirectional: missing 'layer'");
        }
        LayerSpec fwd = parse(inner);
        if (!(fwd instanceof RnnLayerSpec forward)) {
            throw new IllegalArgumentException("Bidirectional wraps " + fwd.describe() + "; expected a recurrent layer");
        }
        JsonNode mm = c.get("merge_mode");
        MergeMode merge = mm == null || mm.isNull() ? MergeMode.NONE : MergeMode.fromKeras(mm.asText());
        JsonNode back = c.get("backward_layer");
        if (back != null && !back.isNull()) {
            LayerSpec b = parse(back);
            if (!(b instanceof RnnLayerSpec backward)) {
                throw new IllegalArgumentException("Bidirectional backward_layer is " + b.describe()
                        + "; expected a recurrent layer");
            }
            return new BidirectionalSpec(forward.withZeroOutputForMask(forward.returnSequences()),
                    backward.withZeroOutputForMask(backward.returnSequences()), merge);
        }
        return BidirectionalSpec.of(forward, merge);
    }

    private static EmbeddingSpec embedding(JsonNode c) {
        checkDtype("Embedding", c);
        if (c.has("sparse") && c.get("sparse").asBoolean()) {
            throw new IllegalArgumentException("Embedding: sparse=True is not supported");
        }
        rejectNonNull(c, "lora_rank", "Embedding");
        return new EmbeddingSpec(positiveInt(c, "input_dim", "Embedding"), positiveInt(c, "output_dim", "Embedding"),
                bool(c, "mask_zero", false));
    }

    private static DenseSpec dense(JsonNode c) {
        checkDtype("Dense", c);
        rejectNonNull(c, "lora_rank", "Dense");
        return new DenseSpec(positiveInt(c, "units", "Dense"), activation(c, "activation", "Dense"),
                bool(c, "use_bias", true));
    }

    private static ActivationLayerSpec activationLayer(JsonNode c) {
        checkDtype("Activation", c);
        if (!c.hasNonNull("activation")) {
            throw new IllegalArgumentException("Activation: missing 'activation'");
        }
        return new ActivationLayerSpec(activation(c, "activation", "Activation"));
    }

    private static DropoutSpec dropout(JsonNode c) {
        checkDtype("Dropout", c);
        JsonNode rate = c.get("rate");
        if (rate == null || !rate.isNumber()) {
            throw new IllegalArgumentException("Dropout rate is " + rate + "; expected a number in [0, 1]");
        }
        List<Integer> noise = new ArrayList<>();
        JsonNode shape = c.get("noise_shape");
        if (shape != null && !shape.isNull()) {
            if (!shape.isArray()) {
                throw new IllegalArgumentException("Dropout noise_shape is " + shape + "; expected a list or null");
            }
            for (JsonNode n : shape) {
                if (n.isNull()) {
                    noise.add(0);
                } else if (n.isIntegralNumber() && n.asInt() >= 1) {
                    noise.add(n.asInt());
                } else {
                    throw new IllegalArgumentException("Dropout noise_shape " + shape + " has entry " + n
                            + "; expected null or a positive integer");
                }
            }
        }
        // seed only changes which masks Keras draws; rnnkit is given the masks.
        return new DropoutSpec(rate.asDouble(), noise);
    }

    private static MaskingSpec masking(JsonNode c) {
        checkDtype("Masking", c);
        JsonNode v = c.get("mask_value");
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("Masking mask_value is " + v + "; expected a number");
        }
        return new MaskingSpec(v.asDouble());
    }

    private static SequentialSpec sequential(JsonNode c) {
        JsonNode list = c.get("layers");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("Sequential: missing 'layers' list");
        }
        List<LayerSpec> layers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        int inputDim = 0;
        int inputTime = 0;
        Iterator<JsonNode> it = list.elements();
        int index = 0;
        while (it.hasNext()) {
            JsonNode l = it.next();
            String cls = text(l, "class_name", "Sequential layer " + index);
            if (cls.equals("InputLayer")) {
                if (index != 0) {
                    throw new IllegalArgumentException("Sequential: InputLayer at position " + index
                            + "; expected it first");
                }
                JsonNode shape = l.path("config").path("batch_shape");
                if (!shape.isArray() || shape.size() < 2) {
                    throw new IllegalArgumentException("Sequential: InputLayer batch_shape is " + shape
                            + "; expected (batch, time[, features])");
                }
                JsonNode last = shape.get(shape.size() - 1);
                inputDim = shape.size() >= 3 && last.isInt() ? last.asInt() : 0;
                inputTime = shape.get(1).isInt() ? shape.get(1).asInt() : 0;
            } else {
                try {
                    layers.add(parse(l));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Sequential layer " + index + ": " + e.getMessage(), e);
                }
                names.add(l.path("config").path("name").asText(""));
                classes.add(cls);
            }
            index++;
        }
        boolean named = names.stream().noneMatch(String::isEmpty);
        return new SequentialSpec(layers, inputDim, inputTime, c.path("name").asText("sequential"),
                named ? names : List.of(), classes);
    }

    private static void checkDtype(String who, JsonNode c) {
        JsonNode d = c.get("dtype");
        if (d == null || d.isNull()) {
            return;
        }
        String name = d.isTextual() ? d.asText() : d.path("config").path("name").asText(null);
        if (name == null || !FLOAT_POLICIES.contains(name)) {
            throw new IllegalArgumentException(who + ": dtype policy '" + name
                    + "' is not supported; expected float32 or float64 (no mixed precision)");
        }
    }

    private static Activation activation(JsonNode c, String key, String who) {
        JsonNode a = c.get(key);
        if (a == null || a.isNull()) {
            return Activation.LINEAR;
        }
        if (!a.isTextual()) {
            throw new IllegalArgumentException(who + " " + key + " is " + a
                    + "; only activations given by their Keras name are supported");
        }
        try {
            return Activation.fromKeras(a.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(who + " " + key + ": " + e.getMessage(), e);
        }
    }

    private static void rejectNonNull(JsonNode c, String key, String who) {
        JsonNode v = c.get(key);
        if (v != null && !v.isNull()) {
            throw new IllegalArgumentException(who + ": " + key + "=" + v + " is not supported");
        }
    }

    private static String text(JsonNode node, String key, String who) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(who + ": missing text field '" + key + "'");
        }
        return v.asText();
    }

    private static int positiveInt(JsonNode c, String key, String who) {
        JsonNode v = c.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            throw new IllegalArgumentException(who + " " + key + " is " + v + "; expected a positive integer of at most "
                    + Integer.MAX_VALUE + (v != null && v.isIntegralNumber() && !v.canConvertToInt() ? " (it overflows)" : ""));
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode c, String key, boolean dflt) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(key + " is " + v + "; expected true or false");
        }
        return v.asBoolean();
    }

    private static double fraction(JsonNode c, String key, String who) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(who + " " + key + " is " + v + "; expected a number in [0, 1]");
        }
        return v.asDouble();
    }
}
