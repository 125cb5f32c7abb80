package rnnkit.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * The growth curves: how the cost of an LSTM float32 forward call grows when one dimension of the first headline
 * shape (64, 50, 256, 256) varies — batch 1 to 256, time 10 to 200 steps, units 64 to 1024 — for the optimized
 * implementation and ONNX Runtime on 2 threads; time per call should grow linearly with batch and time and
 * quadratically with units. Forward+backward on the time sweep gives the allocation per extra time step.
 * (The headline shape itself is measured by {@link HeadlineBenchmark}.)
 */
public class SweepBenchmark extends LayerCallBenchmark {
    @Param("lstm")
    public String cell;
    @Param({"1x50x256x256", "8x50x256x256", "32x50x256x256", "128x50x256x256", "256x50x256x256",
        "64x10x256x256", "64x25x256x256", "64x100x256x256", "64x200x256x256",
        "64x50x64x64", "64x50x128x128", "64x50x512x512", "64x50x1024x1024"})
    public String shape;
    @Param("float32")
    public String dtype;
    @Param("2")
    public int threads;
}
