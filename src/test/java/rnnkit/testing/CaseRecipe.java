package rnnkit.testing;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.Activation;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * Everything that determines one random test case: the layer structure and options, the sizes, the mask and dropout
 * patterns, and the seed from which all numbers are drawn. {@link #build()} is deterministic, so a recipe printed by
 * a failing test (its {@link #toString()}) reproduces the case exactly.
 *
 * <p>Options that a structure cannot have are normalized away on construction (a Sequential model takes no initial
 * states and returns no states; only Bidirectional has a merge mode; reset_after applies to GRU cells only), so the
 * printed recipe always says what was really built.
 *
 * @param secondCellType cell type of the second cell (STACKED_CELLS) or second recurrent layer (SEQUENTIAL_STACK)
 * @param inputDim input features per step (the Embedding output_dim for SEQUENTIAL_EMBEDDING)
 */
public record CaseRecipe(
        LayerKind kind,
        CellType cellType,
        int units,
        Activation activation,
        Activation recurrentActivation,
        boolean useBias,
        boolean resetAfter,
        CellType secondCellType,
        int secondUnits,
        int batch,
        int time,
        int inputDim,
        boolean returnSequences,
        boolean returnState,
        boolean goBackwards,
        MergeMode mergeMode,
        MaskPattern mask,
        boolean initialStates,
        DropoutPattern dropout,
        long seed) {

    /** Vocabulary of the Embedding in SEQUENTIAL_EMBEDDING cases (id 0 is padding when masked). */
    public static final int VOCABULARY = 6;
    /** Units of the Dense head of Sequential cases. */
    public static final int DENSE_UNITS = 2;
    /** Scale of the uniform weights: small enough that 'exponential' and 'linear' cells stay bounded over a few steps. */
    public static final double WEIGHT_SCALE = 0.6;

    public CaseRecipe {
        if (kind == null || cellType == null || activation == null || recurrentActivation == null
                || secondCellType == null || mask == null || dropout == null) {
            throw new IllegalArgumentException("recipe has a null field");
        }
        if (units < 1 || secondUnits < 1 || batch < 1 || time < 1 || inputDim < 1) {
            throw new IllegalArgumentException("recipe sizes must be positive: units " + units + ", secondUnits "
                    + secondUnits + ", batch " + batch + ", time " + time + ", inputDim " + inputDim);
        }
        boolean sequential = kind == LayerKind.SEQUENTIAL_EMBEDDING || kind == LayerKind.SEQUENTIAL_STACK;
        if (sequential) {
            returnState = false;
            initialStates = false;
        }
        if (kind != LayerKind.BIDIRECTIONAL) {
            mergeMode = null;
        } else if (mergeMode == null) {
            mergeMode = MergeMode.CONCAT;
        }
        boolean secondCellBuilt = kind == LayerKind.STACKED_CELLS || kind == LayerKind.SEQUENTIAL_STACK;
        boolean anyGru = cellType == CellType.GRU || (secondCellBuilt && secondCellType == CellType.GRU);
        resetAfter = resetAfter && anyGru;
    }

    /** A single-cell layer with Keras defaults, batch 2, 4 steps, 3 features, 3 units, inference, given seed. */
    public static CaseRecipe of(CellType type, long seed) {
        return builder(type, seed).recipe();
    }

    /** A builder starting from {@link #of(CellType, long)}'s recipe. */
    public static Builder builder(CellType type, long seed) {
        return new Builder(type, seed);
    }

    /** A builder starting from this recipe. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public CaseRecipe withKind(LayerKind k) {
        return toBuilder().kind(k).recipe();
    }

    public CaseRecipe withActivations(Activation act, Activation ract) {
        return toBuilder().activations(act, ract).recipe();
    }

    public CaseRecipe withUseBias(boolean b) {
        return toBuilder().useBias(b).recipe();
    }

    public CaseRecipe withResetAfter(boolean b) {
        return toBuilder().resetAfter(b).recipe();
    }

    public CaseRecipe withSecondCell(CellType type, int u) {
        return toBuilder().secondCell(type, u).recipe();
    }

    public CaseRecipe withSizes(int b, int t, int d, int u) {
        return toBuilder().sizes(b, t, d, u).recipe();
    }

    public CaseRecipe withReturnSequences(boolean b) {
        return toBuilder().returnSequences(b).recipe();
    }

    public CaseRecipe withReturnState(boolean b) {
        return toBuilder().returnState(b).recipe();
    }

    public CaseRecipe withGoBackwards(boolean b) {
        return toBuilder().goBackwards(b).recipe();
    }

    /** Also makes the recipe Bidirectional (only Bidirectional has a merge mode). */
    public CaseRecipe withMergeMode(MergeMode m) {
        return toBuilder().kind(LayerKind.BIDIRECTIONAL).mergeMode(m).recipe();
    }

    public CaseRecipe withMask(MaskPattern m) {
        return toBuilder().mask(m).recipe();
    }

    public CaseRecipe withInitialStates(boolean b) {
        return toBuilder().initialStates(b).recipe();
    }

    public CaseRecipe withDropout(DropoutPattern d) {
        return toBuilder().dropout(d).recipe();
    }

    public CaseRecipe withSeed(long s) {
        return toBuilder().seed(s).recipe();
    }

    /**
     * The fields of a recipe, set one at a time; {@link #recipe()} makes the (normalized) recipe. The {@code with…}
     * methods of CaseRecipe are shorthands for changing one of them.
     */
    public static final class Builder {
        private LayerKind kind = LayerKind.SINGLE;
        private CellType cellType;
        private int units = 3;
        private Activation activation = Activation.TANH;
        private Activation recurrentActivation = Activation.SIGMOID;
        private boolean useBias = true;
        private boolean resetAfter;
        private CellType secondCellType;
        private int secondUnits = 2;
        private int batch = 2;
        private int time = 4;
        private int inputDim = 3;
        private boolean returnSequences;
        private boolean returnState;
        private boolean goBackwards;
        private MergeMode mergeMode;
        private MaskPattern mask = MaskPattern.NONE;
        private boolean initialStates;
        private DropoutPattern dropout = DropoutPattern.NONE;
        private long seed;

        private Builder(CellType type, long seed) {
            this.cellType = type;
            this.resetAfter = type == CellType.GRU;
            this.secondCellType = type;
            this.seed = seed;
        }

        private Builder(CaseRecipe r) {
            kind = r.kind;
            cellType = r.cellType;
            units = r.units;
            activation = r.activation;
            recurrentActivation = r.recurrentActivation;
            useBias = r.useBias;
            resetAfter = r.resetAfter;
            secondCellType = r.secondCellType;
            secondUnits = r.secondUnits;
            batch = r.batch;
            time = r.time;
            inputDim = r.inputDim;
            returnSequences = r.returnSequences;
            returnState = r.returnState;
            goBackwards = r.goBackwards;
            mergeMode = r.mergeMode;
            mask = r.mask;
            initialStates = r.initialStates;
            dropout = r.dropout;
            seed = r.seed;
        }

        public Builder kind(LayerKind k) {
            kind = k;
            return this;
        }

        public Builder cellType(CellType t) {
            cellType = t;
            return this;
        }

        public Builder activations(Activation act, Activation ract) {
            activation = act;
            recurrentActivation = ract;
            return this;
        }

        public Builder useBias(boolean b) {
            useBias = b;
            return this;
        }

        public Builder resetAfter(boolean b) {
            resetAfter = b;
            return this;
        }

        public Builder secondCell(CellType type, int u) {
            secondCellType = type;
            secondUnits = u;
            return this;
        }

        /** Batch, time steps, input features, units. */
        public Builder sizes(int b, int t, int d, int u) {
            batch = b;
            time = t;
            inputDim = d;
            units = u;
            return this;
        }

        public Builder returnSequences(boolean b) {
            returnSequences = b;
            return this;
        }

        public Builder returnState(boolean b) {
            returnState = b;
            return this;
        }

        public Builder goBackwards(boolean b) {
            goBackwards = b;
            return this;
        }

        public Builder mergeMode(MergeMode m) {
            mergeMode = m;
            return this;
        }

        public Builder mask(MaskPattern m) {
            mask = m;
            return this;
        }

        public Builder initialStates(boolean b) {
            initialStates = b;
            return this;
        }

        public Builder dropout(DropoutPattern d) {
            dropout = d;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public CaseRecipe recipe() {
            return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, resetAfter,
                    secondCellType, secondUnits, batch, time, inputDim, returnSequences, returnState, goBackwards,
                    mergeMode, mask, initialStates, dropout, seed);
        }
    }

    /** True if the structure has a second cell (STACKED_CELLS) or second recurrent layer (SEQUENTIAL_STACK). */
    public boolean secondCellBuilt() {
        return kind == LayerKind.STACKED_CELLS || kind == LayerKind.SEQUENTIAL_STACK;
    }

    /** The first (or only) cell, with the recipe's activations, bias, reset_after and dropout rates. */
    public CellSpec firstCell() {
        return cell(cellType, units, activation, recurrentActivation);
    }

    /** The second cell (stacked) or second recurrent layer's cell: Keras default activations. */
    public CellSpec secondCell() {
        return cell(secondCellType, secondUnits, Activation.TANH, Activation.SIGMOID);
    }

    private CellSpec cell(CellType type, int u, Activation act, Activation ract) {
        return new CellSpec(type, u, act, ract, useBias, type == CellType.GRU && resetAfter, type == CellType.LSTM,
                dropout.inputRate(), dropout.recurrentRate());
    }

    /** The layer this recipe describes. */
    public LayerSpec layer() {
        RnnLayerSpec single = new RnnLayerSpec(List.of(firstCell()), returnSequences, returnState, goBackwards, false, false);
        return switch (kind) {
            case SINGLE -> single;
            case STACKED_CELLS -> new RnnLayerSpec(List.of(firstCell(), secondCell()), returnSequences, returnState,
                    goBackwards, false, false);
            // Keras builds the backward copy with go_backwards=True and rejects a wrapped layer that already goes
            // backwards; such a layer needs an explicit backward_layer (go_backwards=False), built here the same way.
            case BIDIRECTIONAL -> goBackwards
                    ? new BidirectionalSpec(single.withZeroOutputForMask(returnSequences),
                            single.withGoBackwards(false).withZeroOutputForMask(returnSequences), mergeMode)
                    : BidirectionalSpec.of(single, mergeMode);
            case SEQUENTIAL_EMBEDDING -> new SequentialSpec(List.of(
                    new EmbeddingSpec(VOCABULARY, inputDim, mask != MaskPattern.NONE),
                    single,
                    new DenseSpec(DENSE_UNITS, Activation.LINEAR, true)), 0);
            case SEQUENTIAL_STACK -> new SequentialSpec(List.of(
                    single.withReturnSequences(true),
                    new RnnLayerSpec(List.of(secondCell()), returnSequences, false, false, false, false),
                    new DenseSpec(DENSE_UNITS, Activation.LINEAR, true)), inputDim);
        };
    }

    /** Draws every tensor of the case from {@link #seed()} and assembles the call and a random cotangent. */
    public RnnCase build() {
        RandomTensors random = new RandomTensors(seed);
        LayerSpec layer = layer();
        boolean tokenIds = kind == LayerKind.SEQUENTIAL_EMBEDDING;
        List<Tensor> weights = new ArrayList<>();
        for (int[] shape : layer.weightShapes(inputDim)) {
            weights.add(random.uniform(WEIGHT_SCALE, shape));
        }
        SequenceMask sequenceMask = random.mask(mask, batch, time);
        Tensor inputs = tokenIds
                ? random.tokenIds(VOCABULARY, batch, time, sequenceMask)
                : random.uniform(1.0, batch, time, inputDim);
        List<Tensor> states = new ArrayList<>();
        if (initialStates) {
            for (int[] shape : LayerCall.stateShapes(layer, batch)) {
                states.add(random.uniform(1.0, shape));
            }
        }
        List<CellDropoutMasks> dropoutMasks = new ArrayList<>();
        if (dropout != DropoutPattern.NONE) {
            List<CellSpec> cells = LayerCall.recurrentCells(layer);
            List<Integer> dims = LayerShapes.recurrentCellInputDims(layer, inputDim);
            for (int i = 0; i < cells.size(); i++) {
                dropoutMasks.add(dropoutMasks(random, cells.get(i), dims.get(i)));
            }
        }
        LayerCall call = new LayerCall(layer, weights, inputs, tokenIds ? null : sequenceMask, states, dropoutMasks,
                dropout != DropoutPattern.NONE, DType.FLOAT64);
        List<Tensor> outputCotangents = new ArrayList<>();
        for (int[] shape : LayerShapes.outputShapes(layer, batch, time, inputDim)) {
            outputCotangents.add(random.uniform(1.0, shape));
        }
        List<Tensor> stateCotangents = new ArrayList<>();
        if (returnState) {
            for (int[] shape : LayerCall.stateShapes(layer, batch)) {
                stateCotangents.add(random.uniform(1.0, shape));
            }
        }
        return new RnnCase(this, call, new LayerOutputs(outputCotangents, stateCotangents), sequenceMask);
    }

    private CellDropoutMasks dropoutMasks(RandomTensors random, CellSpec cell, int cellInputDim) {
        int count = dropout.perGate() ? cell.gates() : 1;
        List<Tensor> in = new ArrayList<>();
        List<Tensor> rec = new ArrayList<>();
        for (int g = 0; g < count && cell.dropout() > 0; g++) {
            in.add(random.dropoutMask(cell.dropout(), batch, cellInputDim));
        }
        for (int g = 0; g < count && cell.recurrentDropout() > 0; g++) {
            rec.add(random.dropoutMask(cell.recurrentDropout(), batch, cell.units()));
        }
        return new CellDropoutMasks(in, rec);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(kind).append(' ').append(cellType.kerasName()).append("(units=").append(units)
                .append(", activation=").append(activation.kerasName())
                .append(", recurrent_activation=").append(recurrentActivation.kerasName())
                .append(", use_bias=").append(useBias);
        if (resetAfter) {
            sb.append(", reset_after=True");
        } else if (cellType == CellType.GRU || (secondCellBuilt() && secondCellType == CellType.GRU)) {
            sb.append(", reset_after=False");
        }
        sb.append(')');
        if (secondCellBuilt()) {
            sb.append(" + ").append(secondCellType.kerasName()).append("(units=").append(secondUnits).append(')');
        }
        if (mergeMode != null) {
            sb.append(" merge_mode=").append(mergeMode.kerasName());
        }
        sb.append(" batch=").append(batch).append(" time=").append(time).append(" features=").append(inputDim);
        sb.append(returnSequences ? " return_sequences" : "").append(returnState ? " return_state" : "")
                .append(goBackwards ? " go_backwards" : "");
        sb.append(" mask=").append(mask).append(initialStates ? " initial_states" : "")
                .append(" dropout=").append(dropout).append(" seed=").append(seed).append('L');
        return sb.toString();
    }
}
