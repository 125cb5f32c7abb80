package rnnkit.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;

/**
 * The headline experiment: how much faster the optimized implementation is than the naive reference and than
 * ONNX Runtime, on every cell variant at three shapes (batch, time, input, units): a mid-size batch
 * (64, 50, 256, 256), a large layer (32, 100, 512, 512) and batch 1 (1, 100, 512, 512), where the per-step
 * product is a matrix-vector product. Each method times one contestant: a forward call returning the sequence,
 * or forward+backward ({@code backward(call, cotangent)}, which recomputes the forward), in float32 and float64, on
 * 1 and 2 threads. The reference (scalar float64, one thread) is timed as single shots: a call takes seconds.
 * {@code pairedForward} alternates the prepared layer and ONNX Runtime in one JVM, so that their ratio is measured
 * on the same machine state. The suite ({@link SuitePlan}) runs the float64 and ONNX Runtime cells of this cross
 * product selectively.
 */
public class HeadlineBenchmark extends LayerCallBenchmark {
    @Param({"simple_rnn", "lstm", "gru", "gru_reset_before"})
    public String cell;
    @Param({"64x50x256x256", "32x100x512x512", "1x100x512x512"})
    public String shape;
    @Param({"float32", "float64"})
    public String dtype;
    @Param({"1", "2"})
    public int threads;

    /**
     * The prepared float32 forward and ONNX Runtime alternated in this one JVM: a block of calls of each per
     * invocation (see {@code LayerCallContestant.pair}), alternating which goes first, timed into {@code times}
     * (the primary score is the time per invocation).
     */
    @Benchmark
    public Object pairedForward(PairedTimes times) {
        return contestant().pair(times);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public Object referenceForward() {
        return contestant().forward();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public LayerGradients referenceForwardBackward() {
        return contestant().backward();
    }
}
