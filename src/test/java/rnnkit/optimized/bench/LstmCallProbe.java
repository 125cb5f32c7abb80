package rnnkit.optimized.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.OptimizedRnn;

/**
 * Quick probe (not a JMH benchmark): milliseconds and bytes allocated (all threads) per LSTM float32 call after a
 * warm-up, for shapes given as B,T,D,U arguments. Usage:
 * {@code java --add-modules jdk.incubator.vector -cp ... rnnkit.optimized.bench.LstmCallProbe [threads] [fwd|bwd] B,T,D,U ...}
 */
public final class LstmCallProbe {
    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        boolean backward = args[1].equals("bwd");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (OptimizedRnn rnn = new OptimizedRnn(threads)) {
            for (int a = 2; a < args.length; a++) {
                String[] p = args[a].split(",");
                int b = Integer.parseInt(p[0]);
                int t = Integer.parseInt(p[1]);
                int d = Integer.parseInt(p[2]);
                int u = Integer.parseInt(p[3]);
                SplittableRandom random = new SplittableRandom(7);
                RnnLayerSpec layer = RnnLayerSpec.of(CellSpec.lstm(u));
                List<Tensor> w = new ArrayList<>();
                for (int[] shape : layer.weightShapes(d)) {
                    w.add(uniform(random, 0.05, shape));
                }
                LayerCall call = LayerCall.of(layer, w, uniform(random, 1, b, t, d)).withDtype(DType.FLOAT32);
                Tensor ones = Tensor.zeros(b, u);
                java.util.Arrays.fill(ones.data(), 1.0);
                LayerOutputs cot = LayerOutputs.of(ones, List.of());
                double work = 2.0 * b * t * (d + u) * 4 * u * (backward ? 3 : 1);
                int reps = (int) Math.max(5, Math.min(2000, 3e10 / work));
                long warmMs = Long.getLong("probe.warmMs", -1);
                if (warmMs >= 0) {
                    // the bench suite's warm-up: short calls on (min(B,8), min(T,4), min(D,64), min(U,64))
                    LayerCall small = LayerCall.of(RnnLayerSpec.of(CellSpec.lstm(Math.min(u, 64))),
                            weights(random, RnnLayerSpec.of(CellSpec.lstm(Math.min(u, 64))), Math.min(d, 64)),
                            uniform(random, 1, Math.min(b, 8), Math.min(t, 4), Math.min(d, 64))).withDtype(DType.FLOAT32);
                    long end = System.nanoTime() + warmMs * 1_000_000L;
                    for (int i = 0; i < 200 || System.nanoTime() < end; i++) {
                        rnn.forward(small);
                    }
                    reps = Integer.getInteger("probe.reps", reps);
                }
                for (int i = 0; i < (warmMs >= 0 ? 0 : reps); i++) {
                    run(rnn, call, cot, backward);
                }
                long bytes0 = allocated(mx);
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    run(rnn, call, cot, backward);
                }
                long t1 = System.nanoTime();
                long bytes1 = allocated(mx);
                double ms = (t1 - t0) / 1e6 / reps;
                System.out.printf("%s threads=%d %s: %.3f ms/call, %.1f GFLOP/s, %.0f bytes/call (%d reps)%n",
                        args[a], threads, backward ? "fwd+bwd" : "fwd", ms, work / ms / 1e6,
                        (bytes1 - bytes0) / (double) reps, reps);
            }
        }
    }

    private static void run(OptimizedRnn rnn, LayerCall call, LayerOutputs cot, boolean backward) {
        if (backward) {
            rnn.backward(call, cot);
        } else {
            rnn.forward(call);
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean mx) {
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long v = mx.getThreadAllocatedBytes(id);
            if (v > 0) {
                sum += v;
            }
        }
        return sum;
    }

    private static List<Tensor> weights(SplittableRandom random, RnnLayerSpec layer, int d) {
        List<Tensor> w = new ArrayList<>();
        for (int[] shape : layer.weightShapes(d)) {
            w.add(uniform(random, 0.05, shape));
        }
        return w;
    }

    private static Tensor uniform(SplittableRandom random, double scale, int... shape) {
        Tensor x = Tensor.zeros(shape);
        double[] v = x.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * (2 * random.nextDouble() - 1);
        }
        return x;
    }
}
