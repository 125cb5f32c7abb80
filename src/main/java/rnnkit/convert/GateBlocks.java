package rnnkit.convert;

import java.util.function.IntUnaryOperator;

/**
 * Moves gate blocks between Keras's column layout ({@code matrix[rows, k·h]}, gate g in columns g·h .. g·h+h-1)
 * and the transposed row layout of ONNX and PyTorch ({@code matrix[k·h, rows]}), where the peer's gate block g comes
 * from Keras gate block {@code kerasGateOf(g)}.
 */
final class GateBlocks {
    private GateBlocks() {
    }

    /** Keras {@code [rows, k·h]} to peer {@code [k·h, rows]}. */
    static double[] kerasToPeer(double[] keras, int rows, int k, int h, IntUnaryOperator kerasGateOf) {
        double[] peer = new double[k * h * rows];
        for (int g = 0; g < k; g++) {
            int kg = kerasGateOf.applyAsInt(g);
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < rows; i++) {
                    peer[(g * h + j) * rows + i] = keras[i * k * h + kg * h + j];
                }
            }
        }
        return peer;
    }

    /** Peer {@code [k·h, rows]} to Keras {@code [rows, k·h]}. */
    static double[] peerToKeras(double[] peer, int rows, int k, int h, IntUnaryOperator kerasGateOf) {
        double[] keras = new double[rows * k * h];
        for (int g = 0; g < k; g++) {
            int kg = kerasGateOf.applyAsInt(g);
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < rows; i++) {
                    keras[i * k * h + kg * h + j] = peer[(g * h + j) * rows + i];
                }
            }
        }
        return keras;
    }
}
