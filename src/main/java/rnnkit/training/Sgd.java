package rnnkit.training;

import rnnkit.model.DType;

/** Keras {@code SGD} without momentum: {@code w = w - g * lr} (Keras: {@code assign_sub(variable, gradient * lr)}). */
final class Sgd extends ElementwiseOptimizer {
    private final double lr;

    Sgd(OptimizerSpec spec, DType dtype) {
        super(dtype);
        this.lr = r(spec.learningRate());
    }

    @Override
    double update(int weight, int element, double w, double g) {
        return r(w - r(g * lr));
    }
}
