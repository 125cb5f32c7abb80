package rnnkit.training;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import rnnkit.model.DType;

/**
 * A Keras 3 optimizer as rnnkit reproduces it: {@code SGD} (no momentum) or {@code Adam} (no amsgrad), read from
 * {@code {"class_name", "config"}} as Keras's {@code get_config()} writes it. Options that change the update and that
 * rnnkit does not implement (momentum, nesterov, weight decay, gradient clipping, EMA, loss scaling, gradient
 * accumulation, amsgrad) are rejected with an error that names them.
 *
 * @param learningRate Keras {@code learning_rate} (SGD default 0.01, Adam 0.001)
 * @param beta1 Adam {@code beta_1} (0.9); unused by SGD
 * @param beta2 Adam {@code beta_2} (0.999); unused by SGD
 * @param epsilon Adam {@code epsilon} (1e-7); unused by SGD
 */
public record OptimizerSpec(Kind kind, double learningRate, double beta1, double beta2, double epsilon) {

    /** The optimizers rnnkit implements. */
    public enum Kind { SGD, ADAM }

    public OptimizerSpec {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer kind is null; expected SGD or ADAM");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(kind + " learning_rate is " + learningRate + "; expected a positive number");
        }
        if (kind == Kind.ADAM && !(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon >= 0)) {
            throw new IllegalArgumentException("Adam beta_1 " + beta1 + ", beta_2 " + beta2 + ", epsilon " + epsilon
                    + "; expected betas in [0, 1) and epsilon >= 0");
        }
    }

    /** Keras {@code SGD()} defaults: learning rate 0.01. */
    public static OptimizerSpec sgd() {
        return new OptimizerSpec(Kind.SGD, 0.01, 0, 0, 0);
    }

    /** Keras {@code Adam()} defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public static OptimizerSpec adam() {
        return new OptimizerSpec(Kind.ADAM, 0.001, 0.9, 0.999, 1e-7);
    }

    /** Keras's class name. */
    public String kerasClassName() {
        return kind == Kind.SGD ? "SGD" : "Adam";
    }

    /** A new optimizer state for weights of these shapes, whose variables hold {@code dtype} values. */
    public Optimizer create(DType dtype, List<int[]> shapes) {
        return kind == Kind.SGD ? new Sgd(this, dtype) : new Adam(this, dtype, shapes);
    }

    /** Parses {@code {"class_name": "SGD" | "Adam", "config": {...}}}. */
    public static OptimizerSpec fromKeras(JsonNode node) {
        String cls = node.path("class_name").asText("");
        JsonNode c = node.get("config");
        if (c == null || !c.isObject()) {
            throw new IllegalArgumentException("optimizer " + cls + ": missing 'config' object");
        }
        for (String key : List.of("weight_decay", "clipnorm", "global_clipnorm", "clipvalue", "ema_overwrite_frequency",
                "loss_scale_factor", "gradient_accumulation_steps")) {
            if (c.hasNonNull(key)) {
                throw new IllegalArgumentException("optimizer " + cls + ": " + key + "=" + c.get(key)
                        + " is not supported (rnnkit implements the plain update)");
            }
        }
        if (c.path("use_ema").asBoolean(false)) {
            throw new IllegalArgumentException("optimizer " + cls + ": use_ema=True is not supported");
        }
        double lr = number(c, "learning_rate", cls);
        switch (cls) {
            case "SGD" -> {
                if (c.has("momentum") && number(c, "momentum", cls) != 0) {
                    throw new IllegalArgumentException("SGD momentum=" + c.get("momentum") + " is not supported; "
                            + "expected 0 (Keras's default)");
                }
                if (c.path("nesterov").asBoolean(false)) {
                    throw new IllegalArgumentException("SGD nesterov=True is not supported");
                }
                return new OptimizerSpec(Kind.SGD, lr, 0, 0, 0);
            }
            case "Adam" -> {
                if (c.path("amsgrad").asBoolean(false)) {
                    throw new IllegalArgumentException("Adam amsgrad=True is not supported");
                }
                return new OptimizerSpec(Kind.ADAM, lr, number(c, "beta_1", cls), number(c, "beta_2", cls),
                        number(c, "epsilon", cls));
            }
            default -> throw new IllegalArgumentException("unsupported optimizer '" + cls + "'; expected SGD or Adam");
        }
    }

    private static double number(JsonNode c, String key, String who) {
        JsonNode v = c.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("optimizer " + who + " " + key + " is " + v + "; expected a number");
        }
        return v.asDouble();
    }

    /** Keras-style description, e.g. {@code Adam(learning_rate=0.001)}. */
    public String describe() {
        Map<Kind, String> extra = Map.of(Kind.SGD, "", Kind.ADAM,
                ", beta_1=" + beta1 + ", beta_2=" + beta2 + ", epsilon=" + epsilon);
        return kerasClassName() + "(learning_rate=" + learningRate + extra.get(kind) + ")";
    }
}
