package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The activation functions a recurrent cell may use, by their Keras 3 names. This enum is only a name: each
 * implementation (reference, optimized, ...) carries its own arithmetic so that one bug cannot hide in both.
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
    HARD_TANH("hard_tanh");

    private final String kerasName;
    private final String[] aliases;

    Activation(String kerasName, String... aliases) {
        this.kerasName = kerasName;
        this.aliases = aliases;
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
        List<String> known = new ArrayList<>();
        for (Activation a : values()) {
            known.add(a.kerasName);
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of " + known);
    }
}
