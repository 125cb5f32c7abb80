// PackedFloatMatrix.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized.gemm;

/**
 * A right operand op(B) (k×n, float64) repacked once by a {@link Gemm} for repeated products, typically the
 * recurrent kernel U of a layer multiplied by h_t at every time step. Make it with {@code gemm.packB(...)}, refresh
 * it after a weight update with {@code gemm.repackB(...)} (no allocation), multiply with
 * {@code gemm.dgemmPackedB(...)}.
 * Only the Gemm that packed it (or one with the same {@link PackedLayout}) can use it.
 *
 * <p>Immutable between repackB calls, so many threads may multiply with one packed matrix at once.
 */
public final class PackedDoubleMatrix {

    private final PackedLayout layout;
    private final int depth;
    private final int width;
    private final double[] data;

    PackedDoubleMatrix(PackedLayout layout, int depth, int width) {
        GemmArguments.checkDimensions(0, width, depth);
        this.layout = layout;
        this.depth = depth;
        this.width = width;
        this.data = new double[layout.size(depth, width)];
    }

    static PackedDoubleMatrix rowMajor(int depth, int width) {
        return new PackedDoubleMatrix(PackedLayout.ROW_MAJOR, depth, width);
    }

    /** k: rows of op(B), the summation length of the product. */
    public int depth() {
        return depth;
    }

    /** n: columns of op(B) and of C. */
    public int width() {
        return width;
    }

    public PackedLayout layout() {
        return layout;
    }

    double[] data() {
        return data;
    }

    void requireLayout(PackedLayout expected, String gemmName) {
        if (!layout.equals(expected)) {
            throw new IllegalArgumentException("packed matrix has layout " + layout + "; " + gemmName
                    + " needs " + expected + ": pack it with the same Gemm's packB");
        }
    }
}
