package rnnkit.optimized.gemm;

/** Argument checks shared by the GEMM implementations: bad shapes fail with a message naming the operand. */
final class GemmArguments {

    private GemmArguments() {
    }

    static void checkDimensions(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(
                    "GEMM dimensions are m=" + m + ", n=" + n + ", k=" + k + "; expected all >= 0");
        }
    }

    /**
     * Checks that op(X), a rows×cols matrix stored row-major at {@code off} with leading dimension {@code ld}
     * (stored as its cols×rows transpose when {@code trans}), lies inside an array of {@code length} elements.
     */
    static void checkOperand(String name, boolean trans, int rows, int cols, int length, int off, int ld) {
        int storedRows = trans ? cols : rows;
        int storedCols = trans ? rows : cols;
        if (off < 0) {
            throw new IllegalArgumentException(describe(name, trans, rows, cols) + " at offset " + off
                    + "; expected offset >= 0");
        }
        if (storedRows == 0 || storedCols == 0) {
            return;
        }
        if (ld < storedCols) {
            throw new IllegalArgumentException(describe(name, trans, rows, cols) + " with leading dimension " + ld
                    + "; expected leading dimension >= " + storedCols);
        }
        long end = off + (long) (storedRows - 1) * ld + storedCols;
        if (end > length) {
            throw new IllegalArgumentException(describe(name, trans, rows, cols) + " at offset " + off
                    + " with leading dimension " + ld + " ends at index " + end + "; expected the array (length "
                    + length + ") to hold it");
        }
    }

    private static String describe(String name, boolean trans, int rows, int cols) {
        return name + " is " + rows + "×" + cols + (trans ? " (stored transposed as " + cols + "×" + rows + ")" : "");
    }

    static void checkAll(boolean transA, boolean transB, int m, int n, int k,
                         int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                         int cLength, int cOff, int ldc) {
        checkDimensions(m, n, k);
        checkOperand("A", transA, m, k, aLength, aOff, lda);
        checkOperand("B", transB, k, n, bLength, bOff, ldb);
        checkOperand("C", false, m, n, cLength, cOff, ldc);
    }

    /** Checks a column range [j0, j1) of a product with n columns (j0 a multiple of align) and matching depths. */
    static void checkColumns(int j0, int j1, int n, int align, int depthA, int depthB) {
        if (j0 < 0 || j1 < j0 || j1 > n || j0 % align != 0) {
            throw new IllegalArgumentException("column range [" + j0 + ", " + j1 + ") of a product with " + n
                    + " columns; expected 0 <= j0 <= j1 <= " + n + " and j0 a multiple of " + align
                    + " (the packed panel width)");
        }
        if (depthA != depthB) {
            throw new IllegalArgumentException("packed A has " + depthA + " columns and packed B " + depthB
                    + " rows; expected the same summation length");
        }
    }
}
