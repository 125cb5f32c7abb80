package rnnkit.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.optimized.OptimizedRnn;
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
        impl = optimized.prepare(call.layer(), call.weights(), computed);
        // the prepared layer's own kernels and packed forms, warmed like the others
        for (int i = 0; i < 3; i++) {
            impl.forward(call);
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
        LayerOutputs out;
        long prepared;
        long ort;
        int results;
        if (preparedFirst) {
            long t0 = System.nanoTime();
            out = impl.forward(call);
            long t1 = System.nanoTime();
            results = onnxRuntimeRun();
            long t2 = System.nanoTime();
            prepared = t1 - t0;
            ort = t2 - t1;
        } else {
            long t0 = System.nanoTime();
            results = onnxRuntimeRun();
            long t1 = System.nanoTime();
            out = impl.forward(call);
            long t2 = System.nanoTime();
            ort = t1 - t0;
            prepared = t2 - t1;
        }
        times.add(prepared, ort);
        return results > 0 ? out : null;
    }

    LayerOutputs forward() {
        return impl.forward(call);
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
