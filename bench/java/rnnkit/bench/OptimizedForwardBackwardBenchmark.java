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
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;

/**
 * Measures one training step of the optimized implementation: {@code backward(call, cotangent)}, which runs the
 * forward pass (keeping the activations it needs) and then back-propagates through time to the input, weight and
 * initial-state gradients. {@code RnnImplementation.backward} takes no saved activations, so this one call is the
 * whole forward+backward; its work is counted as 3× the forward GEMM work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class OptimizedForwardBackwardBenchmark {
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
    private LayerOutputs cotangent;

    @Setup(Level.Trial)
    public void setUp() {
        impl = Contestants.optimized(threads).orElseThrow(() -> new IllegalStateException(
                Contestants.OPTIMIZED_CLASS + " is not on the class path"));
        Workload w = Workload.of(cell, shape);
        DType d = DType.fromKeras(dtype);
        call = w.call(d, 42);
        cotangent = w.cotangent(43);
        KernelWarmup.layer(impl, w.warmupWorkload(), d, false);
        KernelWarmup.layer(impl, w.warmupWorkload(), d, true);
    }

    @Benchmark
    public LayerGradients forwardBackward() {
        return impl.backward(call, cotangent);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Contestants.closeQuietly(impl);
    }
}
