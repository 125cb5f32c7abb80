package rnnkit.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.peers.onnx.OnnxRuntimeRnn;

/**
 * Measures one forward run of ONNX Runtime for Java on the equivalent ONNX RNN/LSTM/GRU node built from the same
 * Keras weights (GRU reset_after=True as linear_before_reset=1, reset_after=False as 0). The session and the
 * time-major input tensor are built once in setup; only {@code session.run} is timed (plus closing its result).
 * This favours ONNX Runtime: the Java contestants' times include converting Tensor inputs and outputs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class OnnxRuntimeForwardBenchmark {
    @Param("lstm")
    public String cell;
    @Param("64x50x256x256")
    public String shape;
    @Param("float32")
    public String dtype;
    @Param("1")
    public int threads;

    private OnnxRuntimeRnn.Prepared session;
    private OnnxTensor input;

    @Setup(Level.Trial)
    public void setUp() {
        Workload w = Workload.of(cell, shape);
        LayerCall call = w.call(DType.fromKeras(dtype), 42);
        session = new OnnxRuntimeRnn(threads).prepare(call);
        input = session.inputTensor(call.inputs());
        for (int i = 0; i < 3; i++) {
            forward();
        }
    }

    @Benchmark
    public int forward() {
        try (OrtSession.Result r = session.runRaw(input)) {
            return r.size();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        input.close();
        session.close();
    }
}
