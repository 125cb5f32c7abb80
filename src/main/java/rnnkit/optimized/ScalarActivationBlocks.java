package rnnkit.optimized;

/**
 * Block sigmoid and tanh one element at a time through {@link GateFunctions}, and the epilogue's sums and products
 * one element at a time: the path without the Vector API.
 */
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
    public void addSum(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a[aOff + j] + b[bOff + j];
        }
    }

    @Override
    public void add(float[] y, int yOff, float[] a, int aOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a[aOff + j];
        }
    }

    @Override
    public void mulAddMul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d, int dOff,
                          int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = a[aOff + j] * b[bOff + j] + c[cOff + j] * d[dOff + j];
        }
    }

    @Override
    public void mul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = a[aOff + j] * b[bOff + j];
        }
    }

    @Override
    public void addSum(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a[aOff + j] + b[bOff + j];
        }
    }

    @Override
    public void add(double[] y, int yOff, double[] a, int aOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a[aOff + j];
        }
    }

    @Override
    public void mulAddMul(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, double[] d, int dOff,
                          int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = a[aOff + j] * b[bOff + j] + c[cOff + j] * d[dOff + j];
        }
    }

    @Override
    public void mul(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = a[aOff + j] * b[bOff + j];
        }
    }

    @Override
    public void addMul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a[aOff + j] * b[bOff + j];
        }
    }

    @Override
    public void interpolate(float[] y, int yOff, float[] z, int zOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int j = 0; j < n; j++) {
            float zj = z[zOff + j];
            y[yOff + j] = zj * a[aOff + j] + (1 - zj) * b[bOff + j];
        }
    }

    @Override
    public void addMul(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a[aOff + j] * b[bOff + j];
        }
    }

    @Override
    public void interpolate(double[] y, int yOff, double[] z, int zOff, double[] a, int aOff, double[] b, int bOff, int n) {
        for (int j = 0; j < n; j++) {
            double zj = z[zOff + j];
            y[yOff + j] = zj * a[aOff + j] + (1 - zj) * b[bOff + j];
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
