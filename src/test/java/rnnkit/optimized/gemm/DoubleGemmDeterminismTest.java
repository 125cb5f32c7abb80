// FloatGemmDeterminismTest.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * Bit-identity of the blocked GEMMs' float64 products: across thread counts 1, 2, 3, 7 (C split over row slivers
 * and over column panels, unpacked and prepacked B) and between the scalar and the vector kernel.
 */
class DoubleGemmDeterminismTest {

    private static final int[] THREAD_COUNTS = {1, 2, 3, 7};
    /**
     * m, n, k: split over column panels (n large; m = 61 leaves a 1-row last sliver for the wide tile), over row
     * slivers (n below one panel; n below m), and a small-batch shape like an RNN step.
     */
    private static final int[][] SHAPES = {{61, 230, 300}, {200, 11, 300}, {100, 70, 300}, {9, 333, 513}};

    @Test
    void resultsAreBitIdenticalForEveryThreadCount() throws Exception {
        for (boolean vector : new boolean[] {false, true}) {
            for (int[] s : SHAPES) {
                for (int t = 0; t < 8; t++) {
                    DoubleGemmCase gemmCase = new DoubleGemmCase((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2],
                            (t & 4) != 0, new SplittableRandom(t));
                    double[] expected = null;
                    double[] expectedPacked = null;
                    for (int threads : THREAD_COUNTS) {
                        try (ParallelRunner runner = new ParallelRunner(threads)) {
                            Gemm gemm = vector ? GemmVariants.fastest(runner) : GemmVariants.scalarBlocked(runner);
                            double[] c = gemmCase.run(gemm);
                            double[] cPacked = gemmCase.runPacked(gemm);
                            if (expected == null) {
                                expected = c;
                                expectedPacked = cPacked;
                            }
                            assertThat(c).as("%s, %d threads, %s", gemm.name(), threads, gemmCase)
                                    .isEqualTo(expected);
                            assertThat(cPacked).as("%s packed B, %d threads, %s", gemm.name(), threads, gemmCase)
                                    .isEqualTo(expectedPacked);
                        }
                    }
                    assertThat(expectedPacked).as("packed B equals unpacked, %s", gemmCase).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * A packed once and C finished in column ranges (an RNN step's chunks) gives the bits of the prepacked-B
     * product, on every variant (the row-major defaults too), across row blocks (m = 250) and depth blocks.
     */
    @Test
    void packedLeftOperandInColumnRangesGivesThePackedBBits() {
        try (ParallelRunner runner = new ParallelRunner(2)) {
            int checked = 0;
            for (Gemm gemm : GemmVariants.all(runner)) {
                for (int[] s : new int[][] {{1, 333, 513}, {9, 100, 300}, {250, 70, 40}, {16, 64, 64}}) {
                    for (int t = 0; t < 4; t++) {
                        DoubleGemmCase d = new DoubleGemmCase((t & 1) != 0, false, s[0], s[1], s[2], (t & 2) != 0,
                                new SplittableRandom(300 + t));
                        for (int piece : new int[] {1, 40, 1000}) {
                            assertThat(d.runPackedAB(gemm, piece)).as("%s pieces of %d, %s", gemm.name(), piece, d)
                                    .isEqualTo(d.runPacked(gemm));
                            checked++;
                        }
                    }
                }
            }
            assertThat(checked).isEqualTo(GemmVariants.all(runner).size() * 4 * 4 * 3);
        }
    }

    /** Same depth block and fma order (panel-kernel contract), different tile shapes: same bits. */
    @Test
    void scalarAndVectorKernelsAreBitIdentical() {
        try (ParallelRunner oneThread = new ParallelRunner(1)) {
            Gemm scalar = GemmVariants.scalarBlocked(oneThread);
            Gemm vector = GemmVariants.fastestSingleThreaded();
            assertThat(vector.name()).startsWith("vector");
            for (int[] s : new int[][] {{13, 37, 600}, {1, 70, 257}, {7, 1, 3}}) {
                for (int t = 0; t < 8; t++) {
                    DoubleGemmCase d = new DoubleGemmCase((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2],
                            (t & 4) != 0, new SplittableRandom(200 + t));
                    assertThat(d.run(vector)).as("%s", d).isEqualTo(d.run(scalar));
                }
            }
        }
    }
}
