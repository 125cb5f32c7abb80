package rnnkit.testing;

import java.util.List;
import rnnkit.model.Activation;
import rnnkit.model.CellType;
import rnnkit.model.MergeMode;

/**
 * The region of cases a generator draws from: which structures, cells, activations, options and sizes. An
 * implementation that supports only part of Keras (e.g. an optimized kernel without stacked cells) restricts the
 * space with the {@code with...} methods instead of skipping cases.
 */
public record CaseSpace(
        List<LayerKind> kinds,
        List<CellType> cellTypes,
        List<Activation> activations,
        List<Activation> recurrentActivations,
        List<MergeMode> mergeModes,
        List<MaskPattern> masks,
        List<DropoutPattern> dropouts,
        boolean optionalFlags,
        int maxBatch,
        int maxTime,
        int maxFeatures,
        int maxUnits) {

    public CaseSpace {
        kinds = List.copyOf(kinds);
        cellTypes = List.copyOf(cellTypes);
        activations = List.copyOf(activations);
        recurrentActivations = List.copyOf(recurrentActivations);
        mergeModes = List.copyOf(mergeModes);
        masks = List.copyOf(masks);
        dropouts = List.copyOf(dropouts);
        if (kinds.isEmpty() || cellTypes.isEmpty() || activations.isEmpty() || recurrentActivations.isEmpty()
                || mergeModes.isEmpty() || masks.isEmpty() || dropouts.isEmpty()) {
            throw new IllegalArgumentException("every dimension of a case space needs at least one value");
        }
        if (maxBatch < 1 || maxTime < 1 || maxFeatures < 1 || maxUnits < 1) {
            throw new IllegalArgumentException("case space sizes must be positive");
        }
    }

    /**
     * Everything: all structures, cells, merge modes, mask patterns and dropout patterns; every activation except
     * 'exponential' (an LSTM feeds h = o*exp(c) back into exp and overflows to inf/NaN within a few steps, as Keras
     * would: the finite-difference tests cover it at safe sizes); recurrent activations sigmoid, hard_sigmoid, tanh,
     * softsign; sizes up to batch 3, 5 steps, 4 features, 4 units.
     */
    public static CaseSpace everything() {
        List<Activation> activations = new java.util.ArrayList<>(Activation.seededDrawSpace());
        activations.remove(Activation.EXPONENTIAL);
        return new CaseSpace(List.of(LayerKind.values()), List.of(CellType.values()), activations,
                List.of(Activation.SIGMOID, Activation.HARD_SIGMOID, Activation.TANH, Activation.SOFTSIGN),
                List.of(MergeMode.values()), List.of(MaskPattern.values()), List.of(DropoutPattern.values()),
                true, 3, 5, 4, 4);
    }

    public CaseSpace withKinds(LayerKind... k) {
        return new CaseSpace(List.of(k), cellTypes, activations, recurrentActivations, mergeModes, masks, dropouts,
                optionalFlags, maxBatch, maxTime, maxFeatures, maxUnits);
    }

    public CaseSpace withCellTypes(CellType... t) {
        return new CaseSpace(kinds, List.of(t), activations, recurrentActivations, mergeModes, masks, dropouts,
                optionalFlags, maxBatch, maxTime, maxFeatures, maxUnits);
    }

    public CaseSpace withActivations(List<Activation> act, List<Activation> ract) {
        return new CaseSpace(kinds, cellTypes, act, ract, mergeModes, masks, dropouts,
                optionalFlags, maxBatch, maxTime, maxFeatures, maxUnits);
    }

    public CaseSpace withMergeModes(MergeMode... m) {
        return new CaseSpace(kinds, cellTypes, activations, recurrentActivations, List.of(m), masks, dropouts,
                optionalFlags, maxBatch, maxTime, maxFeatures, maxUnits);
    }

    public CaseSpace withMasks(MaskPattern... m) {
        return new CaseSpace(kinds, cellTypes, activations, recurrentActivations, mergeModes, List.of(m), dropouts,
                optionalFlags, maxBatch, maxTime, maxFeatures, maxUnits);
    }

    public CaseSpace withDropouts(DropoutPattern... d) {
        return new CaseSpace(kinds, cellTypes, activations, recurrentActivations, mergeModes, masks, List.of(d),
                optionalFlags, maxBatch, maxTime, maxFeatures, maxUnits);
    }

    /**
     * With {@code false}, return_sequences/return_state/go_backwards/use_bias are left at Keras defaults and no
     * initial states are given (for properties that set those options themselves).
     */
    public CaseSpace withOptionalFlags(boolean enabled) {
        return new CaseSpace(kinds, cellTypes, activations, recurrentActivations, mergeModes, masks, dropouts,
                enabled, maxBatch, maxTime, maxFeatures, maxUnits);
    }

    public CaseSpace withMaxSizes(int batch, int time, int features, int units) {
        return new CaseSpace(kinds, cellTypes, activations, recurrentActivations, mergeModes, masks, dropouts,
                optionalFlags, batch, time, features, units);
    }
}
