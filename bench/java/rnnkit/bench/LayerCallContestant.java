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
 * contestant's layer is prepared here, like ONNX Runtime's session. The reference always
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
            case "prepared" -> {
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
            case "reference" -> {
                impl = Contestants.reference();
                KernelWarmup.layer(impl, workload.warmupWorkload(), computed, backward);
            }
            case "onnxruntime" -> {
                session = Contestants.onnxRuntime(threads).prepare(call);
                input = session.inputTensor(call.inputs());
                for (int i = 0; i < 3; i++) {
                    onnxRuntimeRun();
                }
            }
            default -> throw new IllegalArgumentException("no contestant " + method.contestant());
        }
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
