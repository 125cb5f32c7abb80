package rnnkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import rnnkit.model.CellVariant;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;

/**
 * One benchmarked layer call: a cell variant ({@link CellVariant}: simple_rnn, lstm, gru, gru_reset_before) and a
 * shape (batch B, time T, input features D, units H), with seeded random weights and inputs. The layer returns sequences (every step's h, as a stacked model needs and as
 * ONNX's Y output always does) and starts from zero states; inference, no mask, no dropout.
 *
 * <p>Work counted for GFLOP/s: the forward GEMMs, {@code 2·B·T·(D+H)·k·H} floating-point operations (k gate blocks:
 * SimpleRNN 1, GRU 3, LSTM 4): the input projection {@code x·W} (2·B·T·D·kH) plus the recurrent product
 * {@code h·U} (2·B·T·H·kH). Activations and the element-wise cell update are not counted. Forward+backward is
 * counted as 3× the forward work (the backward pass has two GEMMs of the forward's size: gradients with respect to
 * the inputs/state and to the weights).
 */
public record Workload(CellVariant cell, int batch, int time, int input, int units) {

    public Workload {
        if (cell == null) {
            throw new IllegalArgumentException("cell variant is null");
        }
        if (batch < 1 || time < 1 || input < 1 || units < 1) {
            throw new IllegalArgumentException("shape " + batch + "x" + time + "x" + input + "x" + units
                    + " has a non-positive dimension; expected batch, time, input, units all >= 1");
        }
    }

    /** Parses a JMH parameter pair: cell variant and shape {@code BxTxDxH}, e.g. "lstm", "64x50x256x256". */
    public static Workload of(String cellLabel, String shape) {
        int[] s = parseShape(shape);
        return new Workload(CellVariant.fromLabel(cellLabel), s[0], s[1], s[2], s[3]);
    }

    /** Parses {@code BxTxDxH} into {batch, time, input, units}. */
    public static int[] parseShape(String shape) {
        String[] p = shape.trim().split("x");
        if (p.length != 4) {
            throw new IllegalArgumentException("shape '" + shape + "' is not BxTxDxH (batch x time x input x units)");
        }
        int[] s = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                s[i] = Integer.parseInt(p[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("shape '" + shape + "': '" + p[i] + "' is not an integer");
            }
        }
        return s;
    }

    public static String shapeString(int batch, int time, int input, int units) {
        return batch + "x" + time + "x" + input + "x" + units;
    }

    public String shape() {
        return shapeString(batch, time, input, units);
    }

    /** Forward GEMM work 2·B·T·(D+H)·k·H in floating-point operations. */
    public double forwardFlops() {
        return 2.0 * batch * time * (double) (input + units) * cell.spec(units).gates() * units;
    }

    /** Forward+backward work, counted as 3× the forward GEMM work. */
    public double forwardBackwardFlops() {
        return 3 * forwardFlops();
    }

    public RnnLayerSpec layer() {
        return RnnLayerSpec.of(cell.spec(units)).withReturnSequences(true);
    }

    /**
     * The layer call with seeded weights and inputs. Every value is a float32 number (rounded through float) so
     * that float32 and float64 contestants read identical inputs. Weights are uniform in ±sqrt(6/(fan_in+fan_out))
     * (Keras glorot_uniform limits), biases uniform in ±0.1, inputs uniform in ±1.
     */
    public LayerCall call(DType dtype, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        RnnLayerSpec layer = layer();
        List<Tensor> weights = new ArrayList<>();
        for (int[] shape : layer.weightShapes(input)) {
            double limit = shape.length == 2 ? Math.sqrt(6.0 / (shape[0] + shape[1])) : 0.1;
            weights.add(uniform(rnd, limit, shape));
        }
        Tensor x = uniform(rnd, 1.0, batch, time, input);
        return LayerCall.of(layer, weights, x).withDtype(dtype);
    }

    /** A cotangent for every output step (B, T, H) and zero cotangent for the final states. */
    public LayerOutputs cotangent(long seed) {
        return new LayerOutputs(List.of(uniform(new SplittableRandom(seed), 1.0, batch, time, units)), List.of());
    }

    /**
     * The small call used to warm kernels up with many short invocations before measuring, so that the JIT compiles
     * them as ordinary methods rather than by on-stack replacement inside one long call (see
     * {@link KernelWarmup}: OSR-compiled Vector API code was sometimes not intrinsified).
     */
    public Workload warmupWorkload() {
        return new Workload(cell, Math.min(batch, 8), Math.min(time, 4), Math.min(input, 64), Math.min(units, 64));
    }

    private static Tensor uniform(SplittableRandom rnd, double limit, int... shape) {
        double[] d = new double[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((2 * rnd.nextDouble() - 1) * limit);
        }
        return Tensor.of(d, shape);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s", cell.label(), shape());
    }
}
