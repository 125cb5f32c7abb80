package rnnkit.optimized.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The float64 packed entry points (packB, repackB, packA, the packed-B and packed-A·B products) reject bad operands
 * with an IllegalArgumentException that names the operand, on the naive GEMM (the row-major defaults of
 * {@link Gemm}) and on the blocked drivers: a negative dimension, an array too short, a column range off the
 * alignment, and an operand packed by a Gemm of another layout. GemmArgumentsTest covers the unpacked products.
 */
class PackedOperandArgumentsTest {

    private static final Gemm NAIVE = new NaiveGemm();
    private static final Gemm SCALAR = GemmVariants.scalarBlocked(new rnnkit.optimized.parallel.ParallelRunner(1));

    /** The naive GEMM and the scalar blocked one: the Gemm defaults and the blocked driver. */
    private static List<Gemm> gemms() {
        return List.of(NAIVE, SCALAR);
    }

    private static void rejects(ThrowingCallable call, String message, Gemm gemm) {
        assertThatThrownBy(call).as(gemm.name()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void packingRejectsANegativeDepthAndAShortArray() {
        for (Gemm gemm : gemms()) {
            rejects(() -> gemm.packB(false, -1, 4, new double[16], 0, 4), "expected all >= 0", gemm);
            PackedDoubleMatrix packed = gemm.packB(false, 3, 4, new double[12], 0, 4);
            rejects(() -> gemm.repackB(packed, false, new double[11], 0, 4), "B is 3×4 at offset 0", gemm);
            rejects(() -> gemm.packA(false, 2, 3, new double[5], 0, 3, null), "A is 2×3 at offset 0", gemm);
        }
    }

    @Test
    void packedProductsRejectAShortOperandAndAColumnRangeOffTheAlignment() {
        for (Gemm gemm : gemms()) {
            int n = 2 * gemm.packedColumnAlign();
            PackedDoubleMatrix b = gemm.packB(false, 3, n, new double[3 * n], 0, n);
            PackedDoubleRows a = gemm.packA(false, 2, 3, new double[6], 0, 3, null);
            if (gemm.packedColumnAlign() > 1) {
                rejects(() -> gemm.dgemmPackedAB(a, b, 1, n, false, new double[2 * n], 0, n), "column range [1, " + n,
                        gemm);
            }
            rejects(() -> gemm.dgemmPackedAB(a, b, 0, n + 1, false, new double[2 * n + 2], 0, n + 1),
                    "column range [0, " + (n + 1), gemm);
            // the blocked driver checks C itself; the naive product's dgemm checks it too
            rejects(() -> gemm.dgemmPackedB(false, 2, new double[6], 0, 3, b, false, new double[2 * n - 1], 0, n),
                    "C is 2×" + n + " at offset 0", gemm);
            rejects(() -> gemm.dgemmPackedAB(a, b, 0, n, false, new double[2 * n - 1], 0, n), "C is 2×" + n, gemm);
        }
    }

    @Test
    void operandsPackedByAGemmOfAnotherLayoutAreRejected() {
        PackedDoubleMatrix rowMajor = NAIVE.packB(false, 3, 8, new double[24], 0, 8);
        PackedDoubleMatrix panels = SCALAR.packB(false, 3, 8, new double[24], 0, 8);
        PackedDoubleRows rowMajorA = NAIVE.packA(false, 2, 3, new double[6], 0, 3, null);
        PackedDoubleRows slivers = SCALAR.packA(false, 2, 3, new double[6], 0, 3, null);
        double[] c = new double[16];
        // the naive GEMM (the Gemm defaults) takes row-major operands only
        rejects(() -> NAIVE.repackB(panels, false, new double[24], 0, 8), "pack it with the same Gemm's packB", NAIVE);
        rejects(() -> NAIVE.dgemmPackedB(false, 2, new double[6], 0, 3, panels, false, c, 0, 8),
                "pack it with the same Gemm's packB", NAIVE);
        rejects(() -> NAIVE.dgemmPackedAB(slivers, rowMajor, 0, 8, false, c, 0, 8),
                "pack it with the same Gemm's packA", NAIVE);
        rejects(() -> NAIVE.dgemmPackedAB(rowMajorA, panels, 0, 8, false, c, 0, 8),
                "pack it with the same Gemm's packB", NAIVE);
        // a blocked GEMM takes its own panels, and row-major B only together with a row-major A
        rejects(() -> SCALAR.repackB(rowMajor, false, new double[24], 0, 8), "pack it with the same Gemm's packB",
                SCALAR);
        rejects(() -> SCALAR.dgemmPackedAB(rowMajorA, panels, 0, 8, false, c, 0, 8),
                "pack it with the same Gemm's packA", SCALAR);
        assumeTrue(GemmVariants.vectorApiAvailable(), "a second panel layout needs the vector kernel");
        Gemm vector = GemmVariants.fastestSingleThreaded();
        PackedDoubleMatrix vectorPanels = vector.packB(false, 3, 8, new double[24], 0, 8);
        assertThat(vectorPanels.layout()).isNotEqualTo(panels.layout());
        rejects(() -> SCALAR.dgemmPackedB(false, 2, new double[6], 0, 3, vectorPanels, false, c, 0, 8),
                "pack it with the same Gemm's packB", SCALAR);
        rejects(() -> SCALAR.dgemmPackedAB(slivers, vectorPanels, 0, 8, false, c, 0, 8),
                "pack it with the same Gemm's packB", SCALAR);
    }
}
