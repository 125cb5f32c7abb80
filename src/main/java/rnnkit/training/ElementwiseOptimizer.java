package rnnkit.training;

import java.util.List;
import rnnkit.model.DType;

/**
 * An optimizer whose step updates every weight element from its own gradient (and its own slots): one pass over all
 * weights, each result rounded to the variables' dtype.
 */
abstract class ElementwiseOptimizer implements Optimizer {
    private final DType dtype;
    private int iterations;

    ElementwiseOptimizer(DType dtype) {
        this.dtype = dtype;
    }

    /** Called once per step before the elements, with t = iterations + 1 (Keras's local_step). */
    void beginStep(int t) {
    }

    /** The new value of element j of weight i, from its value and its gradient (already rounded to the dtype). */
    abstract double update(int weight, int element, double w, double g);

    @Override
    public final void apply(List<double[]> weights, List<double[]> gradients) {
        Optimizer.checkSizes(weights, gradients);
        beginStep(iterations + 1);
        for (int i = 0; i < weights.size(); i++) {
            double[] w = weights.get(i);
            double[] g = gradients.get(i);
            for (int j = 0; j < w.length; j++) {
                w[j] = update(i, j, w[j], r(g[j]));
            }
        }
        iterations++;
    }

    @Override
    public final int iterations() {
        return iterations;
    }

    /** x rounded to the variables' dtype. */
    final double r(double x) {
        return Optimizer.round(dtype, x);
    }
}
