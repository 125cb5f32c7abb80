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
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * The measured roofline: time of one n×n×n product C = A·B (no transposes, 2·n³ floating-point operations) with the
 * optimized GEMM ({@link Contestants#gemm}: the fastest blocked kernel, splitting C over {@code threads}
 * threads), in float32 (sgemm) at n = 512, 1024, 2048 and float64 (dgemm), on 1 and 2 threads. The report divides
 * each contestant's GFLOP/s by the best GEMM GFLOP/s at the same thread count.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class GemmRooflineBenchmark {
    @Param({"512", "1024", "2048"})
    public int n;
    @Param({"float32", "float64"})
    public String dtype;
    @Param({"1", "2"})
    public int threads;

    private ParallelRunner runner;
    private Gemm gemm;
    private boolean single;
    private float[] af;
    private float[] bf;
    private float[] cf;
    private double[] ad;
    private double[] bd;
    private double[] cd;

    @Setup(Level.Trial)
    public void setUp() {
        single = switch (dtype) {
            case "float32" -> true;
            case "float64" -> false;
            default -> throw new IllegalArgumentException("dtype '" + dtype + "'; expected float32 or float64");
        };
        runner = new ParallelRunner(threads);
        gemm = Contestants.gemm(runner);
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
        runner.close();
    }
}
