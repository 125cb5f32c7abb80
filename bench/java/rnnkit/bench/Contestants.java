package rnnkit.bench;

import rnnkit.model.RnnImplementation;
import rnnkit.optimized.OptimizedRnn;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.gemm.GemmVariants;
import rnnkit.optimized.parallel.ParallelRunner;
import rnnkit.peers.onnx.OnnxRuntimeRnn;
import rnnkit.reference.ReferenceRnn;

/**
 * The contestants the suite races, as the report names them: {@code reference} ({@link ReferenceRnn}, scalar
 * float64 on one thread), {@code optimized} ({@link OptimizedRnn}), {@code onnxruntime} ({@link OnnxRuntimeRnn})
 * and {@code gemm}, the optimized GEMM that gives the roofline.
 */
public final class Contestants {
    /** How run.json and the report name the roofline GEMM. */
    public static final String GEMM_DESCRIPTION = GemmVariants.class.getName() + ".fastest(ParallelRunner)";

    private Contestants() {
    }

    public static RnnImplementation reference() {
        return new ReferenceRnn();
    }

    /** The optimized implementation on {@code threads} threads; close it after use. */
    public static OptimizedRnn optimized(int threads) {
        return new OptimizedRnn(threads);
    }

    public static OnnxRuntimeRnn onnxRuntime(int threads) {
        return new OnnxRuntimeRnn(threads);
    }

    /** The fastest blocked GEMM, splitting C over {@code runner}'s threads (the caller keeps the runner). */
    public static Gemm gemm(ParallelRunner runner) {
        return GemmVariants.fastest(runner);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Closes a contestant if it holds resources (thread pools). */
    public static void closeQuietly(Object o) {
        if (o instanceof AutoCloseable a) {
            try {
                a.close();
            } catch (Exception e) {
                // closing after a benchmark; nothing to recover
            }
        }
    }
}
