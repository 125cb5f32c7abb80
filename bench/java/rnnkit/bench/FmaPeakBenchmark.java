package rnnkit.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The machine's float32 FMA peak as the JVM reaches it: a loop of {@value #ITERATIONS} iterations of
 * {@value #CHAINS} independent Vector API fma chains on registers only ({@code SPECIES_PREFERRED}; no memory
 * traffic), run on {@code threads} JMH threads at once. 2 · CHAINS · lanes floating-point operations per iteration
 * and thread; the report divides the GEMM and layer GFLOP/s by it. Enough chains to cover the FMA latency on two
 * FMA ports (latency 4: 8 in flight).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class FmaPeakBenchmark {
    static final int ITERATIONS = 1 << 12;
    static final int CHAINS = 24;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** JMH threads running the loop at once (the suite runs it with this many JMH threads). */
    @Param({"1", "2"})
    public int threads;

    private float seed = 1f;

    /** Lanes of the preferred float vector on this JVM and machine. */
    static int lanes() {
        return S.length();
    }

    /** Floating-point operations of one call of {@link #fma()} on one thread. */
    static double flopsPerCall(int lanes) {
        return 2.0 * CHAINS * lanes * (double) ITERATIONS;
    }

    /**
     * Compiles the loop as an ordinary method through many short calls before JMH's own warm-up: a Vector API loop
     * first compiled by on-stack replacement inside one long call can stay non-intrinsified (see KernelWarmup).
     */
    @Setup(Level.Trial)
    public void setUp() {
        long end = System.nanoTime() + KernelWarmup.durationNanos();
        for (int calls = 0; calls < 20_000 || System.nanoTime() < end; calls++) {
            seed = loop(16) * 1e-30f + 1f;
        }
    }

    @Benchmark
    public float fma() {
        float r = loop(ITERATIONS);
        seed = r * 1e-30f + 1f;
        return r;
    }

    private float loop(int iterations) {
        FloatVector a = FloatVector.broadcast(S, 1.0000001f);
        FloatVector b = FloatVector.broadcast(S, 0.9999999f);
        FloatVector c0 = FloatVector.broadcast(S, seed);
        FloatVector c1 = c0.add(1f);
        FloatVector c2 = c0.add(2f);
        FloatVector c3 = c0.add(3f);
        FloatVector c4 = c0.add(4f);
        FloatVector c5 = c0.add(5f);
        FloatVector c6 = c0.add(6f);
        FloatVector c7 = c0.add(7f);
        FloatVector c8 = c0.add(8f);
        FloatVector c9 = c0.add(9f);
        FloatVector c10 = c0.add(10f);
        FloatVector c11 = c0.add(11f);
        FloatVector c12 = c0.add(12f);
        FloatVector c13 = c0.add(13f);
        FloatVector c14 = c0.add(14f);
        FloatVector c15 = c0.add(15f);
        FloatVector c16 = c0.add(16f);
        FloatVector c17 = c0.add(17f);
        FloatVector c18 = c0.add(18f);
        FloatVector c19 = c0.add(19f);
        FloatVector c20 = c0.add(20f);
        FloatVector c21 = c0.add(21f);
        FloatVector c22 = c0.add(22f);
        FloatVector c23 = c0.add(23f);
        for (int i = 0; i < iterations; i++) {
            c0 = a.fma(b, c0);
            c1 = a.fma(b, c1);
            c2 = a.fma(b, c2);
            c3 = a.fma(b, c3);
            c4 = a.fma(b, c4);
            c5 = a.fma(b, c5);
            c6 = a.fma(b, c6);
            c7 = a.fma(b, c7);
            c8 = a.fma(b, c8);
            c9 = a.fma(b, c9);
            c10 = a.fma(b, c10);
            c11 = a.fma(b, c11);
            c12 = a.fma(b, c12);
            c13 = a.fma(b, c13);
            c14 = a.fma(b, c14);
            c15 = a.fma(b, c15);
            c16 = a.fma(b, c16);
            c17 = a.fma(b, c17);
            c18 = a.fma(b, c18);
            c19 = a.fma(b, c19);
            c20 = a.fma(b, c20);
            c21 = a.fma(b, c21);
            c22 = a.fma(b, c22);
            c23 = a.fma(b, c23);
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15).add(c16).add(c17).add(c18).add(c19).add(c20).add(c21).add(c22)
                .add(c23);
        return s.reduceLanes(VectorOperators.ADD);
    }
}
