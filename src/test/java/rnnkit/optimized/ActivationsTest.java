package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;

/**
 * The optimized activations: erf against commons-math3, derivatives against central differences of the values,
 * float twins against the double versions.
 */
class ActivationsTest {

    /** erf within 1e-15 (a few ulp of 1; Python's math.erf agrees with commons-math here), erfc within 1e-13 relative. */
    @Test
    void erfAndErfcAgreeWithCommonsMath() {
        for (double y = -7; y <= 7; y += 0.01) {
            assertThat(GaussianErf.erf(y)).as("erf(%s)", y).isCloseTo(Erf.erf(y), within(1e-15));
            double erfc = Erf.erfc(y);
            assertThat(GaussianErf.erfc(y)).as("erfc(%s)", y).isCloseTo(erfc, within(1e-13 * erfc + 1e-300));
        }
    }

    @Test
    void derivativesEqualCentralDifferencesAwayFromKinks() {
        int checked = 0;
        for (Activation a : Activation.elementwise()) {
            for (double x = -4.1; x <= 4.1; x += 0.173) {
                if (nearKink(x)) {
                    continue;
                }
                double h = 1e-6;
                double numeric = (DoubleActivations.value(a, x + h) - DoubleActivations.value(a, x - h)) / (2 * h);
                double analytic = DoubleActivations.derivative(a, x, DoubleActivations.value(a, x));
                assertThat(analytic).as("%s'(%s)", a, x).isCloseTo(numeric, within(1e-7 * (1 + Math.abs(numeric))));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(Activation.elementwise().size() * 40);
    }

    private static boolean nearKink(double x) {
        for (double k : new double[] {-3, -1, 0, 1, 3, 6}) {
            if (Math.abs(x - k) < 1e-3) {
                return true;
            }
        }
        return false;
    }

    @Test
    void floatTwinsAgreeWithDoubleWithinFloatRounding() {
        for (Activation a : Activation.elementwise()) {
            for (double x = -5; x <= 5; x += 0.0937) {
                float xf = (float) x;
                double v = DoubleActivations.value(a, xf);
                double d = DoubleActivations.derivative(a, xf, v);
                assertThat((double) FloatActivations.value(a, xf)).as("%s(%s) float", a, xf)
                        .isCloseTo(v, within(4e-7 * Math.max(1, Math.abs(v))));
                float vf = FloatActivations.value(a, xf);
                assertThat((double) FloatActivations.derivative(a, xf, vf)).as("%s'(%s) float", a, xf)
                        .isCloseTo(d, within(2e-6 * Math.max(1, Math.abs(d))));
            }
        }
    }

    /**
     * The block pull-back {@code derivativeTimes} gives exactly the bits of dy · derivative(a, x, y) element by
     * element, for every element-wise activation and both dtypes, at offsets and lengths past the JIT's unrolled
     * loops, on values that include ±0, ±1, NaN, ±infinity and the clamp ranges (tanh and sigmoid have their own
     * loops there; so do the cell kernels' backward loops, which use the same tanhPrime/sigmoidPrime).
     */
    @Test
    void blockPullBackIsBitIdenticalToTheElementwiseDerivative() {
        double[] special = {0.0, -0.0, 1, -1, 0.5, -0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                1e-300, 30, -30, 700, -700};
        int n = 203;
        double[] x = new double[n + 5];
        double[] dy = new double[n + 5];
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int i = 0; i < x.length; i++) {
            x[i] = i < special.length ? special[i] : r.nextDouble(-9, 9);
            dy[i] = i % 7 == 0 ? special[i % special.length] : r.nextDouble(-2, 2);
        }
        int checked = 0;
        for (Activation a : Activation.elementwise()) {
            double[] y = new double[x.length];
            float[] xf = new float[x.length];
            float[] yf = new float[x.length];
            float[] dyf = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = DoubleActivations.value(a, x[i]);
                xf[i] = (float) x[i];
                yf[i] = FloatActivations.value(a, xf[i]);
                dyf[i] = (float) dy[i];
            }
            for (int round = 0; round < 200; round++) { // past the interpreter, into the compiled loops
                double[] out = new double[x.length + 2];
                float[] outf = new float[x.length + 2];
                DoubleActivations.derivativeTimes(a, dy, 1, x, 2, y, 2, out, 3, n);
                FloatActivations.derivativeTimes(a, dyf, 1, xf, 2, yf, 2, outf, 3, n);
                if (round % 50 != 49) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    double expected = dy[1 + j] * DoubleActivations.derivative(a, x[2 + j], y[2 + j]);
                    assertThat(Double.doubleToRawLongBits(out[3 + j])).as("%s pull-back at x = %s, dy = %s", a, x[2 + j],
                            dy[1 + j]).isEqualTo(Double.doubleToRawLongBits(expected));
                    float expectedF = dyf[1 + j] * FloatActivations.derivative(a, xf[2 + j], yf[2 + j]);
                    assertThat(Float.floatToRawIntBits(outf[3 + j])).as("%s float pull-back at x = %s, dy = %s", a,
                            xf[2 + j], dyf[1 + j]).isEqualTo(Float.floatToRawIntBits(expectedF));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(Activation.elementwise().size() * n * 4);
    }

    /** Block application (vector or scalar) equals the elementwise values within 4 ulp, tails and offsets included. */
    @Test
    void blockApplicationEqualsElementwiseValues() {
        double[] x = new double[77];
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = -12 + i * 0.31;
            xf[i] = (float) x[i];
        }
        int checked = 0;
        for (Activation a : Activation.elementwise()) {
            for (int n : new int[] {1, 7, 16, 33, x.length - 2}) {
                double[] y = new double[x.length + 3];
                float[] yf = new float[x.length + 3];
                DoubleActivations.apply(a, x, 2, y, 3, n);
                FloatActivations.apply(a, xf, 2, yf, 3, n);
                for (int i = 2; i < 2 + n; i++) {
                    double v = DoubleActivations.value(a, x[i]);
                    assertThat(y[i + 1]).as("%s block element %s", a, i).isCloseTo(v, within(4 * Math.ulp(v)));
                    float vf = FloatActivations.value(a, xf[i]);
                    assertThat(yf[i + 1]).as("%s float block element %s", a, i).isCloseTo(vf, within(4 * Math.ulp(vf)));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(Activation.elementwise().size() * (1 + 7 + 16 + 33 + 75));
    }

    /**
     * The vector blocks (when the Vector API is present) give exactly the bits of the scalar GateFunctions, on
     * random values, special values and the branch and clamp boundaries, at every offset and block length, and
     * still after the JIT has compiled the loops (the calls repeat 3,000 times; the Vector API's own EXP/TANH failed
     * this: their bits changed at compilation).
     */
    @Test
    void vectorBlocksAreBitIdenticalToScalarGateFunctions() {
        ActivationBlocks vector = ActivationBlocks.vectorOrNull();
        System.out.println("[activation blocks] selected: " + ActivationBlocks.SELECTED.name() + "; vector available: "
                + (vector != null));
        ActivationBlocks blocks = vector != null ? vector : new ScalarActivationBlocks();
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300,
            -1e-300, 1e-9, 0.625, -0.625, Math.nextDown(0.625), 87, -87, 88, -88, 89, -89, 354.5, 708, -708, 709, -709,
            710, -710, 1e300, -1e300, Double.MIN_VALUE, Float.MIN_VALUE, 0.3465, -0.3466, 20, -20,
            43.7, -43.9, 44, 44.2, -44.3, 44.4, 354.2, -354.6, Float.MAX_VALUE, -Float.MAX_VALUE, Double.MAX_VALUE};
        java.util.SplittableRandom random = new java.util.SplittableRandom(20261124L);
        int n = 613;
        double[] x = new double[n];
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < special.length ? special[i]
                    : random.nextDouble(-1, 1) * Math.pow(10, random.nextDouble(-9, 2.5));
            xf[i] = (float) x[i];
        }
        int compared = 0;
        for (int round = 0; round < 3000; round++) {
            int off = round % 19;
            int len = n - off - (round % 23);
            double[] ys = new double[n];
            double[] yt = new double[n];
            float[] fs = new float[n];
            float[] ft = new float[n];
            blocks.sigmoid(x, off, ys, off, len);
            blocks.tanh(x, off, yt, off, len);
            blocks.sigmoid(xf, off, fs, off, len);
            blocks.tanh(xf, off, ft, off, len);
            if (round % 300 != 0 && round != 2999) {
                continue;
            }
            for (int i = off; i < off + len; i++) {
                assertBits(ys[i], GateFunctions.sigmoid(x[i]), "sigmoid", x[i], round);
                assertBits(yt[i], GateFunctions.tanh(x[i]), "tanh", x[i], round);
                assertBits(fs[i], GateFunctions.sigmoid(xf[i]), "float sigmoid", xf[i], round);
                assertBits(ft[i], GateFunctions.tanh(xf[i]), "float tanh", xf[i], round);
                compared += 4;
            }
        }
        assertThat(compared).isGreaterThan(11 * 4 * 550);
        // in place (x and y the same array)
        double[] inPlace = x.clone();
        float[] inPlaceF = xf.clone();
        blocks.tanh(inPlace, 0, inPlace, 0, n);
        blocks.tanh(inPlaceF, 0, inPlaceF, 0, n);
        for (int i = 0; i < n; i++) {
            assertBits(inPlace[i], GateFunctions.tanh(x[i]), "tanh in place", x[i], 0);
            assertBits(inPlaceF[i], GateFunctions.tanh(xf[i]), "float tanh in place", xf[i], 0);
        }
    }

    /**
     * The epilogue's sums and products (addSum, add, addMul, mulAddMul, mul, interpolate): the Vector API blocks give
     * the scalar blocks' bits, float32 and float64, at every offset and length (vector body and scalar tail), with
     * the output and an input in one array at non-overlapping ranges (as the LSTM's c_t and c_{t-1}), and still
     * after the JIT has compiled the loops.
     */
    @Test
    void vectorEpilogueOpsAreBitIdenticalToScalar() {
        ActivationBlocks vector = ActivationBlocks.vectorOrNull();
        ActivationBlocks scalar = new ScalarActivationBlocks();
        ActivationBlocks blocks = vector != null ? vector : scalar;
        java.util.SplittableRandom random = new java.util.SplittableRandom(20261201L);
        int n = 300;
        double[][] in = new double[5][2 * n + 20];
        for (double[] a : in) {
            for (int i = 0; i < a.length; i++) {
                a[i] = i % 37 == 0 ? -0.0 : random.nextDouble(-3, 3) * Math.pow(10, random.nextDouble(-6, 3));
            }
        }
        float[][] inF = new float[5][2 * n + 20];
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < inF[k].length; i++) {
                inF[k][i] = (float) in[k][i];
            }
        }
        long compared = 0;
        for (int round = 0; round < 3000; round++) {
            int off = round % 17;
            int len = n - (round % 29);
            boolean check = round % 500 == 0 || round == 2999;
            for (int op = 0; op < 6; op++) {
                double[] ds = in[0].clone();
                double[] dv = in[0].clone();
                float[] fs = inF[0].clone();
                float[] fv = inF[0].clone();
                // y = array 0 at [n + off, ...); the second input is array 0 itself at [off, ...) (same array, disjoint)
                applyOp(scalar, op, ds, n + off, ds, in, off, len);
                applyOp(blocks, op, dv, n + off, dv, in, off, len);
                applyOp(scalar, op, fs, n + off, fs, inF, off, len);
                applyOp(blocks, op, fv, n + off, fv, inF, off, len);
                if (!check) {
                    continue;
                }
                for (int i = 0; i < dv.length; i++) {
                    assertThat(Double.doubleToRawLongBits(dv[i])).as("float64 op %d at %d, round %d", op, i, round)
                            .isEqualTo(Double.doubleToRawLongBits(ds[i]));
                    assertThat(Float.floatToRawIntBits(fv[i])).as("float32 op %d at %d, round %d", op, i, round)
                            .isEqualTo(Float.floatToRawIntBits(fs[i]));
                    compared += 2;
                }
            }
        }
        assertThat(compared).isEqualTo(7L * 6 * 2 * (2 * n + 20));
    }

