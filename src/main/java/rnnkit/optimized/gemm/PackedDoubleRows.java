// PackedFloatRows.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized.gemm;

/**
 * A left operand op(A) (m×k, float64) packed once by a {@link Gemm} ({@code gemm.packA(...)}) for several products
 * with column ranges of prepacked B matrices ({@code gemm.dgemmPackedAB(...)}): an RNN step packs h_{t-1} once and
 * then finishes the recurrent product chunk by chunk, running its element-wise work on each chunk while it is in
 * cache. Packing again into the same object ({@code packA(..., reuse)}) allocates nothing once it is large enough.
 *
 * <p>Not thread-safe while being repacked; many threads may multiply with it at once otherwise.
 */
public final class PackedDoubleRows {
    /** The tile rows (MR) of the kernel that packed it (0: a row-major copy). */
    final int tileRows;
    int rows;
    int depth;
    /** Blocked: [row block][depth block] slivers; row-major: [0][0] holds the m×k copy. */
    double[][][] blocks = new double[0][][];

    PackedDoubleRows(int tileRows) {
        this.tileRows = tileRows;
    }

    /** m: rows of op(A) and of C. */
    public int rows() {
        return rows;
    }

    /** k: columns of op(A), the summation length. */
    public int depth() {
        return depth;
    }

    /** The block arrays for {@code rowBlocks} × {@code depthBlocks} pieces of at least {@code size} elements. */
    double[][][] blocks(int rowBlocks, int depthBlocks, int size) {
        if (blocks.length < rowBlocks) {
            blocks = java.util.Arrays.copyOf(blocks, rowBlocks);
        }
        for (int i = 0; i < rowBlocks; i++) {
            if (blocks[i] == null || blocks[i].length < depthBlocks) {
                blocks[i] = blocks[i] == null ? new double[depthBlocks][] : java.util.Arrays.copyOf(blocks[i], depthBlocks);
            }
            for (int d = 0; d < depthBlocks; d++) {
                if (blocks[i][d] == null || blocks[i][d].length < size) {
                    blocks[i][d] = new double[size];
                }
            }
        }
        return blocks;
    }

    void requireTileRows(int expected, String gemmName) {
        if (tileRows != expected) {
            throw new IllegalArgumentException("packed left operand has tile rows " + tileRows + "; " + gemmName
                    + " needs " + expected + ": pack it with the same Gemm's packA");
        }
    }
}
