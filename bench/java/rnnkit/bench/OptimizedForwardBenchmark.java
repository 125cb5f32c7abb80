package rnnkit.bench;

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
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;

/**
 * Measures one forward call of the optimized implementation: {@code forward(call)} on a Keras layer returning
 * sequences, including converting the double-valued input Tensor to the compute precision and building the output
 * Tensor (the cost a user of the {@code RnnImplementation} interface pays). Parameters: cell, shape BxTxDxH,
 * precision, thread count. Kernels are warmed with many short calls in setup (see {@link KernelWarmup}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class OptimizedForwardBenchmark {
    @Param("lstm")
    public String cell;
    @Param("64x50x256x256")
    public String shape;
    @Param("float32")
    public String dtype;
    @Param("1")
    public int threads;

    private RnnImplementation impl;
    private LayerCall call;

    @Setup(Level.Trial)
    public void setUp() {
        impl = Contestants.optimized(threads).orElseThrow(() -> new IllegalStateException(
                Contestants.OPTIMIZED_CLASS + " is not on the class path"));
        Workload w = Workload.of(cell, shape);
        DType d = DType.fromKeras(dtype);
        call = w.call(d, 42);
        KernelWarmup.layer(impl, w.warmupWorkload(), d, false);
    }

    @Benchmark
    public LayerOutputs forward() {
        return impl.forward(call);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Contestants.closeQuietly(impl);
    }
}
