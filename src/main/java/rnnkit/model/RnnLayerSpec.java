package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A Keras recurrent layer: {@code SimpleRNN}, {@code LSTM} or {@code GRU} (one cell), or {@code RNN([cell, ...])}
 * with stacked cells. Layer options mirror Keras {@code get_config()}.
 *
 * <p>States are flattened cell by cell (LSTM: h then c), as Keras returns them. Inputs of cell i&gt;0 are the
 * outputs of cell i-1 at the same step; the layer's output is the last cell's h.
 *
 * @param zeroOutputForMask masked steps output zeros instead of repeating the previous output (Keras sets it for
 *     the halves of a Bidirectional that return sequences)
 */
public record RnnLayerSpec(
        List<CellSpec> cells,
        boolean returnSequences,
        boolean returnState,
        boolean goBackwards,
        boolean stateful,
        boolean zeroOutputForMask) implements LayerSpec {

    public RnnLayerSpec {
        if (cells == null || cells.isEmpty()) {
            throw new IllegalArgumentException("a recurrent layer needs at least one cell");
        }
        cells = List.copyOf(cells);
    }

    /** A single-cell layer with Keras defaults: last output only, no states returned, forward, not stateful. */
    public static RnnLayerSpec of(CellSpec cell) {
        return new RnnLayerSpec(List.of(cell), false, false, false, false, false);
    }

    /** {@code RNN([cells...])}: stacked cells in one layer. */
    public static RnnLayerSpec stacked(CellSpec... cells) {
        return new RnnLayerSpec(List.of(cells), false, false, false, false, false);
    }

    public RnnLayerSpec withReturnSequences(boolean b) {
        return new RnnLayerSpec(cells, b, returnState, goBackwards, stateful, zeroOutputForMask);
    }

    public RnnLayerSpec withReturnState(boolean b) {
        return new RnnLayerSpec(cells, returnSequences, b, goBackwards, stateful, zeroOutputForMask);
    }

    public RnnLayerSpec withGoBackwards(boolean b) {
        return new RnnLayerSpec(cells, returnSequences, returnState, b, stateful, zeroOutputForMask);
    }

    public RnnLayerSpec withStateful(boolean b) {
        return new RnnLayerSpec(cells, returnSequences, returnState, goBackwards, b, zeroOutputForMask);
    }

    public RnnLayerSpec withZeroOutputForMask(boolean b) {
        return new RnnLayerSpec(cells, returnSequences, returnState, goBackwards, stateful, b);
    }

    public boolean isStackedCells() {
        return cells.size() > 1;
    }

    /** The single cell of a non-stacked layer. */
    public CellSpec cell() {
        if (cells.size() != 1) {
            throw new IllegalStateException("layer has " + cells.size() + " stacked cells");
        }
        return cells.get(0);
    }

    /** Input feature dimension of cell {@code i} when the layer's input has {@code inputDim} features. */
    public int cellInputDim(int i, int inputDim) {
        return i == 0 ? inputDim : cells.get(i - 1).units();
    }

    /** Units of the last cell: the width of the layer's output. */
    public int units() {
        return cells.get(cells.size() - 1).units();
    }

    /** Shapes (batch, units) of every state, flattened over cells. */
    public List<int[]> stateShapes(int batch) {
        List<int[]> s = new ArrayList<>();
        for (CellSpec c : cells) {
            for (int k = 0; k < c.stateCount(); k++) {
                s.add(new int[] {batch, c.units()});
            }
        }
        return s;
    }

    public int stateCount() {
        int n = 0;
        for (CellSpec c : cells) {
            n += c.stateCount();
        }
        return n;
    }

    @Override
    public String kerasClassName() {
        return isStackedCells() ? "RNN" : cell().type().kerasName();
    }

    @Override
    public List<String> weightNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            for (String n : cells.get(i).weightNames()) {
                names.add(isStackedCells() ? "cell_" + i + "/" + n : n);
            }
        }
        return names;
    }

    @Override
    public List<int[]> weightShapes(int inputDim) {
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            shapes.addAll(cells.get(i).weightShapes(cellInputDim(i, inputDim)));
        }
        return shapes;
    }

    /** Index of cell i's first weight in the flattened weight list. */
    public int weightOffset(int cell) {
        int off = 0;
        for (int i = 0; i < cell; i++) {
            off += cells.get(i).weightNames().size();
        }
        return off;
    }

    @Override
    public int outputDim(int inputDim) {
        return units();
    }

    @Override
    public String describe() {
        if (!isStackedCells()) {
            return cell().describe();
        }
        StringBuilder sb = new StringBuilder("RNN([");
        for (int i = 0; i < cells.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(cells.get(i).type().kerasName()).append("Cell(").append(cells.get(i).units()).append(')');
        }
        return sb.append("])").toString();
    }
}
