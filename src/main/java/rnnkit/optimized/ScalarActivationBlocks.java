package rnnkit.optimized;

/** Block sigmoid and tanh one element at a time through {@link GateFunctions}: the path without the Vector API. */
final class ScalarActivationBlocks implements ActivationBlocks {

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = GateFunctions.sigmoid(x[xOff + j]);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = GateFunctions.tanh(x[xOff + j]);
        }
    }

    @Override
    public void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = GateFunctions.sigmoid(x[xOff + j]);
        }
    }

    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = GateFunctions.tanh(x[xOff + j]);
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
