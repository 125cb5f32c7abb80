package rnnkit.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * DeepBench-style shapes, float32 on 2 threads. DeepBench lists RNN problems as (hidden, batch, time steps) with
 * input size = hidden; here (batch, time, input, units). Inference: simple_rnn (1, 672, 32, 32), (1, 96, 64, 64) and
 * lstm (1, 150, 256, 256), forward only. Training: lstm 512 units at batch 16/32/64 × 25 steps, gru 512 and 1024
 * units at batch 32, and typical Keras sizes (32, 100, 32, 64) and (32, 100, 64, 128) for both, forward and
 * forward+backward. {@link SuitePlan} pairs each cell with its own shapes.
 */
public class DeepBenchBenchmark extends LayerCallBenchmark {
    @Param({"simple_rnn", "lstm", "gru"})
    public String cell;
    @Param({"1x672x32x32", "1x96x64x64", "1x150x256x256", "16x25x512x512", "32x25x512x512", "64x25x512x512",
        "32x100x32x64", "32x100x64x128", "32x25x1024x1024"})
    public String shape;
    @Param("float32")
    public String dtype;
    @Param("2")
    public int threads;
}
