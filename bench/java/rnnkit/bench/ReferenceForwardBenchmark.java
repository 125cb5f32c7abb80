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
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;

/**
 * Measures one forward call of the naive reference (scalar double precision, one thread; about 1 GFLOP/s), as
 * single shots: a call on the larger shapes takes seconds, so JMH times individual calls instead of looping.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ReferenceForwardBenchmark {
    @Param("lstm")
    public String cell;
    @Param("64x50x256x256")
    public String shape;

    private RnnImplementation impl;
    private LayerCall call;

    @Setup(Level.Trial)
    public void setUp() {
        impl = Contestants.reference().orElseThrow(() -> new IllegalStateException(
                Contestants.REFERENCE_CLASS + " is not on the class path"));
        Workload w = Workload.of(cell, shape);
        call = w.call(DType.FLOAT64, 42);
        KernelWarmup.layer(impl, w.warmupWorkload(), DType.FLOAT64, false);
    }

    @Benchmark
    public LayerOutputs forward() {
        return impl.forward(call);
    }
}