    private static void applyOp(ActivationBlocks b, int op, double[] y, int yOff, double[] same, double[][] in, int off,
                                int len) {
        switch (op) {
            case 0 -> b.addSum(y, yOff, same, off, in[1], off + 3, len);
            case 1 -> b.add(y, yOff, same, off, len);
            case 2 -> b.addMul(y, yOff, in[1], off, same, off + 1, len);
            case 3 -> b.mulAddMul(y, yOff, in[1], off, same, off, in[2], off + 2, in[3], off, len);
            case 4 -> b.mul(y, yOff, in[4], off, same, off, len);
            default -> b.interpolate(y, yOff, in[1], off, same, off, in[2], off + 5, len);
        }
    }

    private static void applyOp(ActivationBlocks b, int op, float[] y, int yOff, float[] same, float[][] in, int off,
                                int len) {
        switch (op) {
            case 0 -> b.addSum(y, yOff, same, off, in[1], off + 3, len);
            case 1 -> b.add(y, yOff, same, off, len);
            case 2 -> b.addMul(y, yOff, in[1], off, same, off + 1, len);
            case 3 -> b.mulAddMul(y, yOff, in[1], off, same, off, in[2], off + 2, in[3], off, len);
            case 4 -> b.mul(y, yOff, in[4], off, same, off, len);
            default -> b.interpolate(y, yOff, in[1], off, same, off, in[2], off + 5, len);
        }
    }

