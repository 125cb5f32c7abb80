package rnnkit.optimized;

import java.util.concurrent.atomic.AtomicBoolean;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.gemm.GemmVariants;
import rnnkit.optimized.gemm.PackedDoubleMatrix;
import rnnkit.optimized.gemm.PackedFloatMatrix;

/**
 * Gets the Vector API kernels (GEMM register tiles, gate activations) compiled by C2 early, once per JVM, on a
 * background daemon thread.
 *
 * <p>Why: Vector API code is only fast once C2 has compiled it with the vector operations intrinsified; until then
 * (interpreter, C1) every vector value is a heap object. Measured here: LSTM (1, 20, 64, 64) float32 forward after
 * 100 ms of warm-up calls on (1, 4, 64, 64) took 5–7 ms and allocated 11 MB per call (JFR: allocation inside
 * jdk.incubator.vector below the float32 vector panel kernel's tile) instead of 0.1–0.2 ms and 0.24 MB once
 * compiled; with batch 1 every tile is a partial tile, and a few long calls give C2 too few invocations to compile
 * the kernels soon. The warm-up calls the kernels many times with small products (full and partial tiles, plain and prepacked
 * B, float and double) and the activations on short blocks, until a round runs at compiled speed or
 * {@link #MAX_NANOS} have passed. It only computes into its own arrays, so it cannot change any result.
 */
final class KernelJitWarmup {
    /** Upper bound on the warm-up's duration. */
    static final long MAX_NANOS = 4_000_000_000L;
    /**
     * A round of warm-up products (about 0.6 M multiply-adds) below this many nanoseconds runs at compiled speed
     * (≥ 3 GFLOP/s; boxed vector code runs at well under 0.5 GFLOP/s here).
     */
    static final long COMPILED_ROUND_NANOS = 400_000L;
    /** Consecutive fast rounds after which the warm-up stops early. */
    static final int FAST_ROUNDS = 50;

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private KernelJitWarmup() {
    }

    /** Starts the warm-up thread unless one was started before in this JVM, or the Vector API is absent. */
    static void startOnce() {
        if (!GemmVariants.vectorApiAvailable() || Boolean.getBoolean("rnnkit.optimized.disableKernelWarmup")
                || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(KernelJitWarmup::run, "rnnkit-kernel-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Runs warm-up rounds until {@link #FAST_ROUNDS} in a row are fast or {@link #MAX_NANOS} have passed. */
    static long run() {
        Gemm gemm = GemmVariants.fastestSingleThreaded();
        int n = 64;
        int k = 64;
        float[] af = new float[8 * k];
        float[] bf = new float[k * n];
        float[] cf = new float[8 * n];
        double[] ad = new double[8 * k];
        double[] bd = new double[k * n];
        double[] cd = new double[8 * n];
        for (int i = 0; i < bf.length; i++) {
            bf[i] = (float) ((i % 17) * 0.01);
            bd[i] = (i % 13) * 0.01;
        }
        for (int i = 0; i < af.length; i++) {
            af[i] = (float) ((i % 7) * 0.1);
            ad[i] = (i % 11) * 0.1;
        }
        PackedFloatMatrix pf = gemm.packB(false, k, n, bf, 0, n);
        PackedDoubleMatrix pd = gemm.packB(false, k, n, bd, 0, n);
        long start = System.nanoTime();
        long rounds = 0;
        int fast = 0;
        while (fast < FAST_ROUNDS && System.nanoTime() - start < MAX_NANOS) {
            long t0 = System.nanoTime();
            for (int m : new int[] {1, 3, 6, 8}) {
                gemm.sgemm(false, false, m, n, k, af, 0, k, bf, 0, n, false, cf, 0, n);
                gemm.sgemmPackedB(false, m, af, 0, k, pf, false, cf, 0, n);
                gemm.sgemmPackedB(false, m, af, 0, k, pf, true, cf, 0, n);
                gemm.dgemm(false, false, m, n, k, ad, 0, k, bd, 0, n, false, cd, 0, n);
                gemm.dgemmPackedB(false, m, ad, 0, k, pd, false, cd, 0, n);
                gemm.dgemmPackedB(false, m, ad, 0, k, pd, true, cd, 0, n);
            }
            // gate activations on blocks of pre-activations (kept bounded: they are overwritten every round)
            FloatActivations.apply(rnnkit.model.Activation.SIGMOID, cf, 0, af, 0, 2 * n);
            FloatActivations.apply(rnnkit.model.Activation.TANH, cf, 2 * n, af, 2 * n, 2 * n);
            DoubleActivations.apply(rnnkit.model.Activation.SIGMOID, cd, 0, ad, 0, 2 * n);
            DoubleActivations.apply(rnnkit.model.Activation.TANH, cd, 2 * n, ad, 2 * n, 2 * n);
            long elapsed = System.nanoTime() - t0;
            fast = elapsed < COMPILED_ROUND_NANOS ? fast + 1 : 0;
            rounds++;
        }
        return rounds;
    }
}
