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

    @Test
    void blockApplicationEqualsElementwiseValues() {
        double[] x = new double[37];
        for (int i = 0; i < x.length; i++) {
            x[i] = -4 + i * 0.23;
        }
        for (Activation a : Activation.values()) {
            double[] y = new double[x.length + 3];
            DoubleActivations.apply(a, x, 2, y, 3, x.length - 2);
            for (int i = 2; i < x.length; i++) {
                assertThat(y[i + 1]).as("%s block element %s", a, i).isEqualTo(DoubleActivations.value(a, x[i]));
            }
        }
    }
}
