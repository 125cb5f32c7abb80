package rnnkit.optimized.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.OptimizedRnn;
import rnnkit.reference.ReferenceRnn;

/**
 * First speed ratio of the optimized LSTM against the naive reference on the shape: batch 32, 100 steps,
 * input 512, units 512, float32 forward, inference (return_sequences=False). The GEMM work is
 * 2·B·T·(D+U)·4U = 13.4 GFLOP per call. The optimized path runs on all available cores; the reference is
 * single-threaded double and takes seconds per call, so it is timed single-shot with one warm-up and two
 * measured calls. Run {@link #main}; results go to target/jmh-lstm-forward.json. The machine's 2 cores are
 * shared with other work, so the numbers are noisy.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LstmForwardBenchmark {
    static final int BATCH = 32;
    static final int TIME = 100;
    static final int INPUT = 512;
    static final int UNITS = 512;
    /** Multiply-add FLOPs of the GEMM work of one forward call. */
    static final double GEMM_FLOP = 2.0 * BATCH * TIME * (INPUT + UNITS) * 4 * UNITS;

    private LayerCall call;
    private OptimizedRnn optimized;
    private ReferenceRnn reference;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(2026);
        CellSpec cell = CellSpec.lstm(UNITS);
        RnnLayerSpec layer = RnnLayerSpec.of(cell);
        List<Tensor> weights = new ArrayList<>();
        for (int[] shape : layer.weightShapes(INPUT)) {
            weights.add(uniform(random, 0.05, shape));
        }
        Tensor x = uniform(random, 1.0, BATCH, TIME, INPUT);
        call = LayerCall.of(layer, weights, x).withDtype(DType.FLOAT32);
        optimized = new OptimizedRnn();
        reference = new ReferenceRnn();
    }

    @TearDown
    public void tearDown() {
        optimized.close();
    }

    private static Tensor uniform(SplittableRandom random, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (2 * random.nextDouble() - 1) * scale;
        }
        return t;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 4, time = 3)
    @Measurement(iterations = 5, time = 3)
    public LayerOutputs optimizedFloat32Forward() {
        return optimized.forward(call);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 2)
    public LayerOutputs referenceForward() {
        return reference.forward(call);
    }

    public static void main(String[] args) throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(LstmForwardBenchmark.class.getName())
                .forks(1)
                .resultFormat(ResultFormatType.JSON)
                .result("target/jmh-lstm-forward.json")
                .build()).run();
        double opt = Double.NaN;
        double ref = Double.NaN;
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            double ms = r.getPrimaryResult().getScore();
            if (label.endsWith("optimizedFloat32Forward")) {
                opt = ms;
            } else if (label.endsWith("referenceForward")) {
                ref = ms;
            }
        }
        System.out.printf("LSTM B=%d T=%d D=%d U=%d float32 forward: optimized %.1f ms (%.1f GFLOP/s), reference %.1f ms"
                        + " (%.2f GFLOP/s), ratio %.1fx%n", BATCH, TIME, INPUT, UNITS, opt, GEMM_FLOP / opt / 1e6, ref,
                GEMM_FLOP / ref / 1e6, ref / opt);
    }
}
