package rnnkit.bench;

import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.optimized.gemm.Gemm;

/**
 * Warms compiled kernels up with many short calls before JMH's own warm-up iterations. When a Vector API kernel
 * was first compiled during one long call (on-stack replacement), about half the JVMs measured on a 2-core AVX-512
 * Xeon got non-intrinsified vector code 15× slower; many short calls make the JIT compile the kernel
 * methods normally. Runs for {@value #PROPERTY} milliseconds (default 1000) and at least {@link #MIN_CALLS} calls.
 */
public final class KernelWarmup {
    /** System property: warm-up duration per benchmark trial in milliseconds. */
    public static final String PROPERTY = "bench.kernelWarmupMs";
    static final int MIN_CALLS = 200;

    private KernelWarmup() {
    }

    static long durationNanos() {
        return Long.getLong(PROPERTY, 1000L) * 1_000_000L;
    }

    /** Calls forward (and backward if asked) on a small version of the workload, many times. */
    public static long layer(RnnImplementation impl, Workload small, DType dtype, boolean backward) {
        LayerCall call = small.call(dtype, 7);
        LayerOutputs cot = small.cotangent(8);
        long end = System.nanoTime() + durationNanos();
        long calls = 0;
        double sink = 0;
        while (calls < MIN_CALLS || System.nanoTime() < end) {
            sink += backward ? impl.backward(call, cot).weights().get(0).data()[0]
                             : impl.forward(call).output().data()[0];
            calls++;
        }
        if (Double.isNaN(sink)) {
            throw new IllegalStateException(impl.name() + " returned NaN on the warm-up call " + small);
        }
        return calls;
    }

    /** Many 64×64×64 products in the given precision. */
    public static long gemm(Gemm gemm, boolean single) {
        int n = 64;
        float[] af = new float[n * n];
        float[] bf = new float[n * n];
        float[] cf = new float[n * n];
        double[] ad = new double[n * n];
        double[] bd = new double[n * n];
        double[] cd = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            af[i] = bf[i] = (float) ((i % 17) * 0.01);
            ad[i] = bd[i] = (i % 13) * 0.01;
        }
        long end = System.nanoTime() + durationNanos();
        long calls = 0;
        while (calls < MIN_CALLS || System.nanoTime() < end) {
            if (single) {
                gemm.sgemm(false, false, n, n, n, af, 0, n, bf, 0, n, false, cf, 0, n);
            } else {
                gemm.dgemm(false, false, n, n, n, ad, 0, n, bd, 0, n, false, cd, 0, n);
            }
            calls++;
        }
        return calls;
    }
}
