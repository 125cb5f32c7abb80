package rnnkit.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.optimized.OptimizedRnn;
import rnnkit.optimized.PreparedLayer;
import rnnkit.peers.onnx.OnnxRuntimeRnn;

/**
 * What one layer-call benchmark method needs, built in its trial setup: the contestant the method times, the seeded
 * call (and cotangent), and the kernels warmed with many short calls (see {@link KernelWarmup}); the prepared
 * contestant's layer is prepared here, like ONNX Runtime's session; the paired contestant builds both the prepared
 * layer and the session, exactly as those two do. The reference always
 * computes in float64 on one thread; ONNX Runtime gets its session and time-major input tensor built here, so only
 * {@code session.run} is timed.
 */
final class LayerCallContestant implements AutoCloseable {

    private final LayerCall call;
    private final LayerOutputs cotangent;
    private RnnImplementation impl;
    /** The instance a prepared layer runs on (closed after the trial). */
    private OptimizedRnn optimized;
    /**
     * The prepared contestant's layer and its inputs as an array in the compute precision, made here like ONNX
     * Runtime's input tensor: its forward is the array call (floats in, floats out, as {@code session.run}).
     */
    private PreparedLayer prepared;
    private float[] floatInputs;
    private double[] doubleInputs;
    private int batch;
    private int time;
    private OnnxRuntimeRnn.Prepared session;
    private OnnxTensor input;

    LayerCallContestant(LayerCallMethod method, Workload workload, DType dtype, int threads) {
        boolean backward = method.phase().equals("forward+backward");
        DType computed = method.singleShot() ? DType.FLOAT64 : dtype;
        this.call = workload.call(computed, 42);
        this.cotangent = workload.cotangent(43);
        switch (method.contestant()) {
            case "optimized" -> {
                impl = Contestants.optimized(threads);
                KernelWarmup.layer(impl, workload.warmupWorkload(), computed, false);
                if (backward) {
                    KernelWarmup.layer(impl, workload.warmupWorkload(), computed, true);
                }
            }
            case "prepared" -> prepare(workload, computed, threads, backward);
            case "reference" -> {
                impl = Contestants.reference();
                KernelWarmup.layer(impl, workload.warmupWorkload(), computed, backward);
            }
            case "onnxruntime" -> openSession(threads);
            case "paired" -> {
                prepare(workload, computed, threads, false);
                openSession(threads);
            }
            default -> throw new IllegalArgumentException("no contestant " + method.contestant());
        }
    }

