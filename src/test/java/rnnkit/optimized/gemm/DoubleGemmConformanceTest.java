// FloatGemmConformanceTest.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * Every GEMM variant's float64 products against the exact reference ({@link GemmReference}) on shape grids that
 * straddle every block and tile size (B−1, B, B+1 in m, n and k, plus 0, 1, 2; also the in-place-B row limit),
 * all four transpose combinations, offsets and padded leading dimensions, accumulate on and off, unpacked and
 * with prepacked B. The variants themselves are listed and counted by {@link GemmVariantsTest}.
 */
class DoubleGemmConformanceTest {

    private static ParallelRunner threadedRunner;
    private static List<Gemm> variants;

    @BeforeAll
    static void makeVariants() {
        threadedRunner = new ParallelRunner(GemmVariants.THREADED_VARIANT_THREADS);
        variants = GemmVariants.all(threadedRunner);
    }

    @AfterAll
    static void closeRunner() {
        threadedRunner.close();
    }

    /** Tile-level grid: m, n around every MR, NR; k around KC; all transposes, both accumulate modes. */
    @Test
    void everyVariantMatchesTheReferenceAcrossTileBoundaries() {
        List<DoubleGemmCase> cases = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(12);
        for (int m : straddle(Dim.ROWS_TILE)) {
            for (int n : straddle(Dim.COLS_TILE)) {
                for (int k : straddle(Dim.DEPTH)) {
                    for (int t = 0; t < 8; t++) {
                        cases.add(new DoubleGemmCase((t & 1) != 0, (t & 2) != 0, m, n, k, (t & 4) != 0, random));
                    }
                }
            }
        }
        check(cases);
    }

    /**
     * Cache-level blocks: m around MC (n, k past one tile / depth block), n around NC (m small); all transposes,
     * accumulate alternating so both modes meet every size.
     */
    @Test
    void everyVariantMatchesTheReferenceAcrossCacheBlocks() {
        List<DoubleGemmCase> cases = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(14);
        int k = BlockedGemm.DEPTH_BLOCK + 1;
        for (int t = 0; t < 4; t++) {
            boolean accumulate = t % 2 == 0;
            for (int m : straddle(Dim.ROWS_BLOCK)) {
                accumulate = !accumulate;
                cases.add(new DoubleGemmCase((t & 1) != 0, (t & 2) != 0, m, 17, k, accumulate, random));
            }
            for (int n : straddle(Dim.COLS_BLOCK)) {
                accumulate = !accumulate;
                cases.add(new DoubleGemmCase((t & 1) != 0, (t & 2) != 0, 3, n, k, accumulate, random));
            }
        }
        check(cases);
    }

    private static void check(List<DoubleGemmCase> cases) {
        int checked = 0;
        for (DoubleGemmCase gemmCase : cases) {
            /**/double[][] reference = gemmCase.referenceAndBound();
            for (Gemm gemm : variants) {
                assertThat(gemmCase.mismatch(gemmCase.run(gemm), reference))
                        .as("%s on %s", gemm.name(), gemmCase).isNull();
                assertThat(gemmCase.mismatch(gemmCase.runPacked(gemm), reference))
                        .as("%s with packed B on %s", gemm.name(), gemmCase).isNull();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(cases.size() * variants.size());
    }

    private enum Dim { ROWS_TILE, COLS_TILE, DEPTH, ROWS_BLOCK, COLS_BLOCK }

    /**
     * B−1, B, B+1 for every block size B of that dimension over all blocked variants (tile dims add 0, 1, 2;
     * columns also 2·NR±1, the width of the vector kernel's few-row wide tile).
     */
    private static int[] straddle(Dim dim) {
        TreeSet<Integer> sizes = new TreeSet<>();
        if (dim == Dim.ROWS_TILE || dim == Dim.COLS_TILE || dim == Dim.DEPTH) {
            sizes.addAll(List.of(0, 1, 2));
        }
        for (Gemm gemm : variants) {
            if (gemm instanceof BlockedGemm blocked) {
                BlockedGemm.BlockSizes s = blocked.blockSizes();
                int b = switch (dim) {
                    case ROWS_TILE -> s.doubleTileRows();
                    case COLS_TILE -> s.doubleTileCols();
                    case DEPTH -> s.depthBlock();
                    case ROWS_BLOCK -> s.doubleRowBlock();
                    case COLS_BLOCK -> s.columnBlock();
                };
                sizes.addAll(List.of(b - 1, b, b + 1));
                if (dim == Dim.ROWS_BLOCK) {
                    // up to this many rows a row-major B is read in place instead of packed
                    int direct = BlockedGemm.DIRECT_B_MAX_ROWS;
                    sizes.addAll(List.of(direct - 1, direct, direct + 1));
                }
                if (dim == Dim.COLS_TILE) {
                    // the vector kernel's wide tile for few-row slivers spans two panels
                    sizes.addAll(List.of(2 * b - 1, 2 * b, 2 * b + 1));
                }
            }
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }
}
