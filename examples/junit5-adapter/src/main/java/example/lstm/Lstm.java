package example.lstm;

import java.util.function.DoubleUnaryOperator;

/**
 * A small scalar LSTM layer of "your own": the code a developer wants to hold to Keras. It knows nothing of rnnkit;
 * {@code KerasLstmAdapter} (test code) maps rnnkit's cases onto it.
 *
 * <p>Weights come in Keras layout: {@code kernel[d][4u]}, {@code recurrent[u][4u]}, {@code bias[4u]} with the gate
 * blocks i, f, c, o. Per step, for every batch row:
 * <pre>
 *   i = σ(x·W_i + h·U_i + b_i)   f = σ(x·W_f + h·U_f + b_f)   g = act(x·W_c + h·U_c + b_c)   o = σ(x·W_o + h·U_o + b_o)
 *   c = f∘c + i∘g                h = o∘act(c)
 * </pre>
 * A masked step keeps h and c and outputs the previous step's output (zeros before the first real step), as Keras
 * does (zeros with {@code zeroOutputForMask}); {@code goBackwards} reads the sequence from the end and returns
 * outputs in that processing order.
 *
 * <p>{@value #BUG_PROPERTY}{@code =onnx-gate-order} plants a classic bug: the gate blocks are read in ONNX's
 * order (i, o, f, c) instead of Keras's, as when weights are converted for the wrong framework.
 */
public final class Lstm {
    /** System property that plants a bug; unset (or "none") for the correct layer. */
    public static final String BUG_PROPERTY = "example.lstm.bug";

    /** The outputs of one call. */
    public record Result(double[][][] sequence, double[][] lastOutput, double[][] h, double[][] c) {
    }

    private final int units;
    private final double[][] kernel;
    private final double[][] recurrent;
    private final double[] bias;
    private final DoubleUnaryOperator activation;
    private final DoubleUnaryOperator recurrentActivation;
    private final int[] block; // block[gate] = which of the four column blocks holds gate i, f, c, o

    public Lstm(int units, double[][] kernel, double[][] recurrent, double[] bias, DoubleUnaryOperator activation,
                DoubleUnaryOperator recurrentActivation) {
        this.units = units;
        this.kernel = kernel;
        this.recurrent = recurrent;
        this.bias = bias;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        String bug = System.getProperty(BUG_PROPERTY, "none");
        switch (bug) {
            case "none", "" -> block = new int[] {0, 1, 2, 3};
            case "onnx-gate-order" -> block = new int[] {0, 2, 3, 1}; // i,o,f,c: f read from block 2, c from 3, o from 1
            default -> throw new IllegalArgumentException(BUG_PROPERTY + "=" + bug + "; expected none or onnx-gate-order");
        }
    }

    /**
     * @param x inputs [batch][time][features]
     * @param mask [batch][time], or null for every step real
     * @param h0 initial h [batch][units], or null for zeros
     * @param c0 initial c [batch][units], or null for zeros
     * @param zeroOutputForMask masked steps output zeros instead of the previous output
     */
    public Result run(double[][][] x, boolean[][] mask, double[][] h0, double[][] c0, boolean goBackwards,
                      boolean zeroOutputForMask) {
        int batch = x.length;
        int time = batch == 0 ? 0 : x[0].length;
        double[][][] seq = new double[batch][time][units];
        double[][] last = new double[batch][units];
        double[][] h = new double[batch][units];
        double[][] c = new double[batch][units];
        for (int b = 0; b < batch; b++) {
            if (h0 != null) {
                h[b] = h0[b].clone();
            }
            if (c0 != null) {
                c[b] = c0[b].clone();
            }
            double[] out = new double[units]; // the previous step's output: zeros before the first real step
            for (int s = 0; s < time; s++) {
                int t = goBackwards ? time - 1 - s : s;
                if (mask == null || mask[b][t]) {
                    step(x[b][t], h[b], c[b]);
                    out = h[b].clone();
                }
                boolean real = mask == null || mask[b][t];
                seq[b][s] = real || !zeroOutputForMask ? out.clone() : new double[units];
            }
            last[b] = out;
        }
        return new Result(seq, last, h, c);
    }

    /** One step for one batch row: updates h and c in place. */
    private void step(double[] x, double[] h, double[] c) {
        double[][] z = new double[4][units];
        for (int gate = 0; gate < 4; gate++) {
            int col0 = block[gate] * units;
            for (int j = 0; j < units; j++) {
                double sum = bias == null ? 0 : bias[col0 + j];
                for (int k = 0; k < x.length; k++) {
                    sum += x[k] * kernel[k][col0 + j];
                }
                for (int k = 0; k < units; k++) {
                    sum += h[k] * recurrent[k][col0 + j];
                }
                z[gate][j] = sum;
            }
        }
        for (int j = 0; j < units; j++) {
            double i = recurrentActivation.applyAsDouble(z[0][j]);
            double f = recurrentActivation.applyAsDouble(z[1][j]);
            double g = activation.applyAsDouble(z[2][j]);
            double o = recurrentActivation.applyAsDouble(z[3][j]);
            c[j] = f * c[j] + i * g;
            h[j] = o * activation.applyAsDouble(c[j]);
        }
    }
}
