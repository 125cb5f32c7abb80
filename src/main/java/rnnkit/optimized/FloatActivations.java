// GENERATED from DoubleActivations.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized;

import rnnkit.model.Activation;

/**
 * Every Keras activation and its derivative in float32, written for the optimized path (the reference has its
 * own). Sigmoid and tanh come from {@link GateFunctions} (exact-arithmetic polynomials, the same bits scalar and
 * vectorized), the other transcendental functions from {@code Math} in 64 bits, rounded once to the working
 * precision.
 *
 * <p>Derivatives take the pre-activation x and the activation value y = f(x), so that tanh and sigmoid reuse
 * y (f' = 1 - y², f' = y(1 - y)). At kinks the derivative is what TensorFlow autodiff returns: relu, relu6 and
 * hard_sigmoid (relu6(x + 3)/6) pass the gradient strictly inside their linear range, hard_tanh (clip_by_value)
 * on the closed range [-1, 1]; leaky_relu, elu and selu use the x &gt; 0 branch only for x &gt; 0 (elu'(0) = 1
 * because EluGrad tests y &lt; 0, selu'(0) = scale likewise); celu'(0) = 2 (TF's Maximum and Minimum gradients both
 * pass at 0); the tf.where-built shrink/sparse functions take the selected branch's derivative.
 * softmax, log_softmax, sparsemax and glu act on a whole row: {@link FloatAxisActivations}.
 */
final class FloatActivations {
    /** Keras selu constants. */
    static final float SELU_ALPHA = (float) 1.67326324235437728481;
    static final float SELU_SCALE = (float) 1.05070098735548049342;
    /**
     * Keras leaky_relu default negative_slope 0.2, as TensorFlow's LeakyRelu op holds it: a float32 attribute, so
     * the slope is 0.2f in every precision.
     */
    static final float LEAKY_SLOPE = 0.2f;
    static final float SIXTH = (float) (1.0 / 6.0);
    static final float HALF = 0.5f;
    /**
     * TensorFlow's exact gelu computes x/2 · erfc(-x · 1/sqrt 2) with 1/sqrt 2 held as a float32 constant in every
     * precision (the 64-bit goldens of Keras 3.15.1 differ from the mathematically exact gelu by ~5e-9 otherwise).
     */
    static final float GELU_SQRT_HALF = 0.70710678118654752440f;

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

    /** sigmoid(x) = 1/(1 + e^-x) through {@link GateFunctions}: the same bits as the vectorized gate blocks. */
    static float sigmoid(float x) {
        return GateFunctions.sigmoid(x);
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
            case GELU: // exact form as TF computes it: x/2 · erfc(-k x), k = 1/sqrt 2 rounded to float32
                return x * (float) (0.5 * GaussianErf.erfc(-GELU_SQRT_HALF * x));
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
            case CELU: // max(x, 0) + expm1(min(x, 0)), alpha 1
                return Math.max(x, 0) + (float) Math.expm1(Math.min(x, 0));
            case HARD_SHRINK:
                return Math.abs(x) > HALF ? x : 0;
            case SOFT_SHRINK:
                return x > HALF ? x - HALF : (x < -HALF ? x + HALF : 0);
            case SPARSE_PLUS: // (x + 1)²/4 on (-1, 1)
                return x <= -1 ? 0 : (x < 1 ? (float) 0.25 * ((x + 1) * (x + 1)) : x);
            case SPARSE_SIGMOID:
                return x <= -1 ? 0 : (x >= 1 ? 1 : HALF * (x + 1));
            case SQUAREPLUS: // (x + sqrt(x² + 4)) / 2
                return (x + (float) Math.sqrt(x * x + 4)) / 2;
            case TANH_SHRINK:
                return x - FloatPrecision.tanh(x);
            default:
                throw new IllegalArgumentException("activation " + a + " has no element-wise optimized implementation");
        }
    }

    /** tanh'(x) = 1 - y² from y = tanh(x): the one expression every backward uses (so they give the same bits). */
    static float tanhPrime(float y) {
        return 1 - y * y;
    }

    /** sigmoid'(x) = y(1 - y) from y = sigmoid(x): the one expression every backward uses. */
    static float sigmoidPrime(float y) {
        return y * (1 - y);
    }

    /**
     * out[outOff + j] = dy[dyOff + j] · f'(x[xOff + j]) with y = f(x), for j in [0, n): the products
     * {@code dy · derivative(a, x, y)} element by element, with the activation chosen once per block, so that the
     * tanh and sigmoid loops are plain arithmetic that the JIT vectorizes (a switch per element is not).
     */
    static void derivativeTimes(Activation a, float[] dy, int dyOff, float[] x, int xOff, float[] y, int yOff,
                                float[] out, int outOff, int n) {
        switch (a) {
            case TANH:
                for (int j = 0; j < n; j++) {
                    out[outOff + j] = dy[dyOff + j] * tanhPrime(y[yOff + j]);
                }
                break;
            case SIGMOID:
                for (int j = 0; j < n; j++) {
                    out[outOff + j] = dy[dyOff + j] * sigmoidPrime(y[yOff + j]);
                }
                break;
            default:
                for (int j = 0; j < n; j++) {
                    out[outOff + j] = dy[dyOff + j] * derivative(a, x[xOff + j], y[yOff + j]);
                }
        }
    }

    /** f'(x), given the pre-activation x and the value y = f(x). */
    static float derivative(Activation a, float x, float y) {
        switch (a) {
            case TANH:
                return tanhPrime(y);
            case SIGMOID:
                return sigmoidPrime(y);
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
            case GELU: { // d/dx x/2 erfc(-k x) = erfc(-k x)/2 + x k/sqrt(pi) exp(-(k x)²)  (k = 1/sqrt 2: Phi + x phi)
                float kx = GELU_SQRT_HALF * x;
                return (float) (0.5 * GaussianErf.erfc(-kx)
                        + x * GELU_SQRT_HALF * GaussianErf.ONE_OVER_SQRT_PI * Math.exp(-kx * kx));
            }
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
            case CELU:
                return (x >= 0 ? 1 : 0) + (x <= 0 ? (float) Math.exp(x) : 0);
            case HARD_SHRINK:
                return Math.abs(x) > HALF ? 1 : 0;
            case SOFT_SHRINK:
                return x > HALF || x < -HALF ? 1 : 0;
            case SPARSE_PLUS:
                return x <= -1 ? 0 : (x < 1 ? HALF * (x + 1) : 1);
            case SPARSE_SIGMOID:
                return x > -1 && x < 1 ? HALF : 0;
            case SQUAREPLUS:
                return HALF * (1 + x / (float) Math.sqrt(x * x + 4));
            case TANH_SHRINK: { // 1 - (1 - tanh²)
                float t = FloatPrecision.tanh(x);
                return t * t;
            }
            default:
                throw new IllegalArgumentException("activation " + a + " has no element-wise optimized implementation");
        }
    }
}
