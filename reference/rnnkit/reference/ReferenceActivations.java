package rnnkit.reference;

import rnnkit.model.Activation;

/**
 * Value and derivative d/dx of every Keras 3.15.1 activation, in double precision, as the TensorFlow backend
 * computes them ({@code keras/src/activations/activations.py} and {@code keras/src/backend/tensorflow/nn.py}).
 *
 * <p>At kinks the derivative is the one TensorFlow's autodiff returns, because the golden gradients come from
 * TF autodiff. Measured with TF 2 in float64 ({@code tf.GradientTape} on {@code keras.activations.get(name)}):
 * <ul>
 * <li>relu'(0) = 0 (ReluGrad passes where x &gt; 0)</li>
 * <li>relu6'(0) = relu6'(6) = 0 (Relu6Grad passes where 0 &lt; x &lt; 6)</li>
 * <li>hard_sigmoid = relu6(x + 3) / 6, so hard_sigmoid'(-3) = hard_sigmoid'(3) = 0</li>
 * <li>hard_silu = x * hard_sigmoid(x): hard_silu'(-3) = 0, hard_silu'(3) = 1</li>
 * <li>hard_tanh = clip_by_value(x, -1, 1): hard_tanh'(-1) = hard_tanh'(1) = 1 (the clip gradient passes
 *     where min &lt;= x &lt;= max)</li>
 * <li>leaky_relu'(0) = 0.2f (LeakyReluGrad uses the slope where x &lt;= 0)</li>
 * <li>elu'(0) = 1 and selu'(0) = scale (EluGrad/SeluGrad test the output y &lt; 0)</li>
 * <li>celu = maximum(x, 0) + expm1(minimum(x, 0)): TF's Maximum and Minimum gradients both pass at x = 0
 *     (x &gt;= y, x &lt;= y), so celu'(0) = 2</li>
 * <li>hard_shrink, soft_shrink, sparse_plus, sparse_sigmoid are tf.where selections: the gradient is the selected
 *     branch's (hard_shrink'(±0.5) = 0, soft_shrink'(±0.5) = 0, sparse_plus'(-1) = 0, sparse_plus'(1) = 1,
 *     sparse_sigmoid'(±1) = 0)</li>
 * </ul>
 *
 * <p>softmax, log_softmax, sparsemax and glu act on a whole vector (Keras's axis -1): {@link #apply} and
 * {@link #pullBack} take the vector.
 *
 * <p>leaky_relu: TensorFlow's {@code LeakyRelu} op stores its slope {@code alpha} as a float32 attribute, so even in
 * float64 the slope is {@code (double) 0.2f = 0.20000000298023224}, not 0.2. This class mirrors that.
 */
public final class ReferenceActivations {

    /** SELU constants, as in Keras and TensorFlow's Selu kernel. */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;
    /** TensorFlow LeakyRelu's alpha attribute is a float32: Keras's negative_slope 0.2 becomes 0.2f. */
    static final double LEAKY_RELU_SLOPE = (double) 0.2f;

    /**
     * TensorFlow's exact gelu is {@code 0.5 * x * erfc(-x * cast(0.7071067811865476, dtype))}: the Python float
     * becomes a float32 tensor before the cast, so even in float64 the factor is float32(1/sqrt 2) =
     * 0.7071067690849304 (relative difference 1.7e-8 from 1/sqrt 2, visible in float64 goldens at ~5e-9).
     */
    static final double GELU_SQRT_HALF = (double) 0.70710678118654752440084436210485f;
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955125738961589031215;
    private static final double ONE_OVER_SQRT_PI = 0.56418958354775628694807945156077;

    private ReferenceActivations() {
    }

