package rnnkit.kit;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DenseSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;

/**
 * Where an element of a compared quantity sits, in Keras terms: batch row, time step and unit of an output or an
 * input gradient; which cell's which state; for a weight (and its gradient) the gate block (LSTM i, f, c, o; GRU z, r,
 * h), the row (input feature, or unit of the previous state) and the column (unit within the block); and for
 * Bidirectional, stacked cells and Sequential models the layer and direction. Layouts are those of Keras
 * {@code get_weights()} and of the layer's returned tensors (golden/FORMAT.md).
 */
public final class ElementLocation {
    private ElementLocation() {
    }

    /** Gate block names in Keras column order. */
    static String[] gateNames(CellType type) {
        return switch (type) {
            case LSTM -> new String[] {"i", "f", "c", "o"};
            case GRU -> new String[] {"z", "r", "h"};
            case SIMPLE_RNN -> new String[] {""};
        };
    }

    /**
     * The element at {@code flat} (row-major in {@code shape}) of quantity {@code index} of its kind (the i-th output,
     * state, weight or initial state; 0 for the input gradient) of {@code layer}, e.g. "batch 1, step 3, unit 2" or
     * "forward direction, cell 0 (LSTM) recurrent_kernel: gate block f, row 2 (unit 2 of the previous h), column 5
     * (unit 1 of block f)".
     */
    public static String describe(LayerSpec layer, QuantityCheck.Kind kind, int index, int[] shape, int flat) {
        int[] at = unflatten(shape, flat);
        try {
            return switch (kind) {
                case OUTPUT -> output(layer, index, at);
                case STATE, GRAD_INITIAL_STATES -> state(layer, index, at);
                case GRAD_INPUTS -> sequenceElement(at, "feature", layer);
                case GRAD_WEIGHTS -> weight(layer, index, at);
            };
        } catch (RuntimeException e) {
            return "index " + java.util.Arrays.toString(at); // a layout the spec does not explain: the raw index
        }
    }

    static int[] unflatten(int[] shape, int flat) {
        int[] at = new int[shape.length];
        int rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        return at;
    }

    private static String sequenceElement(int[] at, String last, LayerSpec layer) {
        if (at.length == 3) {
            return "batch " + at[0] + ", step " + at[1] + ", " + last + " " + at[2];
        }
        if (at.length == 2) {
            return "batch " + at[0] + ", " + last + " " + at[1];
        }
        return "index " + java.util.Arrays.toString(at);
    }

    private static String output(LayerSpec layer, int index, int[] at) {
        String unitName = "unit";
        String prefix = "";
        if (layer instanceof BidirectionalSpec b) {
            int unit = at[at.length - 1];
            if (b.mergeMode() == MergeMode.NONE) {
                prefix = (index == 0 ? "forward" : "backward") + " direction, ";
            } else if (b.mergeMode() == MergeMode.CONCAT) {
                int uf = b.forward().units();
                boolean fwd = unit < uf;
                at = at.clone();
                at[at.length - 1] = fwd ? unit : unit - uf;
                prefix = (fwd ? "forward" : "backward") + " direction (concatenated column " + unit + "), ";
            } else {
                prefix = "both directions merged by " + b.mergeMode().kerasName() + ", ";
            }
        } else if (layer instanceof SequentialSpec s) {
            int last = s.layers().size() - 1;
            prefix = "layer_" + last + " (" + s.layers().get(last).describe() + ") output, ";
        } else if (layer instanceof RnnLayerSpec r && r.isStackedCells()) {
            prefix = "last cell (cell_" + (r.cells().size() - 1) + ") output, ";
        }
        return prefix + sequenceElement(at, unitName, layer);
    }

    /** State {@code index} in the order Keras returns them: cell by cell (LSTM h then c), forward half first. */
    private static String state(LayerSpec layer, int index, int[] at) {
        List<String> names = new ArrayList<>();
        if (layer instanceof BidirectionalSpec b) {
            for (String n : stateNames(b.forward())) {
                names.add("forward direction " + n);
            }
            for (String n : stateNames(b.backward())) {
                names.add("backward direction " + n);
            }
        } else if (layer instanceof RnnLayerSpec r) {
            names.addAll(stateNames(r));
        }
        String who = index < names.size() ? names.get(index) + ", " : "";
        return who + sequenceElement(at, "unit", layer);
    }

