package rnnkit.optimized;

import java.util.List;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.gemm.GemmVariants;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * The optimized implementation of Keras recurrent layers: float32 or float64 as {@link LayerCall#dtype()} asks
 * (float32 rounds inputs and weights to float, computes in float, and returns the floats widened exactly),
 * forward and backward, for every layer {@code rnnkit.model} expresses.
 *
 * <p>How it is fast (see the kernel classes for the fused equations):
 * <ul>
 * <li>the weights are converted, bias-summed and packed once per call, or once for many calls by
 * {@link #prepare} ({@link PreparedLayer}, the analogue of an ONNX Runtime session);</li>
 * <li>each cell projects the inputs of all time steps with one GEMM (B·T × D)·(D × kU) before the recurrence;</li>
 * <li>each step does one GEMM h·U per chunk of units for all its gate blocks (the recurrent kernel packed
 * gate-interleaved), and the chunk's bias, gate activations and state update run on that tile right away;</li>
 * <li>backward does only dh·U^T per step; dW, dU and db are GEMMs / sums over all B·T rows at the end;</li>
 * <li>the working arrays over all steps (pre-activations, states, tapes, gradients) are kept between calls in a
 * {@code Workspace} and handed out again to the next call of the same shape: a steady stream of calls allocates
 * nothing that grows with the sequence length beyond the returned tensors (WorkspaceReuseTest measures it);
 * an instance keeps up to 1 GiB of them per concurrent call until {@link #close()};</li>
 * <li>threads own contiguous batch slices for the whole recurrence (their rows of the input projection and all
 * steps, no barrier between steps); GEMMs over all steps are split over output rows, never over the summed
 * dimension: results are bit-identical for every thread count;</li>
 * <li>when the batch is a single slice (small batch) and U is large, each thread instead owns a fixed range of unit
 * chunks for the whole sequence and finishes them at every step (each element still computed by one thread in the
 * same order);</li>
 * <li>the Vector API kernels are warmed up once per JVM on a background thread ({@code KernelJitWarmup}).</li>
 * </ul>
 * Thread-safe: concurrent calls share only immutable configuration and the thread pool, and each takes its own
 * workspace.
 */
public final class OptimizedRnn implements RnnImplementation, AutoCloseable {
    /** Batch slices and GEMM row splits start at multiples of this, so every row sees the same GEMM tiling. */
    public static final int DEFAULT_ROW_ALIGN = 8;

    private final int threads;
    private final Gemm gemm;
    private final int rowAlign;
    private final ParallelRunner runner;
    private final DoubleModel doubleModel;
    private final FloatModel floatModel;

    /** One thread per available processor, the default GEMM. */
    public OptimizedRnn() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public OptimizedRnn(int threads) {
        this(threads, defaultGemm(), DEFAULT_ROW_ALIGN);
    }

    /**
     * @param threads worker threads (≥ 1)
     * @param gemm the matrix multiply every product goes through
     * @param rowAlign batch slices and GEMM row splits start at multiples of this (≥ 1; use a multiple of the
     *     GEMM's row tile so results do not depend on the thread count)
     */
    public OptimizedRnn(int threads, Gemm gemm, int rowAlign) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count is " + threads + "; expected at least 1");
        }
        if (gemm == null) {
            throw new IllegalArgumentException("gemm is null; expected a Gemm implementation");
        }
        if (rowAlign < 1) {
            throw new IllegalArgumentException("row alignment is " + rowAlign + "; expected at least 1");
        }
        this.threads = threads;
        this.gemm = gemm;
        this.rowAlign = rowAlign;
        this.runner = new ParallelRunner(threads);
        this.doubleModel = new DoubleModel(gemm, runner, rowAlign);
        this.floatModel = new FloatModel(gemm, runner, rowAlign);
        // once per JVM: get the Vector API kernels C2-compiled early, in the background (see KernelJitWarmup)
        KernelJitWarmup.startOnce();
    }

    /**
     * The GEMM used when none is given: the fastest blocked GEMM on the calling thread (the layer splits its work
     * over threads itself, so GEMMs never spawn threads of their own inside a batch slice).
     */
    public static Gemm defaultGemm() {
        return GemmVariants.fastestSingleThreaded();
    }

    public int threads() {
        return threads;
    }

    public Gemm gemm() {
        return gemm;
    }

    @Override
    public String name() {
        return "optimized";
    }

    /**
     * Prepares {@code layer} with {@code weights} (Keras get_weights() order) for many calls in {@code dtype}, the
     * analogue of an ONNX Runtime session: the weights are copied, converted, bias-summed and packed once here, and
     * every call of the returned layer skips that work. Results are bit-identical to {@link #forward} /
     * {@link #backward} with the same weights. The prepared layer keeps the weights' values as they are now (a
     * defensive copy) and runs on this instance's threads.
     *
     * @throws IllegalArgumentException if the weights do not fit the layer (names the weight and the shape it needs)
     */
    public PreparedLayer prepare(LayerSpec layer, List<Tensor> weights, DType dtype) {
        return new PreparedLayer(this, doubleModel, floatModel, layer, weights, dtype);
    }

    /** The layer prepared for these weights ({@link #prepare}): the same bits as this instance's calls. */
    @Override
    public RnnImplementation forWeights(LayerSpec layer, List<Tensor> weights, DType dtype) {
        return prepare(layer, weights, dtype);
    }

    DoubleModel doubleModel() {
        return doubleModel;
    }

    FloatModel floatModel() {
        return floatModel;
    }

    @Override
    public LayerOutputs forward(LayerCall call) {
        return call.dtype() == DType.FLOAT32 ? floatModel.forward(call) : doubleModel.forward(call);
    }

    @Override
    public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
        if (cotangent == null) {
            throw new IllegalArgumentException(call.layer().describe() + ": cotangent is null; expected one tensor per output");
        }
        return call.dtype() == DType.FLOAT32 ? floatModel.backward(call, cotangent) : doubleModel.backward(call, cotangent);
    }

    @Override
    public void close() {
        floatModel.releaseWorkspaces();
        doubleModel.releaseWorkspaces();
        runner.close();
    }
}
