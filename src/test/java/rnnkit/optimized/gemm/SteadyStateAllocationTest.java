package rnnkit.optimized.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rnnkit.optimized.parallel.ParallelRunner;
import rnnkit.testing.AllocationSources;

/**
 * Repeated same-size products allocate nothing once warmed up (thread-local packing buffers, a reusable
 * per-caller range task, allocation-free runner hand-off): counted over the caller and the runner's workers with
 * the JVM's per-thread allocation counters.
 */
class SteadyStateAllocationTest {

    private static final int CALLS = 300;
    private static final int WINDOWS = 3;

    @Test
    void repeatedProductsAllocateNothingOnCallerOrWorkers() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (ParallelRunner runner = new ParallelRunner(2)) {
            Gemm gemm = GemmVariants.fastest(runner);
            SplittableRandom random = new SplittableRandom(3);
            int m = 32;
            int n = 512;
            int k = 128;
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            float[] c = new float[m * n];
            double[] ad = new double[m * k];
            double[] bd = new double[k * n];
            double[] cd = new double[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextGaussian();
                ad[i] = random.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) random.nextGaussian();
                bd[i] = random.nextGaussian();
            }
            PackedFloatMatrix packed = gemm.packB(false, k, n, b, 0, n);
            PackedDoubleMatrix packedD = gemm.packB(false, k, n, bd, 0, n);
            Runnable step = () -> {
                gemm.sgemm(false, true, m, n, k, a, 0, k, b, 0, k, false, c, 0, n);
                gemm.sgemmPackedB(false, m, a, 0, k, packed, true, c, 0, n);
                gemm.dgemm(true, false, m, n, k, ad, 0, m, bd, 0, n, false, cd, 0, n);
                gemm.dgemmPackedB(false, m, ad, 0, k, packedD, true, cd, 0, n);
            };
            for (int i = 0; i < 4 * CALLS; i++) { // warm-up: C2 compiles the kernels (escape analysis needs C2)
                step.run();
            }
            // the caller and this runner's own worker (named after the runner; other runners' threads may still be
            // alive in the same JVM)
            String workerPrefix = "rnnkit-parallel-" + System.identityHashCode(runner) + "-";
            long[] ids = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t == Thread.currentThread() || t.getName().startsWith(workerPrefix))
                    .mapToLong(Thread::getId).toArray();
            assertThat(ids).as("the caller and the threads named %s*", workerPrefix).hasSize(2);
            // Up to WINDOWS windows of CALLS steps: a steady state allocates nothing in one of them, while anything a
            // product allocates shows in every window. A single window can catch the JIT recompiling a kernel (its
            // code is interpreted or boxes vectors for a moment; seen once on the AVX2-limited JVM: 1184 bytes on a
            // worker in 300 steps), which is not the steady state.
            List<String> windows = new java.util.ArrayList<>();
            long total = Long.MAX_VALUE;
            for (int w = 0; w < WINDOWS && total >= 1024; w++) {
                long[] before = threads.getThreadAllocatedBytes(ids);
                for (int i = 0; i < CALLS; i++) {
                    step.run();
                }
                long[] after = threads.getThreadAllocatedBytes(ids);
                total = 0;
                long[] perThread = new long[ids.length];
                for (int t = 0; t < ids.length; t++) {
                    perThread[t] = after[t] - before[t];
                    total += perThread[t];
                }
                windows.add(Arrays.toString(perThread));
            }
            if (total >= 1024) {
                // say what allocates: the code, or C2's compiled Vector API code boxing vectors (a JIT state)
                AllocationSources.Split sources = AllocationSources.of(() -> {
                    for (int i = 0; i < CALLS; i++) {
                        step.run();
                    }
                });
                // The counter read itself allocates its result array (a few dozen bytes); 4 products per step.
                assertThat(total).as("bytes allocated by %d steps, per thread, in each window: %s; sampled sources:"
                        + " %s", CALLS, windows, sources).isLessThan(1024);
            }
        }
    }

    @Test
    void packingALeftOperandAgainIntoTheSameObjectAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        long self = Thread.currentThread().getId();
        // two row blocks and two depth blocks of the blocked packing; one m×k copy for the naive GEMM's
        int m = 2 * BlockedGemm.ROW_BLOCK_TARGET;
        int k = BlockedGemm.DEPTH_BLOCK + 44;
        double[] a = new double[m * k];
        java.util.Arrays.fill(a, 0.5);
        for (Gemm gemm : List.of(new NaiveGemm(), GemmVariants.fastestSingleThreaded())) {
            PackedDoubleRows packed = gemm.packA(false, m, k, a, 0, k, null);
            for (int i = 0; i < CALLS; i++) { // warm-up
                gemm.packA(false, m, k, a, 0, k, packed);
            }
            long before = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < CALLS; i++) {
                gemm.packA(i % 2 == 0, m, k, a, 0, i % 2 == 0 ? m : k, packed);
            }
            long allocated = threads.getThreadAllocatedBytes(self) - before;
            assertThat(allocated).as("bytes allocated by %d repacks, %s", CALLS, gemm.name()).isLessThan(1024);
        }
    }
}