    private static void assertBits(double got, double expected, String f, double x, int round) {
        assertThat(Double.doubleToRawLongBits(got)).as("%s(%s) in round %s: %s vs scalar %s", f, x, round, got, expected)
                .isEqualTo(Double.doubleToRawLongBits(expected));
    }

    /**
     * GateFunctions against Math.exp / Math.tanh in double, over 400,000 random points with |x| from 1e-9 to 300:
     * float32 within 2.5 ulp of the float nearest the double value, float64 within 2 ulp (where sigmoid's exact value
     * is below the smallest normal number, its absolute error is below that number: the input is clamped there);
     * the limits and NaN.
     */
    @Test
    void gateFunctionsAreAccurate() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        double worstSf = 0;
        double worstTf = 0;
        double worstSd = 0;
        double worstTd = 0;
        for (int i = 0; i < 400_000; i++) {
            double x = random.nextDouble(-1, 1) * Math.pow(10, random.nextDouble(-9, 2.5));
            float xf = (float) x;
            double sf = 1 / (1 + Math.exp(-(double) xf));
            double tf = Math.tanh(xf);
            double errSf = Math.abs(GateFunctions.sigmoid(xf) - sf);
            if (sf < Float.MIN_NORMAL) {
                assertThat(errSf).as("float sigmoid(%s) below the normal range", xf).isLessThan(Float.MIN_NORMAL);
            } else {
                worstSf = Math.max(worstSf, errSf / Math.ulp((float) sf));
            }
            worstTf = Math.max(worstTf, Math.abs(GateFunctions.tanh(xf) - tf) / Math.ulp((float) tf));
            double sd = 1 / (1 + Math.exp(-x));
            double errSd = Math.abs(GateFunctions.sigmoid(x) - sd);
            if (sd < Double.MIN_NORMAL) {
                assertThat(errSd).as("sigmoid(%s) below the normal range", x).isLessThan(Double.MIN_NORMAL);
            } else {
                worstSd = Math.max(worstSd, errSd / Math.ulp(sd));
            }
            worstTd = Math.max(worstTd, Math.abs(GateFunctions.tanh(x) - Math.tanh(x)) / Math.ulp(Math.tanh(x)));
        }
        System.out.printf("[gate functions] worst ulp: float32 sigmoid %.2f tanh %.2f, float64 sigmoid %.2f tanh %.2f%n",
                worstSf, worstTf, worstSd, worstTd);
        assertThat(worstSf).isLessThanOrEqualTo(2.5);
        assertThat(worstTf).isLessThanOrEqualTo(2.5);
        assertThat(worstSd).isLessThanOrEqualTo(2.0);
        assertThat(worstTd).isLessThanOrEqualTo(2.0);
        assertThat(GateFunctions.sigmoid(-1e4f)).isBetween(0f, 1e-37f);
        assertThat(GateFunctions.sigmoid(1e4f)).isEqualTo(1f);
        assertThat(GateFunctions.sigmoid(-1e4)).isBetween(0.0, 1e-307);
        assertThat(GateFunctions.tanh(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(GateFunctions.tanh(Float.POSITIVE_INFINITY)).isEqualTo(1f);
        assertThat(GateFunctions.sigmoid(Float.NaN)).isNaN();
        assertThat(GateFunctions.tanh(Double.NaN)).isNaN();
    }
}
