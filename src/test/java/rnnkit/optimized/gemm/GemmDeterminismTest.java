package rnnkit.optimized.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * Bit-identity properties of the blocked GEMMs: across thread counts 1, 2, 3, 7 (C split over row slivers and
 * over column panels, unpacked and prepacked B), between the scalar and the vector kernel, and under many
 * threads calling one instance at once.
 */
class GemmDeterminismTest {

    private static final int[] THREAD_COUNTS = {1, 2, 3, 7};
    /**
     * m, n, k: split over column panels (n large; m = 61 leaves a 1-row last sliver for the wide tile), over row
     * slivers (n below one panel; n below m), and a small-batch shape like an RNN step.
     */
    private static final int[][] SHAPES = {{61, 230, 300}, {200, 11, 300}, {100, 70, 300}, {9, 333, 513}};

    @Test
    void floatResultsAreBitIdenticalForEveryThreadCount() throws Exception {
        for (boolean vector : new boolean[] {false, true}) {
            for (int[] s : SHAPES) {
                for (int t = 0; t < 8; t++) {
                    FloatGemmCase gemmCase = new FloatGemmCase((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2],
                            (t & 4) != 0, new SplittableRandom(t));
                    float[] expected = null;
                    float[] expectedPacked = null;
                    for (int threads : THREAD_COUNTS) {
                        try (ParallelRunner runner = new ParallelRunner(threads)) {
                            Gemm gemm = vector ? GemmVariants.fastest(runner) : GemmVariants.scalarBlocked(runner);
                            float[] c = gemmCase.run(gemm);
                            float[] cPacked = gemmCase.runPacked(gemm);
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

    @Test
    void doubleResultsAreBitIdenticalForEveryThreadCount() throws Exception {
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

    /** Same depth block and fma order (PanelKernel contract), different tile shapes: same bits. */
    @Test
    void scalarAndVectorKernelsAreBitIdentical() {
        Gemm scalar = GemmVariants.scalarBlocked(new ParallelRunner(1));
        Gemm vector = GemmVariants.fastestSingleThreaded();
        assertThat(vector.name()).startsWith("vector");
        for (int[] s : new int[][] {{13, 37, 600}, {1, 70, 257}, {7, 1, 3}}) {
            for (int t = 0; t < 8; t++) {
                FloatGemmCase f = new FloatGemmCase((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], (t & 4) != 0,
                        new SplittableRandom(100 + t));
                assertThat(f.run(vector)).as("%s", f).isEqualTo(f.run(scalar));
                DoubleGemmCase d = new DoubleGemmCase((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], (t & 4) != 0,
                        new SplittableRandom(200 + t));
                assertThat(d.run(vector)).as("%s", d).isEqualTo(d.run(scalar));
            }
        }
    }

    /** 8 callers hammer one 2-thread instance (unpacked and one shared packed B) and must see sequential results. */
    @Test
    void concurrentCallersOnOneInstanceGetSequentialResults() throws Exception {
        int callers = 8;
        int callsPerCaller = 12;
        try (ParallelRunner runner = new ParallelRunner(2)) {
            Gemm gemm = GemmVariants.fastest(runner);
            List<FloatGemmCase> floatCases = new ArrayList<>();
            List<DoubleGemmCase> doubleCases = new ArrayList<>();
            List<float[]> floatExpected = new ArrayList<>();
            List<double[]> doubleExpected = new ArrayList<>();
            for (int i = 0; i < callers * callsPerCaller; i++) {
                SplittableRandom random = new SplittableRandom(1000 + i);
                int m = 1 + random.nextInt(80);
                int n = 1 + random.nextInt(200);
                int k = 1 + random.nextInt(400);
                floatCases.add(new FloatGemmCase(random.nextBoolean(), random.nextBoolean(), m, n, k,
                        random.nextBoolean(), random));
                doubleCases.add(new DoubleGemmCase(random.nextBoolean(), random.nextBoolean(), m, n, k,
                        random.nextBoolean(), random));
                floatExpected.add(floatCases.get(i).run(gemm));
                doubleExpected.add(doubleCases.get(i).run(gemm));
            }
            // One packed weight matrix shared by all callers, as a layer shares its recurrent kernel.
            SplittableRandom random = new SplittableRandom(7);
            int k = 300;
            int n = 260;
            float[] weights = new float[k * n];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) random.nextGaussian();
            }
            PackedFloatMatrix packed = gemm.packB(false, k, n, weights, 0, n);
            float[][] inputs = new float[callers][17 * k];
            float[][] packedExpected = new float[callers][17 * n];
            for (int t = 0; t < callers; t++) {
                for (int i = 0; i < inputs[t].length; i++) {
                    inputs[t][i] = (float) random.nextGaussian();
                }
                gemm.sgemm(false, false, 17, n, k, inputs[t], 0, k, weights, 0, n, false, packedExpected[t], 0, n);
            }

            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < callers; t++) {
                    int caller = t;
                    Callable<String> work = () -> {
                        start.await();
                        float[] c = new float[17 * n];
                        for (int rep = 0; rep < callsPerCaller; rep++) {
                            int i = caller * callsPerCaller + rep;
                            if (!java.util.Arrays.equals(floatCases.get(i).run(gemm), floatExpected.get(i))) {
                                return "float differs: " + floatCases.get(i);
                            }
                            if (!java.util.Arrays.equals(doubleCases.get(i).run(gemm), doubleExpected.get(i))) {
                                return "double differs: " + doubleCases.get(i);
                            }
                            gemm.sgemmPackedB(false, 17, inputs[caller], 0, k, packed, false, c, 0, n);
                            if (!java.util.Arrays.equals(c, packedExpected[caller])) {
                                return "packed-B product differs for caller " + caller;
                            }
                        }
                        return "ok";
                    };
                    results.add(pool.submit(work));
                }
                start.countDown();
                for (Future<String> result : results) {
                    assertThat(result.get()).isEqualTo("ok");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
