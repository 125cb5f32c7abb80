package rnnkit.optimized.gemm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import rnnkit.optimized.parallel.ParallelRunner;

/** Bad shapes fail with IllegalArgumentException naming the operand and the expectation. */
class GemmArgumentsTest {

    private final Gemm gemm = GemmVariants.fastestSingleThreaded();

    /** The naive triple loop checks its operands like the blocked GEMMs (an index out of bounds otherwise). */
    @Test
    void naiveGemmRejectsBadShapesLikeTheBlockedOnes() {
        Gemm naive = new NaiveGemm();
        assertThatThrownBy(() -> naive.sgemm(false, false, 2, 2, 3, new float[6], 0, 2, new float[6], 0, 2, false,
                new float[4], 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A is 2×3 with leading dimension 2; expected leading dimension >= 3");
        assertThatThrownBy(() -> naive.dgemm(false, false, 2, 2, 3, new double[6], 0, 3, new double[6], 0, 2, false,
                new double[3], 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("C is 2×2 at offset 0 with leading dimension 2 ends at index 4");
        assertThatThrownBy(() -> naive.dgemm(false, true, 2, 2, 3, new double[6], 0, 3, new double[5], 0, 3, false,
                new double[4], 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("B is 3×2 (stored transposed as 2×3)");
        assertThatThrownBy(() -> naive.sgemm(false, false, 1, -2, 1, new float[1], 0, 1, new float[1], 0, 1, false,
                new float[1], 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n=-2");
    }

    @Test
    void leadingDimensionBelowStoredWidthIsRejected() {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        assertThatThrownBy(() -> gemm.sgemm(false, false, 2, 2, 3, a, 0, 2, b, 0, 2, false, c, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A is 2×3 with leading dimension 2; expected leading dimension >= 3");
        assertThatThrownBy(() -> gemm.sgemm(false, true, 2, 2, 3, a, 0, 3, b, 0, 2, false, c, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("B is 3×2 (stored transposed as 2×3) with leading dimension 2");
    }

    @Test
    void arrayTooShortIsRejected() {
        double[] a = new double[6];
        double[] b = new double[6];
        double[] c = new double[3];
        assertThatThrownBy(() -> gemm.dgemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, false, c, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("C is 2×2 at offset 0 with leading dimension 2 ends at index 4")
                .hasMessageContaining("length 3");
    }

    @Test
    void negativeDimensionIsRejected() {
        float[] x = new float[4];
        assertThatThrownBy(() -> gemm.sgemm(false, false, -1, 2, 2, x, 0, 2, x, 0, 2, false, x, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m=-1").hasMessageContaining("expected all >= 0");
    }

    @Test
    void packedMatrixFromAnotherLayoutIsRejected() {
        float[] b = new float[12];
        PackedFloatMatrix scalarPacked = GemmVariants.scalarBlocked(new ParallelRunner(1)).packB(false, 3, 4, b, 0, 4);
        float[] a = new float[6];
        float[] c = new float[8];
        assertThatThrownBy(() -> gemm.sgemmPackedB(false, 2, a, 0, 3, scalarPacked, false, c, 0, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("packed matrix has layout panels(KC=256, NR=4)")
                .hasMessageContaining("pack it with the same Gemm's packB");
    }
}
