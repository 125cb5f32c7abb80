package example.lstm;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import rnnkit.model.Activation;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.model.UnsupportedCaseException;

/**
 * The adapter between rnnkit's cases and {@link Lstm}: what it cannot map it reports as unsupported, with the
 * reason, so that the conformance run says exactly what was verified. Forward only (Lstm has no backward pass).
 */
public final class KerasLstmAdapter implements RnnImplementation {

    @Override
    public String name() {
        return "example-lstm";
    }

    @Override
    public LayerOutputs forward(LayerCall call) {
        if (!(call.layer() instanceof RnnLayerSpec layer) || layer.isStackedCells()) {
            throw new UnsupportedCaseException("example LSTM runs single LSTM layers, not " + call.layer().describe());
        }
        CellSpec cell = layer.cell();
        if (cell.type() != CellType.LSTM) {
            throw new UnsupportedCaseException("example LSTM has no " + cell.type().kerasName() + " cell");
        }
        if (!call.dropoutMasks().isEmpty()) {
            throw new UnsupportedCaseException("example LSTM has no dropout");
        }
        if (call.inputs().rank() != 3) {
            throw new UnsupportedCaseException("example LSTM takes (batch, time, features) inputs, not token ids");
        }
        int units = cell.units();
        List<Tensor> w = call.weights();
        Lstm lstm = new Lstm(units, matrix(w.get(0)), matrix(w.get(1)), cell.useBias() ? w.get(2).data() : null,
                function(cell.activation()), function(cell.recurrentActivation()));
        List<Tensor> init = call.initialStates();
        Lstm.Result r = lstm.run(cube(call.inputs()), call.mask() == null ? null : call.mask().toArray(),
                init.isEmpty() ? null : matrix(init.get(0)), init.isEmpty() ? null : matrix(init.get(1)),
                layer.goBackwards(), layer.zeroOutputForMask());
        Tensor output = layer.returnSequences() ? tensor(r.sequence()) : tensor(r.lastOutput());
        return LayerOutputs.of(output, List.of(tensor(r.h()), tensor(r.c())));
    }

    static DoubleUnaryOperator function(Activation a) {
        return switch (a) {
            case TANH -> Math::tanh;
            case SIGMOID -> x -> 1 / (1 + Math.exp(-x));
            case HARD_SIGMOID -> x -> Math.max(0, Math.min(1, x / 6 + 0.5));
            case RELU -> x -> Math.max(0, x);
            case LINEAR -> x -> x;
            default -> throw new UnsupportedCaseException("example LSTM has no activation " + a.kerasName());
        };
    }

    static double[][] matrix(Tensor t) {
        double[][] m = new double[t.dim(0)][t.dim(1)];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = t.get(i, j);
            }
        }
        return m;
    }

    static double[][][] cube(Tensor t) {
        double[][][] m = new double[t.dim(0)][t.dim(1)][t.dim(2)];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                for (int k = 0; k < m[i][j].length; k++) {
                    m[i][j][k] = t.get(i, j, k);
                }
            }
        }
        return m;
    }

    static Tensor tensor(double[][] m) {
        int cols = m.length == 0 ? 0 : m[0].length;
        double[] d = new double[m.length * cols];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, d, r * cols, cols);
        }
        return Tensor.of(d, m.length, cols);
    }

    static Tensor tensor(double[][][] m) {
        int b = m.length;
        int t = b == 0 ? 0 : m[0].length;
        int u = t == 0 ? 0 : m[0][0].length;
        double[] d = new double[b * t * u];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                System.arraycopy(m[i][j], 0, d, (i * t + j) * u, u);
            }
        }
        return Tensor.of(d, b, t, u);
    }
}
