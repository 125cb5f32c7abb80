package rnnkit.convert;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.Tensor;

/**
 * One layer of PyTorch {@code torch.nn.RNN/LSTM/GRU} weights, converted from or to Keras layout.
 *
 * <p>PyTorch stores {@code weight_ih_l0[k·H, input]} and {@code weight_hh_l0[k·H, H]} (transposed relative to
 * Keras) and two biases {@code bias_ih_l0}, {@code bias_hh_l0} whose sum plays the role of Keras's single bias.
 * Gate blocks: LSTM i, f, g, o (= Keras i, f, c, o); GRU r, z, n (Keras z, r, h). PyTorch's GRU computes
 * {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}, i.e. Keras {@code reset_after=True} with
 * bias_ih = bias[0] and bias_hh = bias[1]; a Keras GRU with {@code reset_after=False} has no PyTorch equivalent.
 * PyTorch RNN supports only tanh and relu.
 *
 * @param weightIh row-major {@code [k·H, inputSize]}
 * @param weightHh row-major {@code [k·H, H]}
 * @param biasIh {@code [k·H]}, or null when the layer has no bias
 * @param biasHh {@code [k·H]}, or null when the layer has no bias
 */
public record TorchRnnWeights(CellType type, int hiddenSize, int inputSize, double[] weightIh, double[] weightHh,
                              double[] biasIh, double[] biasHh) {

    /** For PyTorch gate block g, the Keras gate block it comes from. GRU: r,z,n &lt;- z,r,h. */
    public static int kerasGateOf(CellType type, int torchGate) {
        if (type == CellType.GRU) {
            return new int[] {1, 0, 2}[torchGate];
        }
        return torchGate;
    }

    /** Throws {@link IllegalArgumentException} if PyTorch cannot express the Keras cell. */
    public static void requireExpressible(CellSpec cell) {
        if (cell.type() == CellType.GRU && !cell.resetAfter()) {
            throw new IllegalArgumentException("PyTorch GRU applies the reset gate after the recurrent matrix product;"
                    + " Keras GRU(reset_after=False) has no PyTorch equivalent");
        }
        boolean defaultActs = cell.type() == CellType.SIMPLE_RNN
                ? cell.activation() == rnnkit.model.Activation.TANH || cell.activation() == rnnkit.model.Activation.RELU
                : cell.activation() == rnnkit.model.Activation.TANH
                        && cell.recurrentActivation() == rnnkit.model.Activation.SIGMOID;
        if (!defaultActs) {
            throw new IllegalArgumentException("PyTorch " + cell.type().kerasName() + " has fixed activations (tanh/sigmoid"
                    + (cell.type() == CellType.SIMPLE_RNN ? ", or relu" : "") + "); got activation "
                    + cell.activation().kerasName() + ", recurrent_activation " + cell.recurrentActivation().kerasName());
        }
    }

    public static TorchRnnWeights fromKeras(CellSpec cell, int inputDim, List<Tensor> kerasWeights) {
        requireExpressible(cell);
        int k = cell.gates();
        int h = cell.units();
        if (!kerasWeights.get(0).hasShape(inputDim, k * h) || !kerasWeights.get(1).hasShape(h, k * h)) {
            throw new IllegalArgumentException(cell.describe() + ": Keras weight shapes do not match input_dim " + inputDim);
        }
        double[] wih = GateBlocks.kerasToPeer(kerasWeights.get(0).data(), inputDim, k, h, g -> kerasGateOf(cell.type(), g));
        double[] whh = GateBlocks.kerasToPeer(kerasWeights.get(1).data(), h, k, h, g -> kerasGateOf(cell.type(), g));
        double[] bih = null;
        double[] bhh = null;
        if (cell.useBias()) {
            double[] bias = kerasWeights.get(2).data();
            boolean split = cell.type() == CellType.GRU;
            bih = new double[k * h];
            bhh = new double[k * h];
            for (int g = 0; g < k; g++) {
                int kg = kerasGateOf(cell.type(), g);
                for (int j = 0; j < h; j++) {
                    bih[g * h + j] = bias[kg * h + j];
                    if (split) {
                        bhh[g * h + j] = bias[k * h + kg * h + j];
                    }
                }
            }
        }
        return new TorchRnnWeights(cell.type(), h, inputDim, wih, whh, bih, bhh);
    }

    /** Converts back to Keras weights for {@code cell} (LSTM/SimpleRNN bias = bias_ih + bias_hh). */
    public List<Tensor> toKeras(CellSpec cell) {
        requireExpressible(cell);
        int k = cell.gates();
        int h = hiddenSize;
        if (cell.type() != type || cell.units() != h) {
            throw new IllegalArgumentException("PyTorch " + type + " with " + h + " units does not fit " + cell.describe());
        }
        if (cell.useBias() != (biasIh != null)) {
            throw new IllegalArgumentException("PyTorch layer bias=" + (biasIh != null) + " but Keras use_bias=" + cell.useBias());
        }
        double[] kernel = GateBlocks.peerToKeras(weightIh, inputSize, k, h, g -> kerasGateOf(type, g));
        double[] recurrent = GateBlocks.peerToKeras(weightHh, h, k, h, g -> kerasGateOf(type, g));
        List<Tensor> out = new ArrayList<>();
        out.add(Tensor.of(kernel, inputSize, k * h));
        out.add(Tensor.of(recurrent, h, k * h));
        if (cell.useBias()) {
            if (type == CellType.GRU) {
                double[] bias = new double[2 * k * h];
                for (int g = 0; g < k; g++) {
                    int kg = kerasGateOf(type, g);
                    for (int j = 0; j < h; j++) {
                        bias[kg * h + j] = biasIh[g * h + j];
                        bias[k * h + kg * h + j] = biasHh[g * h + j];
                    }
                }
                out.add(Tensor.of(bias, 2, k * h));
            } else {
                double[] bias = new double[k * h];
                for (int g = 0; g < k; g++) {
                    int kg = kerasGateOf(type, g);
                    for (int j = 0; j < h; j++) {
                        bias[kg * h + j] = biasIh[g * h + j] + biasHh[g * h + j];
                    }
                }
                out.add(Tensor.of(bias, k * h));
            }
        }
        return out;
    }
}