    /**
     * The prepared contestant: the kernels warmed, the layer prepared once ({@code OptimizedRnn.prepare}) and called
     * three times.
     */
    private void prepare(Workload workload, DType computed, int threads, boolean backward) {
        optimized = Contestants.optimized(threads);
        KernelWarmup.layer(optimized, workload.warmupWorkload(), computed, false);
        if (backward) {
            KernelWarmup.layer(optimized, workload.warmupWorkload(), computed, true);
        }
        prepared = optimized.prepare(call.layer(), call.weights(), computed);
        impl = prepared;
        batch = call.inputs().dim(0);
        time = call.inputs().dim(1);
        double[] x = call.inputs().data();
        if (computed == DType.FLOAT32) {
            floatInputs = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                floatInputs[i] = (float) x[i];
            }
        } else {
            doubleInputs = x.clone();
        }
        // the prepared layer's own kernels and packed forms, warmed like the others
        for (int i = 0; i < 3; i++) {
            forward();
        }
        // the timed array call answers what the checked tensor call answers (AccuracyCheck), bit for bit
        double[] viaArrays = values(forward());
        double[] viaTensors = prepared.forward(call).outputs().get(0).data();
        if (!java.util.Arrays.equals(viaArrays, viaTensors)) {
            throw new IllegalStateException("the prepared layer's array call differs from its tensor call on "
                    + workload + " " + computed.kerasName() + "; the benchmark would time a wrong answer");
        }
    }

    /** The ONNX Runtime contestant: the session and its time-major input tensor, run three times. */
    private void openSession(int threads) {
        session = Contestants.onnxRuntime(threads).prepare(call);
        input = session.inputTensor(call.inputs());
        for (int i = 0; i < 3; i++) {
            onnxRuntimeRun();
        }
    }

    /**
     * One invocation of the paired contestant: a block of prepared forward calls and a block of {@code session.run}
     * calls, the prepared block first on even invocations of the trial, ONNX Runtime's on odd ones. Each block
     * starts after an untimed pause
     * ({@link #PAIR_PAUSE_NANOS}) and an untimed warm-in call, then times {@link #BLOCK_CALLS} calls back to back
     * (the steady state the separate runs measure), their wall time added to {@code times}. Returns the last
     * prepared output so that the calls cannot be optimized away.
     */
    Object pair(PairedTimes times) {
        // the order alternates over the whole trial: an iteration may hold a single invocation
        boolean preparedFirst = invocations++ % 2 == 0;
        Object out = null;
        long prepared = 0;
        long ort = 0;
        int results = 0;
        for (int half = 0; half < 2; half++) {
            boolean preparedBlock = (half == 0) == preparedFirst;
            pause(PAIR_PAUSE_NANOS);
            if (preparedBlock) {
                out = forward();
                long t0 = System.nanoTime();
                for (int i = 0; i < BLOCK_CALLS; i++) {
                    out = forward();
                }
                prepared = System.nanoTime() - t0;
            } else {
                results += onnxRuntimeRun();
                long t0 = System.nanoTime();
                for (int i = 0; i < BLOCK_CALLS; i++) {
                    results += onnxRuntimeRun();
                }
                ort = System.nanoTime() - t0;
            }
        }
        times.add(prepared, ort, BLOCK_CALLS);
        return results > 0 ? out : null;
    }

    /** Invocations of the paired contestant so far in this trial (its block order alternates with it). */
    private long invocations;

    /** Waits at least {@code nanos} (parkNanos may return early, so until a deadline). */
    private static void pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    /** Timed calls per contestant and invocation of the paired contestant. */
    static final int BLOCK_CALLS = 4;

    /** The system property that sets {@link #PAIR_PAUSE_NANOS} in milliseconds (a whole number, 0 or more). */
    static final String PAIR_PAUSE_PROPERTY = "bench.pairPauseMs";

    /**
     * The untimed pause before each block of a pair. ONNX Runtime's intra-op worker threads keep spinning after a
     * {@code session.run} (its default {@code allow_spinning}: up to 2^20 spin iterations in its thread pool's
     * worker loop), and on a 2-core machine a spinning worker takes a core from the call that follows; our own
     * workers spin about 40 µs. The pause lets both go idle, so neither contestant runs beside the other's spinning
     * threads; the warm-in call after it wakes the contestant's own threads before the timed calls.
     */
    static final long PAIR_PAUSE_NANOS = PairedTimes.pairPauseMillis(System.getProperty(PAIR_PAUSE_PROPERTY))
            * 1_000_000L;

    /**
     * One forward call: the prepared layer's array call on the inputs made in setup (its output values), or the
     * contestant's {@code forward(call)} (its LayerOutputs, double tensors).
     */
    Object forward() {
        if (prepared != null) {
            return floatInputs != null ? prepared.forward(floatInputs, batch, time)
                    : prepared.forward(doubleInputs, batch, time);
        }
        return impl.forward(call);
    }

    /** A forward result's output values as doubles (exactly: floats widen without rounding). */
    static double[] values(Object forwardResult) {
        if (forwardResult instanceof float[] f) {
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (forwardResult instanceof double[] d) {
            return d;
        }
        return ((LayerOutputs) forwardResult).outputs().get(0).data();
    }

    LayerGradients backward() {
        return impl.backward(call, cotangent);
    }

    /** One {@code session.run}; the result is closed (its native buffers freed) before returning. */
    int onnxRuntimeRun() {
        try (OrtSession.Result r = session.runRaw(input)) {
            return r.size();
        }
    }

    @Override
    public void close() {
        Contestants.closeQuietly(impl);
        Contestants.closeQuietly(optimized);
        if (input != null) {
            input.close();
        }
        if (session != null) {
            session.close();
        }
    }
}
