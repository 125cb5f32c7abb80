package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The Keras 3 activation functions, by their Keras names. This enum is only a name: each implementation (reference,
 * optimized, ...) carries its own arithmetic so that one bug cannot hide in both.
 *
 * <p>Most act element by element ({@link #isElementwise()}); a recurrent cell accepts only those. Four act on a
 * whole vector along the last axis (Keras's {@code axis=-1} default) and are accepted by Dense and Activation layers:
 * softmax, log_softmax, sparsemax and glu (which halves the width). {@code threshold} cannot be named by string in
 * Keras (it needs its threshold and default value), so it is not here.
 *
 * <p>Definitions (Keras 3.15.1, {@code keras.activations}), with default parameters as used when a layer names
 * the activation by string:
 * <ul>
 * <li>hard_sigmoid(x) = clip(x/6 + 1/2, 0, 1) (Keras 2 used 0.2x + 0.5)</li>
 * <li>hard_silu(x) = x * hard_sigmoid(x) (alias hard_swish)</li>
 * <li>elu alpha 1; selu alpha 1.67326324235437728481, scale 1.05070098735548049342</li>
 * <li>leaky_relu negative_slope 0.2; relu6 = min(max(x, 0), 6); hard_tanh = clip(x, -1, 1)</li>
 * <li>gelu approximate=False: x/2 (1 + erf(x/sqrt 2)); mish = x tanh(softplus x); silu = x sigmoid(x)</li>
 * <li>log_sigmoid = -softplus(-x); softsign = x/(1+|x|); exponential = exp(x)</li>
 * <li>celu alpha 1: max(x, 0) + expm1(min(x, 0)); squareplus b 4: (x + sqrt(x² + 4))/2; tanh_shrink = x - tanh x</li>
 * <li>hard_shrink threshold 0.5: x where |x| &gt; 0.5, else 0; soft_shrink: x ∓ 0.5 beyond ±0.5, else 0</li>
 * <li>sparse_plus: 0 for x &le; -1, (x+1)²/4 for -1 &lt; x &lt; 1, x beyond; sparse_sigmoid: clip((x+1)/2, 0, 1)</li>
 * <li>softmax(x)_i = exp(x_i)/Σ_j exp(x_j); log_softmax(x)_i = x_i - log Σ_j exp(x_j)</li>
 * <li>sparsemax: max(x - τ, 0) with τ as Keras 3.15.1's TensorFlow backend computes it (see the implementations)</li>
 * <li>glu: the last axis split in halves a, b: a · sigmoid(b)</li>
 * </ul>
 */
public enum Activation {
    TANH("tanh"),
    SIGMOID("sigmoid"),
    HARD_SIGMOID("hard_sigmoid"),
    RELU("relu"),
    LINEAR("linear"),
    ELU("elu"),
    SELU("selu"),
    SOFTPLUS("softplus"),
    SOFTSIGN("softsign"),
    EXPONENTIAL("exponential"),
    RELU6("relu6"),
    SILU("silu", "swish"),
    GELU("gelu"),
    HARD_SILU("hard_silu", "hard_swish"),
    LEAKY_RELU("leaky_relu"),
    MISH("mish"),
    LOG_SIGMOID("log_sigmoid"),
    HARD_TANH("hard_tanh"),
    CELU("celu"),
    HARD_SHRINK("hard_shrink"),
    SOFT_SHRINK("soft_shrink"),
    SPARSE_PLUS("sparse_plus"),
    SPARSE_SIGMOID("sparse_sigmoid"),
    SQUAREPLUS("squareplus"),
    TANH_SHRINK("tanh_shrink"),
    SOFTMAX("softmax", false),
    LOG_SOFTMAX("log_softmax", false),
    SPARSEMAX("sparsemax", false),
    GLU("glu", false);

    private static final List<Activation> ELEMENTWISE;

    static {
        List<Activation> e = new ArrayList<>();
        for (Activation a : values()) {
            if (a.elementwise) {
                e.add(a);
            }
        }
        ELEMENTWISE = List.copyOf(e);
    }

    private final String kerasName;
    private final boolean elementwise;
    private final String[] aliases;

    Activation(String kerasName, String... aliases) {
        this(kerasName, true, aliases);
    }

    Activation(String kerasName, boolean elementwise, String... aliases) {
        this.kerasName = kerasName;
        this.elementwise = elementwise;
        this.aliases = aliases;
    }

    /**
     * The element-wise activations of rnnkit's first cells (tanh through hard_tanh, in declaration order): the space
     * that seeded random and property cases draw cell activations from, fixed so that a seed keeps naming the same
     * cases when activations are added. The later ones are covered by the golden corpus and by tests that enumerate
     * {@link #elementwise()}.
     */
    public static List<Activation> seededDrawSpace() {
        return ELEMENTWISE.subList(0, HARD_TANH.ordinal() + 1);
    }

    /** The activations that act element by element (every one a recurrent cell accepts), in declaration order. */
    public static List<Activation> elementwise() {
        return ELEMENTWISE;
    }

    /** True if f acts on each element alone; false for softmax, log_softmax, sparsemax and glu (axis -1). */
    public boolean isElementwise() {
        return elementwise;
    }

    /**
     * Width of the last axis after this activation: the input width, or half of it for glu.
     *
     * @throws IllegalArgumentException for glu on an odd width (Keras: "axis size must be divisible by 2")
     */
    public int outputWidth(int width) {
        if (this != GLU) {
            return width;
        }
        if (width % 2 != 0) {
            throw new IllegalArgumentException("glu splits the last axis in two halves, but its width is " + width
                    + "; expected an even width");
        }
        return width / 2;
    }

    /** The name Keras {@code get_config()} reports. */
    public String kerasName() {
        return kerasName;
    }

    /** Looks an activation up by its Keras name or alias; {@code None}/null means linear, as in Keras. */
    public static Activation fromKeras(String name) {
        if (name == null || name.equals("None")) {
            return LINEAR;
        }
        for (Activation a : values()) {
            if (a.kerasName.equals(name)) {
                return a;
            }
            for (String alias : a.aliases) {
                if (alias.equals(name)) {
                    return a;
                }
            }
        }
        if (name.equals("threshold")) {
            throw new IllegalArgumentException("activation 'threshold' needs its threshold and default_value arguments;"
                    + " Keras cannot use it by name");
        }
        List<String> known = new ArrayList<>();
        for (Activation a : values()) {
            known.add(a.kerasName);
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of " + known);
    }
}
