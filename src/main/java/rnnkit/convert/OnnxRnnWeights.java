package rnnkit.convert;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.Tensor;

/**
 * One direction of an ONNX {@code LSTM}/{@code GRU}/{@code RNN} node's weights, converted from or to Keras layout.
 *
 * <p>ONNX stores {@code W[k·H, input]} and {@code R[k·H, H]} transposed relative to Keras
 * ({@code kernel[input, k·units]}, {@code recurrent_kernel[units, k·units]}), and two biases
 * {@code B[2·k·H] = Wb ++ Rb}. Gate blocks: ONNX LSTM orders them i, o, f, c (Keras i, f, c, o); GRU z, r, h in both.
 * A Keras GRU with {@code reset_after=True} is ONNX {@code linear_before_reset=1} with Wb = bias[0], Rb = bias[1];
 * otherwise ONNX adds Wb + Rb where Keras has one bias, so the Keras bias goes to Wb and Rb is zero.
 *
 * @param w ONNX W for one direction, row-major {@code [k·H, inputSize]}
 * @param r ONNX R for one direction, row-major {@code [k·H, H]}
 * @param b ONNX B for one direction, {@code [2·k·H]}
 */
public record OnnxRnnWeights(String opType, int gates, int hiddenSize, int inputSize, double[] w, double[] r, double[] b,
                             boolean linearBeforeReset) {

    /** For ONNX gate block g, the Keras gate block it comes from. LSTM: i,o,f,c &lt;- i,f,c,o. */
    public static int kerasGateOf(CellType type, int onnxGate) {
        if (type == CellType.LSTM) {
            return new int[] {0, 3, 1, 2}[onnxGate];
        }
        return onnxGate;
    }

    public static String onnxOpType(CellType type) {
        return switch (type) {
            case SIMPLE_RNN -> "RNN";
            case LSTM -> "LSTM";
            case GRU -> "GRU";
        };
    }

    /** Converts Keras weights (get_weights() order) of one cell with the given input dimension. */
    public static OnnxRnnWeights fromKeras(CellSpec cell, int inputDim, List<Tensor> kerasWeights) {
        int k = cell.gates();
        int h = cell.units();
        Tensor kernel = kerasWeights.get(0);
        Tensor recurrent = kerasWeights.get(1);
        if (!kernel.hasShape(inputDim, k * h) || !recurrent.hasShape(h, k * h)) {
            throw new IllegalArgumentException(cell.describe() + ": Keras kernel/recurrent_kernel shapes "
                    + Tensor.shapeString(kernel.shape()) + "/" + Tensor.shapeString(recurrent.shape()) + " do not match input_dim "
                    + inputDim);
        }
        double[] w = GateBlocks.kerasToPeer(kernel.data(), inputDim, k, h, g -> kerasGateOf(cell.type(), g));
        double[] r = GateBlocks.kerasToPeer(recurrent.data(), h, k, h, g -> kerasGateOf(cell.type(), g));
        double[] b = new double[2 * k * h];
        boolean linearBeforeReset = cell.type() == CellType.GRU && cell.resetAfter();
        if (cell.useBias()) {
            double[] bias = kerasWeights.get(2).data();
            for (int g = 0; g < k; g++) {
                int kg = kerasGateOf(cell.type(), g);
                for (int j = 0; j < h; j++) {
                    if (linearBeforeReset) {
                        b[g * h + j] = bias[kg * h + j];
                        b[k * h + g * h + j] = bias[k * h + kg * h + j];
                    } else {
                        b[g * h + j] = bias[kg * h + j];
                    }
                }
            }
        }
        return new OnnxRnnWeights(onnxOpType(cell.type()), k, h, inputDim, w, r, b, linearBeforeReset);
    }

    /**
     * Converts back to Keras weights for {@code cell}. Where Keras has one bias, it is Wb + Rb; a cell without
     * bias needs both biases zero (otherwise the ONNX node is not expressible and this throws).
     */
    public List<Tensor> toKeras(CellSpec cell) {
        int k = gates;
        int h = hiddenSize;
        if (cell.gates() != k || cell.units() != h) {
            throw new IllegalArgumentException("ONNX " + opType + " with " + k + " gates of " + h + " units does not fit "
                    + cell.describe());
        }
        if ((cell.type() == CellType.GRU && cell.resetAfter()) != linearBeforeReset) {
            throw new IllegalArgumentException("ONNX GRU linear_before_reset=" + (linearBeforeReset ? 1 : 0)
                    + " needs a Keras GRU with reset_after=" + (linearBeforeReset ? "True" : "False"));
        }
        double[] kernel = GateBlocks.peerToKeras(w, inputSize, k, h, g -> kerasGateOf(cell.type(), g));
        double[] recurrent = GateBlocks.peerToKeras(r, h, k, h, g -> kerasGateOf(cell.type(), g));
        List<Tensor> out = new ArrayList<>();
        out.add(Tensor.of(kernel, inputSize, k * h));
        out.add(Tensor.of(recurrent, h, k * h));
        if (cell.useBias()) {
            if (linearBeforeReset) {
                double[] bias = new double[2 * k * h];
                for (int g = 0; g < k; g++) {
                    for (int j = 0; j < h; j++) {
                        bias[g * h + j] = b[g * h + j];
                        bias[k * h + g * h + j] = b[k * h + g * h + j];
                    }
                }
                out.add(Tensor.of(bias, 2, k * h));
            } else {
                double[] bias = new double[k * h];
                for (int g = 0; g < k; g++) {
                    int kg = kerasGateOf(cell.type(), g);
                    for (int j = 0; j < h; j++) {
                        bias[kg * h + j] = b[g * h + j] + b[k * h + g * h + j];
                    }
                }
                out.add(Tensor.of(bias, k * h));
            }
        } else {
            for (double v : b) {
                if (v != 0) {
                    throw new IllegalArgumentException("ONNX " + opType + " has non-zero biases; a Keras cell with "
                            + "use_bias=False cannot express them");
                }
            }
        }
        return out;
    }
}
