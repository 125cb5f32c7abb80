package rnnkit.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import rnnkit.model.DType;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;

/**
 * One layer call (a Keras layer returning sequences, from zero states, no mask) timed per contestant: the
 * optimized implementation's {@code forward(call)} and {@code backward(call, cotangent)} (which recomputes the
 * forward; counted as 3× the forward work), the same on the layer prepared once in setup
 * ({@code OptimizedRnn.prepare}: weights converted and packed once, like a session), and ONNX Runtime's
 * {@code session.run} on the equivalent ONNX node (session and input built in setup: this favours ONNX Runtime).
 * The optimized times include converting the interface's double Tensors to and from the compute precision; the
 * prepared forward is the array call ({@code PreparedLayer.forward(float[], batch, time)}) on inputs made in setup,
 * as ONNX Runtime's input tensor is. The experiments are the subclasses, each with its {@code @Param}
 * values: {@link HeadlineBenchmark}, {@link SweepBenchmark}, {@link DeepBenchBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public abstract class LayerCallBenchmark {

    private LayerCallContestant contestant;

    /**
     * Builds what the running method times from the experiment's parameters: {@code cell} (the variant),
     * {@code shape} ({@code BxTxDxH}: batch, time, input features, units), {@code dtype} (the reference always
     * computes in float64) and {@code threads} (the optimized implementation's threads, ONNX Runtime's intra-op
     * threads), each a {@code @Param} field of the subclass.
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        Workload workload = Workload.of(params.getParam("cell"), params.getParam("shape"));
        contestant = new LayerCallContestant(LayerCallMethod.ofBenchmark(params.getBenchmark()), workload,
                DType.fromKeras(params.getParam("dtype")), Integer.parseInt(params.getParam("threads")));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        contestant.close();
    }

    @Benchmark
    public Object optimizedForward() {
        return contestant.forward();
    }

    @Benchmark
    public LayerGradients optimizedForwardBackward() {
        return contestant.backward();
    }

    @Benchmark
    public Object preparedForward() {
        return contestant.forward();
    }

    @Benchmark
    public LayerGradients preparedForwardBackward() {
        return contestant.backward();
    }

    @Benchmark
    public int onnxRuntimeForward() {
        return contestant.onnxRuntimeRun();
    }

    /** For the subclasses that also time the reference. */
    final LayerCallContestant contestant() {
        return contestant;
    }
}