    private static List<String> stateNames(RnnLayerSpec r) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < r.cells().size(); i++) {
            CellSpec c = r.cells().get(i);
            String cell = r.isStackedCells() ? "cell_" + i + " (" + c.type().kerasName() + ") " : "";
            if (c.type() == CellType.LSTM) {
                names.add(cell + "h (hidden state)");
                names.add(cell + "c (cell state)");
            } else {
                names.add(cell + "h (hidden state)");
            }
        }
        return names;
    }

    /** One weight array of a layer: where it is (layer/direction/cell) and what it is. */
    private record Slot(String path, Object owner, String name, int inputWidthOf) {
    }

    private static void slots(LayerSpec layer, String path, List<Slot> out) {
        if (layer instanceof SequentialSpec s) {
            for (int i = 0; i < s.layers().size(); i++) {
                slots(s.layers().get(i), path + "layer_" + i + " (" + s.layers().get(i).describe() + ") ", out);
            }
        } else if (layer instanceof BidirectionalSpec b) {
            slots(b.forward(), path + "forward direction ", out);
            slots(b.backward(), path + "backward direction ", out);
        } else if (layer instanceof RnnLayerSpec r) {
            for (int i = 0; i < r.cells().size(); i++) {
                CellSpec c = r.cells().get(i);
                String p = path + (r.isStackedCells() ? "cell_" + i + " (" + c.type().kerasName() + ") " : "");
                for (String n : c.weightNames()) {
                    out.add(new Slot(p, c, n, i));
                }
            }
        } else if (layer instanceof DenseSpec d) {
            for (String n : d.weightNames()) {
                out.add(new Slot(path, d, n, 0));
            }
        } else if (layer instanceof EmbeddingSpec e) {
            out.add(new Slot(path, e, "embeddings", 0));
        }
    }

    private static String weight(LayerSpec layer, int index, int[] at) {
        List<Slot> all = new ArrayList<>();
        slots(layer, "", all);
        Slot s = all.get(index);
        String head = s.path().isBlank() ? "" : s.path().strip() + ", ";
        if (s.owner() instanceof CellSpec c) {
            int col = at[at.length - 1];
            int u = c.units();
            String[] gates = gateNames(c.type());
            int block = col / u;
            String column = gates.length == 1 ? "column " + col + " (unit " + col + ")"
                    : "column " + col + " (unit " + (col % u) + " of block " + gates[block] + ")";
            String where = gates.length == 1 ? "" : "gate block " + gates[block] + ", ";
            return switch (s.name()) {
                case "kernel" -> head + where + "row " + at[0] + " (" + (s.inputWidthOf() == 0 ? "input feature " + at[0]
                        : "unit " + at[0] + " of cell_" + (s.inputWidthOf() - 1) + "'s output") + "), " + column;
                case "recurrent_kernel" -> head + where + "row " + at[0] + " (unit " + at[0] + " of the previous h), " + column;
                default -> head + where + (at.length == 2 ? "row " + at[0] + (at[0] == 0 ? " (input bias)" : " (recurrent bias)")
                        + ", " : "") + column;
            };
        }
        if (s.owner() instanceof DenseSpec) {
            return head + (at.length == 2 ? "row " + at[0] + " (input feature " + at[0] + "), column " + at[1]
                    + " (unit " + at[1] + ")" : "unit " + at[0]);
        }
        return head + "row " + at[0] + " (token id " + at[0] + "), column " + at[1] + " (embedding dimension " + at[1] + ")";
    }

    /**
     * The order in which time steps are examined for "the first step over tolerance": processing order for outputs
     * (Keras returns a go_backwards sequence in processing order), backwards in time for input gradients (BPTT starts
     * at the last processed step: the last input of a forward layer, the first input of a go_backwards one).
     */
    static boolean inputGradientScanAscending(LayerSpec layer) {
        return layer instanceof RnnLayerSpec r && r.goBackwards();
    }
}
