package rnnkit.training;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.DType;
import rnnkit.model.Tensor;

/**
 * Keras {@code Adam} (amsgrad off), as Keras 3.15.1's {@code Adam.update_step} computes it at step t = iterations + 1:
 * <pre>
 *   alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
 *   m    += (g - m) * (1 - beta_1)
 *   v    += (g² - v) * (1 - beta_2)
 *   w    -= (m * alpha) / (sqrt(v) + epsilon)
 * </pre>
 * with m and v starting at zero; every operation rounded to the variables' dtype. {@code 1 - beta_1} is a Python
 * float subtraction in Keras (then converted), the powers are tensor operations in the dtype. The bases of the powers
 * are {@code ops.cast(beta_1, dtype)} of a Python float, which TensorFlow first makes a float32 tensor: even for
 * float64 variables they are 0.9f and 0.999f (checked against Keras 3.15.1: with exact 0.9 and 0.999 a float64
 * weight differs by 2e-8 relative after three steps; with the float32 bases every bit agrees).
 */
final class Adam extends ElementwiseOptimizer {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double oneMinusBeta1;
    private final double oneMinusBeta2;
    private final double epsilon;
    private final List<double[]> m = new ArrayList<>();
    private final List<double[]> v = new ArrayList<>();
    private double alpha;

    Adam(OptimizerSpec spec, DType dtype, List<int[]> shapes) {
        super(dtype);
        this.lr = r(spec.learningRate());
        this.beta1 = r((float) spec.beta1());
        this.beta2 = r((float) spec.beta2());
        this.oneMinusBeta1 = r(1 - spec.beta1());
        this.oneMinusBeta2 = r(1 - spec.beta2());
        this.epsilon = r(spec.epsilon());
        for (int[] s : shapes) {
            m.add(new double[Math.toIntExact(Tensor.elementCount(s))]);
            v.add(new double[Math.toIntExact(Tensor.elementCount(s))]);
        }
    }

    @Override
    void beginStep(int t) {
        double beta1Power = r(Math.pow(beta1, t));
        double beta2Power = r(Math.pow(beta2, t));
        alpha = r(r(lr * r(Math.sqrt(r(1 - beta2Power)))) / r(1 - beta1Power));
    }

    @Override
    double update(int weight, int element, double w, double g) {
        if (weight >= m.size() || element >= m.get(weight).length) {
            throw new IllegalArgumentException("Adam was made for " + m.size() + " weights of other sizes; got weight "
                    + weight + " element " + element);
        }
        double[] mi = m.get(weight);
        double[] vi = v.get(weight);
        mi[element] = r(mi[element] + r(r(g - mi[element]) * oneMinusBeta1));
        vi[element] = r(vi[element] + r(r(r(g * g) - vi[element]) * oneMinusBeta2));
        double step = r(r(mi[element] * alpha) / r(r(Math.sqrt(vi[element])) + epsilon));
        return r(w - step);
    }
}
