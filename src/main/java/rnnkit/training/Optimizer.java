package rnnkit.training;

import java.util.List;
import rnnkit.model.DType;

/**
 * One optimizer's state over a model's weights: {@link #apply} performs one Keras update step in place. The
 * arithmetic follows Keras 3.15.1's {@code update_step} operation by operation, each result rounded to the dtype of
 * the variables (float32 or float64), as TensorFlow evaluates it on variables of that dtype.
 */
public interface Optimizer {

    /** One step: updates every weight array in place from its gradient (same order and sizes). */
    void apply(List<double[]> weights, List<double[]> gradients);

    /** Steps applied so far (Keras {@code optimizer.iterations}). */
    int iterations();

    /** x rounded to the variables' dtype: float32 rounds to nearest float, float64 keeps x. */
    static double round(DType dtype, double x) {
        return dtype == DType.FLOAT32 ? (double) (float) x : x;
    }

    static void checkSizes(List<double[]> weights, List<double[]> gradients) {
        if (weights.size() != gradients.size()) {
            throw new IllegalArgumentException(gradients.size() + " gradients for " + weights.size() + " weights");
        }
        for (int i = 0; i < weights.size(); i++) {
            if (weights.get(i).length != gradients.get(i).length) {
                throw new IllegalArgumentException("gradient " + i + " has " + gradients.get(i).length
                        + " values; weight " + i + " has " + weights.get(i).length);
            }
        }
    }
}
