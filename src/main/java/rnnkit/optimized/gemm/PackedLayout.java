package rnnkit.optimized.gemm;

/**
 * How a {@link PackedFloatMatrix} / {@link PackedDoubleMatrix} stores op(B) (k×n).
 *
 * <ul>
 *   <li>{@link #ROW_MAJOR} (depthBlock = panelWidth = 0): a plain row-major k×n copy, element (p, j) at
 *       {@code p*n + j}; what the default {@link Gemm#packB} makes.</li>
 *   <li>Panels (depthBlock = KC, panelWidth = NR): k is cut into blocks of KC rows (the last may be shorter);
 *       within a block starting at row pc with kc rows, the columns are cut into panels of NR (the last one
 *       zero-padded to NR), panel q stored contiguously as kc rows of NR values:
 *       element (pc + p, q*NR + jj) at {@code pc*nPadded + q*kc*NR + p*NR + jj}, nPadded = ceil(n/NR)*NR.
 *       This is exactly the order in which the blocked micro-kernel reads B.</li>
 * </ul>
 */
public record PackedLayout(int depthBlock, int panelWidth) {

    public static final PackedLayout ROW_MAJOR = new PackedLayout(0, 0);

    public PackedLayout {
        if ((depthBlock == 0) != (panelWidth == 0) || depthBlock < 0 || panelWidth < 0) {
            throw new IllegalArgumentException("packed layout has depthBlock " + depthBlock + " and panelWidth "
                    + panelWidth + "; expected both 0 (row-major) or both positive (panels)");
        }
    }

    public boolean isRowMajor() {
        return panelWidth == 0;
    }

    /** Number of array elements a k×n matrix needs in this layout. */
    public int size(int k, int n) {
        long size = isRowMajor() ? (long) k * n : (long) k * paddedWidth(n);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("packed matrix " + k + "×" + n + " needs " + size
                    + " elements; expected at most " + (Integer.MAX_VALUE - 16));
        }
        return (int) size;
    }

    int paddedWidth(int n) {
        return (n + panelWidth - 1) / panelWidth * panelWidth;
    }

    @Override
    public String toString() {
        return isRowMajor() ? "row-major" : "panels(KC=" + depthBlock + ", NR=" + panelWidth + ")";
    }
}
