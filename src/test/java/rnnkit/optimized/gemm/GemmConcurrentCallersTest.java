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

/** Many threads calling one blocked GEMM at once get the results of sequential calls, in both precisions. */
class GemmConcurrentCallersTest {

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
