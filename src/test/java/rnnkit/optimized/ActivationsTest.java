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
        for (Activation a : Activation.values()) {
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
        assertThat(checked).isGreaterThan(Activation.values().length * 40);
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
        for (Activation a : Activation.values()) {
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
        for (Activation a : Activation.values()) {
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
        assertThat(checked).isEqualTo(Activation.values().length * (1 + 7 + 16 + 33 + 75));
    }

    /** The vector blocks (when the Vector API is present) agree with the scalar blocks within 4 ulp. */
    @Test
    void vectorAndScalarActivationBlocksAgree() {
        ActivationBlocks vector = ActivationBlocks.vectorOrNull();
        System.out.println("[activation blocks] selected: " + ActivationBlocks.SELECTED.name() + "; vector available: "
                + (vector != null));
        java.util.List<ActivationBlocks> all = vector == null
                ? java.util.List.of(new ScalarActivationBlocks())
                : java.util.List.of(new ScalarActivationBlocks(), vector);
        assertThat(all).hasSize(vector == null ? 1 : 2);
        int n = 1001;
        double[] x = new double[n];
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -20 + i * 0.04 + 1e-9 * (i % 3);
            xf[i] = (float) x[i];
        }
        ActivationBlocks scalar = all.get(0);
        for (ActivationBlocks b : all) {
            double[] s1 = new double[n];
            double[] s2 = new double[n];
            double[] v1 = new double[n];
            double[] v2 = new double[n];
            scalar.sigmoid(x, 0, s1, 0, n);
            scalar.tanh(x, 0, s2, 0, n);
            b.sigmoid(x, 0, v1, 0, n);
            b.tanh(x, 0, v2, 0, n);
            float[] fs1 = new float[n];
            float[] fs2 = new float[n];
            float[] fv1 = new float[n];
            float[] fv2 = new float[n];
            scalar.sigmoid(xf, 0, fs1, 0, n);
            scalar.tanh(xf, 0, fs2, 0, n);
            b.sigmoid(xf, 0, fv1, 0, n);
            b.tanh(xf, 0, fv2, 0, n);
            for (int i = 0; i < n; i++) {
                assertThat(v1[i]).as("%s sigmoid(%s)", b.name(), x[i]).isCloseTo(s1[i], within(4 * Math.ulp(s1[i])));
                assertThat(v2[i]).as("%s tanh(%s)", b.name(), x[i]).isCloseTo(s2[i], within(4 * Math.ulp(s2[i])));
                assertThat(fv1[i]).as("%s float sigmoid(%s)", b.name(), xf[i]).isCloseTo(fs1[i], within(4 * Math.ulp(fs1[i])));
                assertThat(fv2[i]).as("%s float tanh(%s)", b.name(), xf[i]).isCloseTo(fs2[i], within(4 * Math.ulp(fs2[i])));
            }
        }
    }
}
