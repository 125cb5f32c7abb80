// GENERATED from DoubleActivations.java by src/test/java/rnnkit/optimized/FloatTwinGenerator.java: do not edit.
package rnnkit.optimized;

import rnnkit.model.Activation;

/**
 * Every Keras activation and its derivative in float precision, written for the optimized path (the reference
 * has its own). {@code FloatActivations} is the float twin generated from this file (see FloatTwinGenerator in
 * the tests); transcendental functions are evaluated with {@code Math} in float and rounded once, tanh through
 * {@code FloatPrecision.tanh} / {@code FloatPrecision.tanh} (exact StrictMath in float32, a faster exp-based form
 * accurate to float rounding in float32).
 *
 * <p>Derivatives take the pre-activation x and the activation value y = f(x), so that tanh and sigmoid reuse
 * y (f' = 1 - y², f' = y(1 - y)). At kinks the derivative is what TensorFlow autodiff returns: relu, relu6 and
 * hard_sigmoid (relu6(x + 3)/6) pass the gradient strictly inside their linear range, hard_tanh (clip_by_value)
 * on the closed range [-1, 1]; leaky_relu, elu and selu use the x &gt; 0 branch only for x &gt; 0 (elu'(0) = 1
 * because EluGrad tests y &lt; 0, selu'(0) = scale likewise).
 */
@SuppressWarnings("cast")
final class FloatActivations {
    /** Keras selu constants. */
    static final float SELU_ALPHA = (float) 1.67326324235437728481;
    static final float SELU_SCALE = (float) 1.05070098735548049342;
    /**
     * Keras leaky_relu default negative_slope 0.2, as TensorFlow's LeakyRelu op holds it: a float32 attribute, so
     * the slope is 0.2f even in float32.
     */
    static final float LEAKY_SLOPE = (float) 0.2f;
    static final float SIXTH = (float) (1.0 / 6.0);
    static final float HALF = (float) 0.5;

    private FloatActivations() {
    }

    /**
     * y[yOff + j] = f(x[xOff + j]) for j in [0, n): one activation over a contiguous gate block (tanh and sigmoid
     * through {@link ActivationBlocks}, vectorized when the Vector API is present).
     */
    static void apply(Activation a, float[] x, int xOff, float[] y, int yOff, int n) {
        switch (a) {
            case TANH:
                ActivationBlocks.SELECTED.tanh(x, xOff, y, yOff, n);
                break;
            case SIGMOID:
                ActivationBlocks.SELECTED.sigmoid(x, xOff, y, yOff, n);
                break;
            case LINEAR:
                System.arraycopy(x, xOff, y, yOff, n);
                break;
            default:
                for (int j = 0; j < n; j++) {
                    y[yOff + j] = value(a, x[xOff + j]);
                }
        }
    }

    /**
     * sigmoid(x) = 1/(1 + e^-x), branch-free (a data-dependent branch mispredicts on random gate values): for
     * x ≪ 0, e^-x overflows to +inf and 1/(1 + inf) = 0 is the correct limit; otherwise 1 + e^-x has relative
     * error ≤ 1 ulp, so the quotient is within 2 ulp. Float32 evaluates it in float and rounds once.
     */
    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-(float) x)));
    }

    /** softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|). */
    static float softplus(float x) {
        return Math.max(x, 0) + (float) Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** Keras 3 hard_sigmoid(x) = clip(x/6 + 1/2, 0, 1). */
    static float hardSigmoid(float x) {
        return Math.min(Math.max(x * SIXTH + HALF, 0), 1);
    }

    /** f(x) for activation a. */
    static float value(Activation a, float x) {
        switch (a) {
            case TANH:
                return FloatPrecision.tanh(x);
            case SIGMOID:
                return sigmoid(x);
            case HARD_SIGMOID:
                return hardSigmoid(x);
            case RELU:
                return Math.max(x, 0);
            case LINEAR:
                return x;
            case ELU: // x > 0 ? x : e^x - 1 (alpha 1)
                return x > 0 ? x : (float) Math.expm1(x);
            case SELU: // scale * (x > 0 ? x : alpha (e^x - 1))
                return x > 0 ? SELU_SCALE * x : SELU_SCALE * (SELU_ALPHA * (float) Math.expm1(x));
            case SOFTPLUS:
                return softplus(x);
            case SOFTSIGN:
                return x / (1 + Math.abs(x));
            case EXPONENTIAL:
                return (float) Math.exp(x);
            case RELU6:
                return Math.min(Math.max(x, 0), 6);
            case SILU: // x sigmoid(x)
                return x * sigmoid(x);
            case GELU: // exact: x Phi(x) = x/2 (1 + erf(x/sqrt 2))
                return x * (float) GaussianErf.cdf(x);
            case HARD_SILU: // x hard_sigmoid(x)
                return x * hardSigmoid(x);
            case LEAKY_RELU:
                return x > 0 ? x : LEAKY_SLOPE * x;
            case MISH: // x tanh(softplus(x))
                return x * FloatPrecision.tanh(softplus(x));
            case LOG_SIGMOID: // -softplus(-x)
                return -softplus(-x);
            case HARD_TANH:
                return Math.min(Math.max(x, -1), 1);
            default:
                throw new IllegalArgumentException("activation " + a + " has no optimized implementation");
        }
    }

    /** f'(x), given the pre-activation x and the value y = f(x). */
    static float derivative(Activation a, float x, float y) {
        switch (a) {
            case TANH:
                return 1 - y * y;
            case SIGMOID:
                return y * (1 - y);
            case HARD_SIGMOID:
                return x > -3 && x < 3 ? SIXTH : 0;
            case RELU:
                return x > 0 ? 1 : 0;
            case LINEAR:
                return 1;
            case ELU: // d/dx (e^x - 1) = e^x = y + 1
                return x >= 0 ? 1 : y + 1;
            case SELU:
                return x >= 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * (float) Math.exp(x);
            case SOFTPLUS:
                return sigmoid(x);
            case SOFTSIGN: {
                float d = 1 + Math.abs(x);
                return 1 / (d * d);
            }
            case EXPONENTIAL:
                return y;
            case RELU6:
                return x > 0 && x < 6 ? 1 : 0;
            case SILU: { // s + x s (1 - s)
                float s = sigmoid(x);
                return s + x * s * (1 - s);
            }
            case GELU: // Phi(x) + x phi(x)
                return (float) (GaussianErf.cdf(x) + x * GaussianErf.density(x));
            case HARD_SILU: // hs(x) + x hs'(x)
                return hardSigmoid(x) + (x > -3 && x < 3 ? x * SIXTH : 0);
            case LEAKY_RELU:
                return x > 0 ? 1 : LEAKY_SLOPE;
            case MISH: { // tanh(sp) + x (1 - tanh²(sp)) sigmoid(x)
                float t = FloatPrecision.tanh(softplus(x));
                return t + x * (1 - t * t) * sigmoid(x);
            }
            case LOG_SIGMOID: // sigmoid(-x)
                return sigmoid(-x);
            case HARD_TANH:
                return x >= -1 && x <= 1 ? 1 : 0;
            default:
                throw new IllegalArgumentException("activation " + a + " has no optimized implementation");
        }
    }
}
