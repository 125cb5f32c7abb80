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
     * One pair of the paired contestant: a prepared forward call and a {@code session.run}, the prepared call first
     * when {@code preparedFirst}; each call's wall time is added to {@code times}. Returns the output's
     * sequence so that the call cannot be optimized away.
     */
    Object pair(PairedTimes times, boolean preparedFirst) {
        Object out;
        long prepared;
        long ort;
        int results;
        if (preparedFirst) {
            long t0 = System.nanoTime();
            out = forward();
            long t1 = System.nanoTime();
            results = onnxRuntimeRun();
            long t2 = System.nanoTime();
            prepared = t1 - t0;
            ort = t2 - t1;
        } else {
            long t0 = System.nanoTime();
            results = onnxRuntimeRun();
            long t1 = System.nanoTime();
            out = forward();
            long t2 = System.nanoTime();
            ort = t1 - t0;
            prepared = t2 - t1;
        }
        times.add(prepared, ort);
        return results > 0 ? out : null;
    }

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
