package rnnkit.bench;

import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import rnnkit.optimized.gemm.Gemm;

/**
 * The measured roofline: time of one n×n×n product C = A·B (no transposes, 2·n³ floating-point operations) with the
 * optimized GEMM kernel, in float32 (sgemm) or float64 (dgemm). With {@code threads} > 1 the kernel runs on that
 * many threads if it can; a single-threaded kernel is instead run by as many JMH threads, each on its own matrices
 * (aggregate throughput = threads / time per call).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class GemmRooflineBenchmark {
    @Param("1024")
    public int n;
    @Param("float32")
    public String dtype;
    @Param("1")
    public int threads;

    private Gemm gemm;
    private boolean single;
    private float[] af;
    private float[] bf;
    private float[] cf;
    private double[] ad;
    private double[] bd;
    private double[] cd;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        single = switch (dtype) {
            case "float32" -> true;
            case "float64" -> false;
            default -> throw new IllegalArgumentException("dtype '" + dtype + "'; expected float32 or float64");
        };
        Contestants.GemmInstance g = Contestants.gemm(threads).orElseThrow(() -> new IllegalStateException(
                "no optimized Gemm in " + Contestants.GEMM_PACKAGE + " on the class path"));
        if (!g.usesRequestedThreads()) {
            if (params.getThreads() != threads) {
                throw new IllegalStateException(g.gemm().name() + " is single-threaded; run " + threads
                        + " JMH threads for threads=" + threads + " (got " + params.getThreads() + ")");
            }
            g = Contestants.gemm(1).orElseThrow();
        }
        gemm = g.gemm();
        SplittableRandom rnd = new SplittableRandom(11);
        int size = n * n;
        if (single) {
            af = new float[size];
            bf = new float[size];
            cf = new float[size];
            for (int i = 0; i < size; i++) {
                af[i] = (float) rnd.nextDouble(-1, 1);
                bf[i] = (float) rnd.nextDouble(-1, 1);
            }
        } else {
            ad = new double[size];
            bd = new double[size];
            cd = new double[size];
            for (int i = 0; i < size; i++) {
                ad[i] = rnd.nextDouble(-1, 1);
                bd[i] = rnd.nextDouble(-1, 1);
            }
        }
        KernelWarmup.gemm(gemm, single);
    }

    @Benchmark
    public Object multiply() {
        if (single) {
            gemm.sgemm(false, false, n, n, n, af, 0, n, bf, 0, n, false, cf, 0, n);
            return cf;
        }
        gemm.dgemm(false, false, n, n, n, ad, 0, n, bd, 0, n, false, cd, 0, n);
        return cd;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Contestants.closeQuietly(gemm);
    }
}
