package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one call of a layer needs, validated on construction so that every implementation sees only
 * well-formed input: the layer, its weights in Keras get_weights() order, batch-major inputs, an optional mask,
 * optional initial states, and explicit dropout masks for training.
 *
 * <p>Inputs are {@code (batch, time, features)}; for a model starting with an Embedding they are token ids
 * {@code (batch, time)}. Initial states are empty (zeros) or one {@code (batch, units)} tensor per state, flattened
 * as Keras orders them (cells in order, LSTM h then c; Bidirectional forward half first). Dropout masks are empty
 * (no dropout: inference, or rates of 0) or one {@link CellDropoutMasks} per recurrent cell in order (stacked cells
 * in order; Bidirectional forward cells then backward cells; Sequential layers in order).
 *
 * @param dropoutLayerMasks training only: one mask per Dropout layer that draws one (0 &lt; rate &lt; 1), in model
 *     order, shaped as the layer's noise shape on its input (see {@link DropoutSpec#maskShape}), values 0 or
 *     1/(1 - rate); empty otherwise
 * @param dtype the precision the implementation should compute in; the reference always computes in double
 */
public record LayerCall(
        LayerSpec layer,
        List<Tensor> weights,
        Tensor inputs,
        SequenceMask mask,
        List<Tensor> initialStates,
        List<CellDropoutMasks> dropoutMasks,
        List<Tensor> dropoutLayerMasks,
        boolean training,
        DType dtype) {

    /** A call without Dropout-layer masks. */
    public LayerCall(LayerSpec layer, List<Tensor> weights, Tensor inputs, SequenceMask mask, List<Tensor> initialStates,
                     List<CellDropoutMasks> dropoutMasks, boolean training, DType dtype) {
        this(layer, weights, inputs, mask, initialStates, dropoutMasks, List.of(), training, dtype);
    }

    public LayerCall {
        if (layer == null) {
            throw new IllegalArgumentException("layer is null");
        }
        if (inputs == null) {
            throw new IllegalArgumentException(layer.describe() + ": inputs are null");
        }
        weights = weights == null ? null : List.copyOf(weights);
        initialStates = initialStates == null ? List.of() : List.copyOf(initialStates);
        dropoutMasks = dropoutMasks == null ? List.of() : List.copyOf(dropoutMasks);
        dropoutLayerMasks = dropoutLayerMasks == null ? List.of() : List.copyOf(dropoutLayerMasks);
        dtype = dtype == null ? DType.FLOAT64 : dtype;
        validate(layer, weights, inputs, mask, initialStates, dropoutMasks, training);
        validateDropoutLayerMasks(layer, inputs, dropoutLayerMasks, training);
    }

    /** An inference call with no mask, zero initial states and no dropout, in float64. */
    public static LayerCall of(LayerSpec layer, List<Tensor> weights, Tensor inputs) {
        return new LayerCall(layer, weights, inputs, null, List.of(), List.of(), false, DType.FLOAT64);
    }

    public LayerCall withMask(SequenceMask m) {
        return new LayerCall(layer, weights, inputs, m, initialStates, dropoutMasks, dropoutLayerMasks, training, dtype);
    }

    public LayerCall withInitialStates(List<Tensor> states) {
        return new LayerCall(layer, weights, inputs, mask, states, dropoutMasks, dropoutLayerMasks, training, dtype);
    }

    public LayerCall withInputs(Tensor x) {
        return new LayerCall(layer, weights, x, mask, initialStates, dropoutMasks, dropoutLayerMasks, training, dtype);
    }

    public LayerCall withWeights(List<Tensor> w) {
        return new LayerCall(layer, w, inputs, mask, initialStates, dropoutMasks, dropoutLayerMasks, training, dtype);
    }

    public LayerCall withLayer(LayerSpec l) {
        return new LayerCall(l, weights, inputs, mask, initialStates, dropoutMasks, dropoutLayerMasks, training, dtype);
    }

    /** A training call with the given dropout masks, one per recurrent cell. */
    public LayerCall withDropout(List<CellDropoutMasks> masks) {
        return new LayerCall(layer, weights, inputs, mask, initialStates, masks, dropoutLayerMasks, true, dtype);
    }

    /** A training call with the given masks of the Dropout layers (one per layer that draws one, in order). */
    public LayerCall withDropoutLayerMasks(List<Tensor> masks) {
        return new LayerCall(layer, weights, inputs, mask, initialStates, dropoutMasks, masks, true, dtype);
    }

    public LayerCall withDtype(DType d) {
        return new LayerCall(layer, weights, inputs, mask, initialStates, dropoutMasks, dropoutLayerMasks, training, d);
    }

    public int batch() {
        return inputs.dim(0);
    }

    public int time() {
        return inputs.dim(1);
    }

    /** Dropout masks of recurrent cell {@code i} (in the order documented above), or none. */
    public CellDropoutMasks dropoutMasks(int cell) {
        return dropoutMasks.isEmpty() ? CellDropoutMasks.none() : dropoutMasks.get(cell);
    }

    /** The recurrent cells of a layer in dropout-mask order, with the input dimension each one sees. */
    public static List<CellSpec> recurrentCells(LayerSpec layer) {
        List<CellSpec> cells = new ArrayList<>();
        if (layer instanceof RnnLayerSpec r) {
            cells.addAll(r.cells());
        } else if (layer instanceof BidirectionalSpec b) {
            cells.addAll(b.forward().cells());
            cells.addAll(b.backward().cells());
        } else if (layer instanceof SequentialSpec s) {
            for (LayerSpec l : s.layers()) {
                cells.addAll(recurrentCells(l));
            }
        }
        return cells;
    }

    /** Input width of every recurrent cell of a layer, in dropout-mask order. */
    public static List<Integer> recurrentCellInputDims(LayerSpec layer, int inputDim) {
        List<Integer> dims = new ArrayList<>();
        if (layer instanceof RnnLayerSpec r) {
            for (int i = 0; i < r.cells().size(); i++) {
                dims.add(r.cellInputDim(i, inputDim));
            }
        } else if (layer instanceof BidirectionalSpec b) {
            dims.addAll(recurrentCellInputDims(b.forward(), inputDim));
            dims.addAll(recurrentCellInputDims(b.backward(), inputDim));
        } else if (layer instanceof SequentialSpec s) {
            for (int i = 0; i < s.layers().size(); i++) {
                dims.addAll(recurrentCellInputDims(s.layers().get(i), s.layerInputDim(i)));
            }
        }
        return dims;
    }

    private static void validate(LayerSpec layer, List<Tensor> weights, Tensor inputs, SequenceMask mask,
                                 List<Tensor> initialStates, List<CellDropoutMasks> dropout, boolean training) {
        String who = layer.describe();
        boolean ids = layer instanceof EmbeddingSpec
                || (layer instanceof SequentialSpec s && s.layers().get(0) instanceof EmbeddingSpec);
        int inputDim;
        if (ids) {
            if (inputs.rank() != 2) {
                throw new IllegalArgumentException(who + ": token ids have shape " + Tensor.shapeString(inputs.shape())
                        + "; expected (batch, time)");
            }
            EmbeddingSpec e = layer instanceof EmbeddingSpec es ? es : (EmbeddingSpec) ((SequentialSpec) layer).layers().get(0);
            double[] d = inputs.data();
            for (int i = 0; i < d.length; i++) {
                if (d[i] != Math.rint(d[i]) || d[i] < 0 || d[i] >= e.vocabularySize()) {
                    throw new IllegalArgumentException(who + ": token id " + d[i] + " at flat index " + i
                            + " is not an integer in [0, " + e.vocabularySize() + ")");
                }
            }
            inputDim = layer instanceof SequentialSpec s ? s.inputDim() : 0;
        } else if (actsOnLastAxis(layer) && inputs.rank() == 2) {
            inputDim = inputs.dim(1);
        } else {
            if (inputs.rank() != 3) {
                throw new IllegalArgumentException(who + ": inputs have shape " + Tensor.shapeString(inputs.shape())
                        + "; expected (batch, time, features)");
            }
            inputDim = inputs.dim(2);
            if (layer instanceof SequentialSpec s && s.inputDim() != inputDim) {
                throw new IllegalArgumentException(who + ": inputs have " + inputDim + " features; the model expects "
                        + s.inputDim());
            }
        }
        if (inputs.dim(0) < 1) {
            throw new IllegalArgumentException(who + ": batch size is " + inputs.dim(0) + "; expected at least 1");
        }
        if (inputs.rank() >= 2 && inputs.dim(1) < 1 && !actsOnLastAxis(layer)) {
            throw new IllegalArgumentException(who + ": sequence has " + inputs.dim(1) + " time steps; expected at least 1");
        }
        int bad = inputs.firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException(who + ": inputs have a non-finite value (" + inputs.data()[bad]
                    + ") at flat index " + bad);
        }
        layer.validateWeights(inputDim, weights);
        int batch = inputs.dim(0);
        if (mask != null) {
            if (inputs.rank() < 3 && !ids) {
                throw new IllegalArgumentException(who + ": a mask needs sequence inputs (batch, time, features)");
            }
            if (mask.batch() != batch || mask.time() != inputs.dim(1)) {
                throw new IllegalArgumentException(who + ": mask has shape [" + mask.batch() + ", " + mask.time()
                        + "]; expected (batch, time) = [" + batch + ", " + inputs.dim(1) + "]");
            }
        }
        List<int[]> stateShapes = stateShapes(layer, batch);
        if (!initialStates.isEmpty()) {
            if (stateShapes.isEmpty()) {
                throw new IllegalArgumentException(who + ": initial states given, but this layer takes none");
            }
            if (initialStates.size() != stateShapes.size()) {
                throw new IllegalArgumentException(who + ": got " + initialStates.size() + " initial states; expected "
                        + stateShapes.size());
            }
            for (int i = 0; i < stateShapes.size(); i++) {
                Tensor s = initialStates.get(i);
                if (s == null || !s.hasShape(stateShapes.get(i))) {
                    throw new IllegalArgumentException(who + ": initial state " + i + " has shape "
                            + (s == null ? "null" : Tensor.shapeString(s.shape())) + "; expected "
                            + Tensor.shapeString(stateShapes.get(i)));
                }
                int nf = s.firstNonFinite();
                if (nf >= 0) {
                    throw new IllegalArgumentException(who + ": initial state " + i + " has a non-finite value at flat index " + nf);
                }
            }
        }
        List<CellSpec> cells = recurrentCells(layer);
        List<Integer> dims = recurrentCellInputDims(layer, inputDim);
        if (!dropout.isEmpty()) {
            if (!training) {
                throw new IllegalArgumentException(who + ": dropout masks given for an inference call (training=false)");
            }
            if (dropout.size() != cells.size()) {
                throw new IllegalArgumentException(who + ": got dropout masks for " + dropout.size() + " cells; expected "
                        + cells.size());
            }
            for (int i = 0; i < cells.size(); i++) {
                dropout.get(i).validate(who + " cell " + i, cells.get(i), batch, dims.get(i));
            }
        }
        if (training) {
            for (int i = 0; i < cells.size(); i++) {
                CellDropoutMasks m = dropout.isEmpty() ? CellDropoutMasks.none() : dropout.get(i);
                CellSpec c = cells.get(i);
                if (c.dropout() > 0 && c.dropout() < 1 && m.inputMasks().isEmpty()) {
                    throw new IllegalArgumentException(who + " cell " + i + ": training with dropout " + c.dropout()
                            + " needs explicit input dropout masks (rnnkit does not draw random masks)");
                }
                if (c.recurrentDropout() > 0 && c.recurrentDropout() < 1 && m.recurrentMasks().isEmpty()) {
                    throw new IllegalArgumentException(who + " cell " + i + ": training with recurrent_dropout "
                            + c.recurrentDropout() + " needs explicit recurrent dropout masks");
                }
            }
        }
    }

    /**
     * Shapes of the main outputs this call produces: one, or two for Bidirectional {@code merge_mode=None}.
     * Sequences are (batch, time, width), last outputs (batch, width).
     */
    public List<int[]> outputShapes() {
        return outputShapes(layer, inputs);
    }

    /** Dense, Activation and Dropout act on the last axis and accept (batch, features) as well as sequences. */
    private static boolean actsOnLastAxis(LayerSpec layer) {
        return layer instanceof DenseSpec || layer instanceof ActivationLayerSpec || layer instanceof DropoutSpec;
    }

    /**
     * The input shape of every Dropout layer that draws a mask, in model order: the call's inputs for a Dropout
     * layer alone; in a Sequential model (batch, time, features) or (batch, features) as the layers before it leave it.
     */
    public static List<int[]> dropoutLayerInputShapes(LayerSpec layer, Tensor inputs) {
        List<int[]> out = new ArrayList<>();
        if (layer instanceof DropoutSpec d && d.drawsMask()) {
            out.add(inputs.shape());
        } else if (layer instanceof SequentialSpec s) {
            for (int i : s.maskedDropoutLayers()) {
                int dim = s.layerInputDim(i);
                out.add(s.layerInputIsSequence(i) ? new int[] {inputs.dim(0), inputs.dim(1), dim}
                        : new int[] {inputs.dim(0), dim});
            }
        }
        return out;
    }

    private static void validateDropoutLayerMasks(LayerSpec layer, Tensor inputs, List<Tensor> masks, boolean training) {
        String who = layer.describe();
        if (!masks.isEmpty() && !training) {
            throw new IllegalArgumentException(who + ": Dropout layer masks given for an inference call (training=false)");
        }
        if (!training) {
            return;
        }
        List<int[]> inputShapes = dropoutLayerInputShapes(layer, inputs);
        List<DropoutSpec> layers = new ArrayList<>();
        if (layer instanceof DropoutSpec d && d.drawsMask()) {
            layers.add(d);
        } else if (layer instanceof SequentialSpec s) {
            for (int i : s.maskedDropoutLayers()) {
                layers.add((DropoutSpec) s.layers().get(i));
            }
        }
        if (masks.size() != layers.size()) {
            throw new IllegalArgumentException(who + ": training with " + layers.size() + " Dropout layer(s) that draw a"
                    + " mask needs one explicit mask each (rnnkit does not draw random masks); got " + masks.size());
        }
        for (int i = 0; i < masks.size(); i++) {
            int[] expected = layers.get(i).maskShape(inputShapes.get(i));
            Tensor m = masks.get(i);
            if (m == null || !m.hasShape(expected)) {
                throw new IllegalArgumentException(who + ": mask of " + layers.get(i).describe() + " (Dropout layer "
                        + i + ") has shape " + (m == null ? "null" : Tensor.shapeString(m.shape())) + "; expected "
                        + Tensor.shapeString(expected));
            }
            int bad = m.firstNonFinite();
            if (bad >= 0) {
                throw new IllegalArgumentException(who + ": mask of Dropout layer " + i
                        + " has a non-finite value at flat index " + bad);
            }
        }
    }

    private static List<int[]> outputShapes(LayerSpec layer, Tensor inputs) {
        int batch = inputs.dim(0);
        int time = inputs.rank() >= 2 ? inputs.dim(1) : 0;
        if (layer instanceof RnnLayerSpec r) {
            return List.of(r.returnSequences() ? new int[] {batch, time, r.units()} : new int[] {batch, r.units()});
        }
        if (layer instanceof BidirectionalSpec b) {
            boolean seq = b.returnSequences();
            if (b.mergeMode() == MergeMode.NONE) {
                return List.of(seq ? new int[] {batch, time, b.forward().units()} : new int[] {batch, b.forward().units()},
                        seq ? new int[] {batch, time, b.backward().units()} : new int[] {batch, b.backward().units()});
            }
            int width = b.outputDim(inputs.rank() == 3 ? inputs.dim(2) : 0);
            return List.of(seq ? new int[] {batch, time, width} : new int[] {batch, width});
        }
        if (layer instanceof SequentialSpec s) {
            int width = s.outputDim(s.inputDim());
            return List.of(s.outputIsSequence() ? new int[] {batch, time, width} : new int[] {batch, width});
        }
        if (layer instanceof EmbeddingSpec e) {
            return List.of(new int[] {batch, time, e.outputDim()});
        }
        int width = layer.outputDim(inputs.dim(inputs.rank() - 1));
        return List.of(inputs.rank() == 3 ? new int[] {batch, time, width} : new int[] {batch, width});
    }

    /**
     * Checks a cotangent for a backward pass of this call: one tensor per output with the output's shape, and either
     * no state cotangents (zero) or one per final state with the state's shape.
     */
    public void validateCotangent(LayerOutputs cotangent) {
        String who = layer.describe();
        if (cotangent == null) {
            throw new IllegalArgumentException(who + ": cotangent is null");
        }
        List<int[]> outs = outputShapes();
        if (cotangent.outputs().size() != outs.size()) {
            throw new IllegalArgumentException(who + ": got " + cotangent.outputs().size() + " output cotangents; expected "
                    + outs.size() + " (one per output)");
        }
        for (int i = 0; i < outs.size(); i++) {
            Tensor c = cotangent.outputs().get(i);
            if (c == null || !c.hasShape(outs.get(i))) {
                throw new IllegalArgumentException(who + ": output cotangent " + i + " has shape "
                        + (c == null ? "null" : Tensor.shapeString(c.shape())) + "; the output has shape "
                        + Tensor.shapeString(outs.get(i)));
            }
        }
        List<int[]> states = stateShapes(layer, batch());
        if (!cotangent.states().isEmpty()) {
            if (cotangent.states().size() != states.size()) {
                throw new IllegalArgumentException(who + ": got " + cotangent.states().size() + " state cotangents; expected "
                        + states.size() + " (one per final state) or none");
            }
            for (int i = 0; i < states.size(); i++) {
                Tensor c = cotangent.states().get(i);
                if (c == null || !c.hasShape(states.get(i))) {
                    throw new IllegalArgumentException(who + ": state cotangent " + i + " has shape "
                            + (c == null ? "null" : Tensor.shapeString(c.shape())) + "; the state has shape "
                            + Tensor.shapeString(states.get(i)));
                }
            }
        }
    }

    /** Shapes of the states a layer takes and returns, flattened in Keras order; empty for stateless layers. */
    public static List<int[]> stateShapes(LayerSpec layer, int batch) {
        if (layer instanceof RnnLayerSpec r) {
            return r.stateShapes(batch);
        }
        if (layer instanceof BidirectionalSpec b) {
            List<int[]> s = new ArrayList<>(b.forward().stateShapes(batch));
            s.addAll(b.backward().stateShapes(batch));
            return s;
        }
        return List.of();
    }
}
