package rnnkit.kit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.SequentialSpec;

/**
 * What a case exercises, in the vocabulary of the golden corpus's {@code tags} (golden/FORMAT.md): the cell kinds
 * ({@code LSTM}, {@code GRU}, {@code GRU(reset_after=False)}, {@code SimpleRNN}), the options ({@code go_backwards},
 * {@code return_sequences}, {@code mask_holes}, {@code T=1}, ...) and the dtype. Golden cases carry the tags Keras's
 * generator wrote; other cases (seeded random ones) get tags derived from their calls by {@link #derive}, so an
 * expected-failure line that selects by tags ({@link ExpectedFailures}) and the report's coverage matrix treat both
 * alike.
 *
 * @param dtype null when unknown (a case that could not be loaded)
 */
public record CaseTags(List<String> cells, List<String> options, DType dtype) {
    /** The tags of a case that could not be loaded: none. */
    public static final CaseTags NONE = new CaseTags(List.of(), List.of(), null);

    public CaseTags {
        cells = List.copyOf(cells);
        options = List.copyOf(options);
    }

    /** Every tag: cells, options and the dtype's Keras name ({@code float32}, {@code float64}). */
    public List<String> all() {
        List<String> all = new ArrayList<>(cells);
        all.addAll(options);
        if (dtype != null) {
            all.add(dtype.kerasName());
        }
        return all;
    }

    /** The cell kind's tag: {@code GRU} is reset_after=True (the Keras default), {@code GRU(reset_after=False)} not. */
    public static String cellTag(CellSpec c) {
        if (c.type() == CellType.GRU && !c.resetAfter()) {
            return "GRU(reset_after=False)";
        }
        return c.type().kerasName();
    }

    /** Tags derived from the calls of a case (as the golden generator would tag it, for the options it knows). */
    public static CaseTags derive(List<ConformanceCase.Step> steps) {
        Set<String> cells = new LinkedHashSet<>();
        Set<String> options = new LinkedHashSet<>();
        LayerCall first = steps.get(0).call();
        layerTags(first.layer(), cells, options);
        if (steps.size() > 1) {
            options.add("stateful");
        }
        for (ConformanceCase.Step s : steps) {
            LayerCall call = s.call();
            if (!call.initialStates().isEmpty()) {
                options.add("initial_state");
            }
            if (call.time() == 1) {
                options.add("T=1");
            }
            if (call.batch() == 1) {
                options.add("batch=1");
            }
            maskTags(call.mask(), options);
            if (call.training() && !call.dropoutMasks().isEmpty()) {
                options.add("dropout");
            }
        }
        return new CaseTags(new ArrayList<>(cells), new ArrayList<>(options), first.dtype());
    }

    private static void layerTags(LayerSpec layer, Set<String> cells, Set<String> options) {
        if (layer instanceof SequentialSpec s) {
            options.add("stacked_layers");
            for (LayerSpec l : s.layers()) {
                layerTags(l, cells, options);
            }
        } else if (layer instanceof BidirectionalSpec b) {
            options.add("bidirectional");
            options.add("merge_mode=" + b.mergeMode().kerasName());
            layerTags(b.forward(), cells, options);
            options.remove("go_backwards"); // the backward half's direction is the wrapper's, not an option
        } else if (layer instanceof RnnLayerSpec r) {
            if (r.isStackedCells()) {
                options.add("stacked_cells");
            }
            if (r.returnSequences()) {
                options.add("return_sequences");
            } else {
                options.add("last_output");
            }
            if (r.returnState()) {
                options.add("return_state");
            }
            if (r.goBackwards()) {
                options.add("go_backwards");
            }
            if (r.zeroOutputForMask()) {
                options.add("zero_output_for_mask");
            }
            for (CellSpec c : r.cells()) {
                cells.add(cellTag(c));
                CellSpec defaults = switch (c.type()) {
                    case SIMPLE_RNN -> CellSpec.simpleRnn(c.units());
                    case LSTM -> CellSpec.lstm(c.units());
                    case GRU -> CellSpec.gru(c.units());
                };
                if (c.activation() != defaults.activation()) {
                    options.add("activation=" + c.activation().kerasName());
                }
                if (c.type() != CellType.SIMPLE_RNN && c.recurrentActivation() != defaults.recurrentActivation()) {
                    options.add("recurrent_activation=" + c.recurrentActivation().kerasName());
                }
                if (!c.useBias()) {
                    options.add("use_bias=False");
                }
                if (c.units() == 1) {
                    options.add("units=1");
                }
                if (c.recurrentDropout() > 0) {
                    options.add("recurrent_dropout");
                }
            }
        } else if (layer instanceof DenseSpec) {
            options.add("dense");
        } else if (layer instanceof EmbeddingSpec e) {
            options.add(e.maskZero() ? "embedding_mask_zero" : "embedding");
        }
    }

    /** {@code mask_holes} (a masked step before a real one), {@code post_padding} (each row a real prefix), {@code fully_masked_row}. */
    private static void maskTags(SequenceMask m, Set<String> options) {
        if (m == null || m.isAllTrue()) {
            return;
        }
        switch (RandomCoverage.maskKind(m)) {
            case HOLES -> options.add("mask_holes");
            case RIGHT_PADDED -> options.add("post_padding");
            case NONE -> { }
        }
        for (int b = 0; b < m.batch(); b++) {
            boolean any = false;
            for (int t = 0; t < m.time(); t++) {
                any |= m.get(b, t);
            }
            if (!any) {
                options.add("fully_masked_row");
            }
        }
    }
}
