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
        return new CaseRecipe(LayerKind.SINGLE, type, 3, Activation.TANH, Activation.SIGMOID, true,
                type == CellType.GRU, type, 2, 2, 4, 3, false, false, false, null, MaskPattern.NONE, false,
                DropoutPattern.NONE, seed);
    }

    public CaseRecipe withKind(LayerKind k) {
        return new CaseRecipe(k, cellType, units, activation, recurrentActivation, useBias, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, returnState, goBackwards, mergeMode, mask,
                initialStates, dropout, seed);
    }

    public CaseRecipe withActivations(Activation act, Activation ract) {
        return new CaseRecipe(kind, cellType, units, act, ract, useBias, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, returnState, goBackwards, mergeMode, mask,
                initialStates, dropout, seed);
    }

    public CaseRecipe withUseBias(boolean b) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, b, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, returnState, goBackwards, mergeMode, mask,
                initialStates, dropout, seed);
    }

    public CaseRecipe withResetAfter(boolean b) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, b, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, returnState, goBackwards, mergeMode, mask,
                initialStates, dropout, seed);
    }

    public CaseRecipe withSecondCell(CellType type, int u) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, resetAfter, type,
                u, batch, time, inputDim, returnSequences, returnState, goBackwards, mergeMode, mask,
                initialStates, dropout, seed);
    }

    public CaseRecipe withSizes(int b, int t, int d, int u) {
        return new CaseRecipe(kind, cellType, u, activation, recurrentActivation, useBias, resetAfter, secondCellType,
                secondUnits, b, t, d, returnSequences, returnState, goBackwards, mergeMode, mask,
                initialStates, dropout, seed);
    }

    public CaseRecipe withReturnSequences(boolean b) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, b, returnState, goBackwards, mergeMode, mask,
                initialStates, dropout, seed);
    }

    public CaseRecipe withReturnState(boolean b) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, b, goBackwards, mergeMode, mask,
                initialStates, dropout, seed);
    }

    public CaseRecipe withGoBackwards(boolean b) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, returnState, b, mergeMode, mask,
                initialStates, dropout, seed);
    }

    public CaseRecipe withMergeMode(MergeMode m) {
        return new CaseRecipe(LayerKind.BIDIRECTIONAL, cellType, units, activation, recurrentActivation, useBias,
                resetAfter, secondCellType, secondUnits, batch, time, inputDim, returnSequences, returnState,
                goBackwards, m, mask, initialStates, dropout, seed);
    }

    public CaseRecipe withMask(MaskPattern m) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, returnState, goBackwards, mergeMode, m,
                initialStates, dropout, seed);
    }

    public CaseRecipe withInitialStates(boolean b) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, returnState, goBackwards, mergeMode, mask,
                b, dropout, seed);
    }

    public CaseRecipe withDropout(DropoutPattern d) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, returnState, goBackwards, mergeMode, mask,
                initialStates, d, seed);
    }

    public CaseRecipe withSeed(long s) {
        return new CaseRecipe(kind, cellType, units, activation, recurrentActivation, useBias, resetAfter, secondCellType,
                secondUnits, batch, time, inputDim, returnSequences, returnState, goBackwards, mergeMode, mask,
                initialStates, dropout, s);
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