    /** act(x). */
    public static double value(Activation activation, double x) {
        switch (activation) {
            case TANH:
                return Math.tanh(x);
            case SIGMOID:
                return sigmoid(x);
            case HARD_SIGMOID:
                // Keras 3: relu6(x + 3) / 6 = clip(x/6 + 1/2, 0, 1) (Keras 2 used 0.2x + 0.5).
                return relu6(x + 3.0) / 6.0;
            case RELU:
                return x > 0 ? x : 0.0;
            case LINEAR:
                return x;
            case ELU:
                // elu(x) = x for x > 0, exp(x) - 1 otherwise (alpha 1).
                return x > 0 ? x : Math.expm1(x);
            case SELU:
                // selu(x) = scale * x for x > 0, scale * alpha * (exp(x) - 1) otherwise.
                return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x);
            case SOFTPLUS:
                return softplus(x);
            case SOFTSIGN:
                return x / (1.0 + Math.abs(x));
            case EXPONENTIAL:
                return Math.exp(x);
            case RELU6:
                return relu6(x);
            case SILU:
                // silu(x) = x * sigmoid(x).
                return x * sigmoid(x);
            case GELU:
                // gelu(x) = x/2 * (1 + erf(x/sqrt 2)) = x/2 * erfc(-x/sqrt 2), computed as TF does: erfc form,
                // 1/sqrt 2 rounded to float32 (GELU_SQRT_HALF).
                return 0.5 * x * erfc(-x * GELU_SQRT_HALF);
            case HARD_SILU:
                return x * (relu6(x + 3.0) / 6.0);
            case LEAKY_RELU:
                return x > 0 ? x : LEAKY_RELU_SLOPE * x;
            case MISH:
                // mish(x) = x * tanh(softplus(x)).
                return x * Math.tanh(softplus(x));
            case LOG_SIGMOID:
                // log_sigmoid(x) = -softplus(-x).
                return -softplus(-x);
            case HARD_TANH:
                return Math.max(-1.0, Math.min(1.0, x));
            case CELU:
                // celu(x) = max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1), alpha 1.
                return Math.max(x, 0.0) + Math.expm1(Math.min(x, 0.0));
            case HARD_SHRINK:
                // hard_shrink(x) = x where |x| > 0.5, else 0.
                return Math.abs(x) > 0.5 ? x : 0.0;
            case SOFT_SHRINK:
                // soft_shrink(x) = x - 0.5 above 0.5, x + 0.5 below -0.5, else 0.
                return x > 0.5 ? x - 0.5 : (x < -0.5 ? x + 0.5 : 0.0);
            case SPARSE_PLUS:
                // sparse_plus(x) = 0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1.
                return x <= -1.0 ? 0.0 : (x < 1.0 ? 0.25 * (x + 1.0) * (x + 1.0) : x);
            case SPARSE_SIGMOID:
                // sparse_sigmoid(x) = 0 for x <= -1, 1 for x >= 1, (x + 1) / 2 between.
                return x <= -1.0 ? 0.0 : (x >= 1.0 ? 1.0 : 0.5 * (x + 1.0));
            case SQUAREPLUS:
                // squareplus(x) = (x + sqrt(x^2 + b)) / 2, b = 4.
                return (x + Math.sqrt(x * x + 4.0)) / 2.0;
            case TANH_SHRINK:
                // tanh_shrink(x) = x - tanh(x).
                return x - Math.tanh(x);
            default:
                throw new IllegalArgumentException("activation " + activation.kerasName()
                        + " acts on a whole vector; use ReferenceActivations.apply");
        }
    }

    /** d act(x) / dx, with TensorFlow autodiff's choice at kinks (see the class comment). */
    public static double derivative(Activation activation, double x) {
        switch (activation) {
            case TANH: {
                double t = Math.tanh(x);
                return 1.0 - t * t;
            }
            case SIGMOID: {
                double s = sigmoid(x);
                return s * (1.0 - s);
            }
            case HARD_SIGMOID:
                // relu6'(x + 3) / 6: 1/6 strictly inside (-3, 3), 0 at and beyond the kinks.
                return (x + 3.0 > 0 && x + 3.0 < 6.0) ? 1.0 / 6.0 : 0.0;
            case RELU:
                return x > 0 ? 1.0 : 0.0;
            case LINEAR:
                return 1.0;
            case ELU:
                // EluGrad: y < 0 ? y + 1 : 1, with y = elu(x): y + 1 = exp(x).
                return x < 0 ? Math.exp(x) : 1.0;
            case SELU:
                // SeluGrad: y < 0 ? y + scale*alpha : scale, and y + scale*alpha = scale*alpha*exp(x).
                return x < 0 ? SELU_SCALE * SELU_ALPHA * Math.exp(x) : SELU_SCALE;
            case SOFTPLUS:
                // SoftplusGrad: sigmoid(x).
                return sigmoid(x);
            case SOFTSIGN: {
                // SoftsignGrad: 1 / (1 + |x|)^2.
                double d = 1.0 + Math.abs(x);
                return 1.0 / (d * d);
            }
            case EXPONENTIAL:
                return Math.exp(x);
            case RELU6:
                return (x > 0 && x < 6.0) ? 1.0 : 0.0;
            case SILU: {
                // d/dx x*s(x) = s(x) * (1 + x * (1 - s(x))).
                double s = sigmoid(x);
                return s * (1.0 + x * (1.0 - s));
            }
            case GELU: {
                // d/dx x/2 erfc(-k x) = erfc(-k x)/2 + x/2 * 2/sqrt(pi) * k * exp(-(k x)^2), k = GELU_SQRT_HALF
                // (with k = 1/sqrt 2 exactly this is Phi(x) + x phi(x)).
                double kx = GELU_SQRT_HALF * x;
                return 0.5 * erfc(-kx) + 0.5 * x * TWO_OVER_SQRT_PI * GELU_SQRT_HALF * Math.exp(-kx * kx);
            }
            case HARD_SILU: {
                // Product rule: hard_sigmoid(x) + x * hard_sigmoid'(x).
                double hs = relu6(x + 3.0) / 6.0;
                double dhs = (x + 3.0 > 0 && x + 3.0 < 6.0) ? 1.0 / 6.0 : 0.0;
                return hs + x * dhs;
            }
            case LEAKY_RELU:
                return x > 0 ? 1.0 : LEAKY_RELU_SLOPE;
            case MISH: {
                // d/dx x tanh(sp(x)) = tanh(sp) + x * (1 - tanh(sp)^2) * sigmoid(x).
                double t = Math.tanh(softplus(x));
                return t + x * (1.0 - t * t) * sigmoid(x);
            }
            case LOG_SIGMOID:
                // d/dx -softplus(-x) = sigmoid(-x).
                return sigmoid(-x);
            case HARD_TANH:
                // clip_by_value gradient passes where -1 <= x <= 1 (both ends included).
                return (x >= -1.0 && x <= 1.0) ? 1.0 : 0.0;
            case CELU:
                // d/dx max(x, 0) = [x >= 0]; d/dx expm1(min(x, 0)) = exp(x) [x <= 0] (both at 0, as TF).
                return (x >= 0 ? 1.0 : 0.0) + (x <= 0 ? Math.exp(x) : 0.0);
            case HARD_SHRINK:
                return Math.abs(x) > 0.5 ? 1.0 : 0.0;
            case SOFT_SHRINK:
                return (x > 0.5 || x < -0.5) ? 1.0 : 0.0;
            case SPARSE_PLUS:
                // d/dx (x + 1)^2 / 4 = (x + 1) / 2 inside (-1, 1).
                return x <= -1.0 ? 0.0 : (x < 1.0 ? 0.5 * (x + 1.0) : 1.0);
            case SPARSE_SIGMOID:
                return (x > -1.0 && x < 1.0) ? 0.5 : 0.0;
            case SQUAREPLUS:
                // d/dx (x + sqrt(x^2 + 4)) / 2 = (1 + x / sqrt(x^2 + 4)) / 2.
                return (1.0 + x / Math.sqrt(x * x + 4.0)) / 2.0;
            case TANH_SHRINK: {
                // d/dx (x - tanh x) = 1 - (1 - tanh^2 x) = tanh^2 x.
                double t = Math.tanh(x);
                return t * t;
            }
            default:
                throw new IllegalArgumentException("activation " + activation.kerasName()
                        + " acts on a whole vector; use ReferenceActivations.pullBack");
        }
    }

    /**
     * y = act(z) for one vector z (the last axis): element by element, or for softmax, log_softmax, sparsemax and
     * glu the vector functions below (glu returns half as many values).
     */
    public static double[] apply(Activation activation, double[] z) {
        switch (activation) {
            case SOFTMAX:
                return softmax(z);
            case LOG_SOFTMAX:
                return logSoftmax(z);
            case SPARSEMAX:
                return sparsemax(z).output;
            case GLU: {
                // glu(z) = a * sigmoid(b), z = [a, b] split in halves.
                int h = activation.outputWidth(z.length);
                double[] y = new double[h];
                for (int i = 0; i < h; i++) {
                    y[i] = z[i] * sigmoid(z[h + i]);
                }
                return y;
            }
            default: {
                double[] y = new double[z.length];
                for (int i = 0; i < z.length; i++) {
                    y[i] = value(activation, z[i]);
                }
                return y;
            }
        }
    }

    /**
     * dL/dz for one vector, given z, y = act(z) and dL/dy: the vector-Jacobian product of the activation (element by
     * element dy * act'(z) for the element-wise ones).
     */
    public static double[] pullBack(Activation activation, double[] z, double[] y, double[] dy) {
        double[] dz = new double[z.length];
        switch (activation) {
            case SOFTMAX: {
                // dz_i = y_i (dy_i - sum_j dy_j y_j).
                double dot = 0;
                for (int j = 0; j < z.length; j++) {
                    dot += dy[j] * y[j];
                }
                for (int i = 0; i < z.length; i++) {
                    dz[i] = y[i] * (dy[i] - dot);
                }
                return dz;
            }
            case LOG_SOFTMAX: {
                // y_i = z_i - log sum exp z: dz_i = dy_i - exp(y_i) sum_j dy_j.
                double sum = 0;
                for (double g : dy) {
                    sum += g;
                }
                for (int i = 0; i < z.length; i++) {
                    dz[i] = dy[i] - Math.exp(y[i]) * sum;
                }
                return dz;
            }
            case SPARSEMAX:
                return sparsemax(z).pullBack(dy);
            case GLU: {
                // y = a sigmoid(b): da = dy sigmoid(b); db = dy a sigmoid(b) (1 - sigmoid(b)).
                int h = y.length;
                for (int i = 0; i < h; i++) {
                    double s = sigmoid(z[h + i]);
                    dz[i] = dy[i] * s;
                    dz[h + i] = dy[i] * z[i] * s * (1.0 - s);
                }
                return dz;
            }
            default:
                for (int i = 0; i < z.length; i++) {
                    dz[i] = dy[i] * derivative(activation, z[i]);
                }
                return dz;
        }
    }

    /** softmax(z)_i = exp(z_i - max z) / sum_j exp(z_j - max z). */
    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] e = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    /** log_softmax(z)_i = z_i - max z - log sum_j exp(z_j - max z). */
    static double[] logSoftmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double log = Math.log(sum);
        double[] y = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            y[i] = z[i] - max - log;
        }
        return y;
    }

    /**
     * sparsemax as Keras 3.15.1's TensorFlow backend computes it ({@code keras/src/backend/tensorflow/nn.py}):
     * sort z descending (s), cumulative sums c_k = s_1 + ... + s_k, support = { k : s_k - (c_k - 1)/k &gt; 0 },
     * K = |support|, and τ = (Σ_{k in support} c_k - 1) / K; y = max(z - τ, 0). (The textbook sparsemax has
     * τ = (c_K - 1)/K; Keras sums the cumulative sums over the support, so its outputs need not sum to 1 when
     * K &gt; 1. The golden corpus is what Keras computes.)
     */
    static Sparsemax sparsemax(double[] z) {
        return new Sparsemax(z);
    }

    /** One sparsemax evaluation, kept for its backward pass. */
    static final class Sparsemax {
        final double[] z;
        /** order[k] = index of the k-th largest element (ties: lower index first, as TensorFlow's sort). */
        final int[] order;
        final boolean[] support;
        final int supportSize;
        final double tau;
        final double[] output;

        Sparsemax(double[] z) {
            this.z = z;
            int n = z.length;
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            java.util.Arrays.sort(idx, (a, b) -> z[a] != z[b] ? Double.compare(z[b], z[a]) : Integer.compare(a, b));
            order = new int[n];
            support = new boolean[n];
            double cumsum = 0;
            double supportCumsums = 0;
            int k = 0;
            for (int r = 0; r < n; r++) {
                order[r] = idx[r];
                double s = z[order[r]];
                cumsum += s;
                support[r] = s - (cumsum - 1.0) / (r + 1) > 0;
                if (support[r]) {
                    supportCumsums += cumsum;
                    k++;
                }
            }
            supportSize = k;
            tau = (supportCumsums - 1.0) / k;
            output = new double[n];
            for (int i = 0; i < n; i++) {
                output[i] = Math.max(z[i] - tau, 0.0);
            }
        }

        /**
         * dL/dz: y_i = max(z_i - τ, 0) passes dy_i where z_i - τ &gt;= 0 (TF's Maximum gradient), minus the sum g of
         * what passed times dτ/dz_i; τ depends on the sorted value at rank r through every cumulative sum c_k with
         * k &gt;= r in the support: dτ/ds_r = |{k in support : k &gt;= r}| / K.
         */
        double[] pullBack(double[] dy) {
            int n = z.length;
            double passed = 0;
            double[] dz = new double[n];
            for (int i = 0; i < n; i++) {
                if (z[i] - tau >= 0) {
                    dz[i] = dy[i];
                    passed += dy[i];
                }
            }
            int laterInSupport = 0;
            for (int r = n - 1; r >= 0; r--) {
                if (support[r]) {
                    laterInSupport++;
                }
                dz[order[r]] -= passed * laterInSupport / supportSize;
            }
            return dz;
        }
    }

    /** sigmoid(x) = 1 / (1 + exp(-x)), evaluated without overflow for large |x|. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** softplus(x) = log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)). */
    static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** relu6(x) = min(max(x, 0), 6). */
    static double relu6(double x) {
        return Math.min(Math.max(x, 0.0), 6.0);
    }

    /** erf(x) = 1 - erfc(x). */
    static double erf(double x) {
        if (Math.abs(x) < 2.0) {
            return erfSeries(x);
        }
        return x > 0 ? 1.0 - erfcContinuedFraction(x) : erfcContinuedFraction(-x) - 1.0;
    }

    /**
     * erfc(x) = 1 - erf(x). For |x| &lt; 2 from the series of erf; for x &ge; 2 from the continued fraction of erfc
     * (accurate relative to the tiny result); for x &le; -2 as 2 - erfc(-x).
     */
    static double erfc(double x) {
        if (Math.abs(x) < 2.0) {
            return 1.0 - erfSeries(x);
        }
        return x > 0 ? erfcContinuedFraction(x) : 2.0 - erfcContinuedFraction(-x);
    }

    /**
     * erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_{n>=0} 2^n x^(2n+1) / (1*3*5*...*(2n+1)) (Abramowitz and Stegun 7.1.6).
     * Every term is positive, so there is no cancellation; for |x| &lt; 2 the terms fall below 1e-17 of the sum
     * within about 60 terms.
     */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /**
     * erfc(x) for x &ge; 2 from the continued fraction (Abramowitz and Stegun 7.1.14)
     * erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))),
     * evaluated with the modified Lentz algorithm.
     */
    private static double erfcContinuedFraction(double x) {
        final double tiny = 1e-300;
        // f = b0 + a1/(b1 + a2/(b2 + ...)) with b_k = x, a_k = k/2.
        double f = x;
        double c = x;
        double d = 0.0;
        for (int k = 1; k < 5000; k++) {
            double a = k / 2.0;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return ONE_OVER_SQRT_PI * Math.exp(-x * x) / f;
    }
}
