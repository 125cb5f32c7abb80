package rnnkit.optimized.gemm;

import java.util.SplittableRandom;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * Hand-run speed check (not a test): GFLOP/s of the blocked GEMMs on a few shapes, 1 and 2 threads.
 *
 * <pre>
 * mvn -q test-compile
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *      rnnkit.optimized.gemm.GemmSpeedCheck [seconds-per-measurement]
 * </pre>
 *
 * Warm-up first runs thousands of small products so the micro-kernel is compiled through the normal tiered path
 * and not by on-stack replacement inside one long call (seen on AVX-512 Xeons: OSR-compiled vector code can
 * come out non-intrinsified, 10× slower). Each number is the best of 5 timed repetitions; other processes on the
 * machine make them noisy.
 */
public final class GemmSpeedCheck {

    private static final int[][] SHAPES = {{64, 1536, 512}, {512, 512, 512}, {2048, 2048, 2048},
        // one LSTM time step, units 512: h_t (batch×512) · U (512×2048), batch 1, 8, 32
        {1, 2048, 512}, {8, 2048, 512}, {32, 2048, 512}};

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.5;
        String only = args.length > 1 ? args[1] : "";
        try (ParallelRunner one = new ParallelRunner(1); ParallelRunner two = new ParallelRunner(2)) {
            Gemm[] gemms = {GemmVariants.fastest(one), GemmVariants.fastest(two), GemmVariants.scalarBlocked(one)};
            for (Gemm gemm : gemms) {
                GemmVariants.warmUp(gemm);
            }
            for (Gemm gemm : gemms) {
                if (!gemm.name().contains(only.replace("step", ""))) {
                    continue;
                }
                for (int[] s : SHAPES) {
                    if (only.startsWith("step") && s[1] != 2048 || gemm.name().startsWith("scalar") && s[0] == 2048) {
                        continue;
                    }
                    System.out.printf("%-28s float  %4d×%4d×%4d  %6.1f GFLOP/s   packed-B %6.1f%n", gemm.name(),
                            s[0], s[1], s[2], floatRate(gemm, s, seconds, false), floatRate(gemm, s, seconds, true));
                    System.out.printf("%-28s double %4d×%4d×%4d  %6.1f GFLOP/s   packed-B %6.1f%n", gemm.name(),
                            s[0], s[1], s[2], doubleRate(gemm, s, seconds, false), doubleRate(gemm, s, seconds, true));
                }
            }
        }
    }

    static double floatRate(Gemm gemm, int[] s, double seconds, boolean packed) {
        int m = s[0];
        int n = s[1];
        int k = s[2];
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextDouble();
        }
        PackedFloatMatrix pb = gemm.packB(false, k, n, b, 0, n);
        Runnable call = packed
                ? () -> gemm.sgemmPackedB(false, m, a, 0, k, pb, false, c, 0, n)
                : () -> gemm.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, false, c, 0, n);
        return rate(call, 2.0 * m * n * k, seconds);
    }

    static double doubleRate(Gemm gemm, int[] s, double seconds, boolean packed) {
        int m = s[0];
        int n = s[1];
        int k = s[2];
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        double[] c = new double[m * n];
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextDouble();
        }
        PackedDoubleMatrix pb = gemm.packB(false, k, n, b, 0, n);
        Runnable call = packed
                ? () -> gemm.dgemmPackedB(false, m, a, 0, k, pb, false, c, 0, n)
                : () -> gemm.dgemm(false, false, m, n, k, a, 0, k, b, 0, n, false, c, 0, n);
        return rate(call, 2.0 * m * n * k, seconds);
    }

    /**
     * Best of 5 repetitions, each running {@code call} for about {@code seconds / 5}. With the system property
     * {@code cpuTime=true} the rate is per second of the calling thread's CPU time instead of wall time: less
     * disturbed by other processes time-sharing the cores, but only meaningful for single-threaded products.
     */
    static double rate(Runnable call, double flops, double seconds) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpu = Boolean.getBoolean("cpuTime");
        call.run();
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            long start = System.nanoTime();
            long cpuStart = mx.getCurrentThreadCpuTime();
            long deadline = start + (long) (seconds / 5 * 1e9);
            int calls = 0;
            long now;
            do {
                call.run();
                calls++;
                now = System.nanoTime();
            } while (now < deadline);
            long elapsed = cpu ? mx.getCurrentThreadCpuTime() - cpuStart : now - start;
            best = Math.max(best, flops * calls / elapsed);
        }
        return best;
    }
}
