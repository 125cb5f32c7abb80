package rnnkit.training;

import rnnkit.model.Tensor;

/**
 * Keras {@code CategoricalCrossentropy()} (reduction sum_over_batch_size) on the output of a final softmax, as
 * Keras's TensorFlow backend computes it: from the softmax's logits z ({@code _keras_logits}) with
 * {@code softmax_cross_entropy_with_logits}, so the gradient never passes through the softmax itself.
 * <pre>
 *   loss   = (1/B) Σ_b Σ_c t[b,c] (logsumexp(z[b]) - z[b,c])
 *   dL/dz  = (softmax(z[b]) - t[b]) / B         (for targets whose rows sum to 1)
 * </pre>
 * Written for the training harness; both implementations under test get the same loss and cotangent.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss and gradient with respect to the logits. */
    public record Result(double loss, Tensor logitGradient) {
    }

    /** For logits and targets of shape (batch, classes). */
    public static Result of(Tensor logits, Tensor targets) {
        if (logits.rank() != 2 || !java.util.Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException("logits have shape " + Tensor.shapeString(logits.shape()) + " and targets "
                    + Tensor.shapeString(targets.shape()) + "; expected the same (batch, classes)");
        }
        int batch = logits.dim(0);
        int classes = logits.dim(1);
        double[] z = logits.data();
        double[] t = targets.data();
        double total = 0;
        Tensor dz = Tensor.zeros(batch, classes);
        for (int b = 0; b < batch; b++) {
            int o = b * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[o + c] - max);
            }
            double logSumExp = max + Math.log(sum);
            double targetMass = 0;
            for (int c = 0; c < classes; c++) {
                total += t[o + c] * (logSumExp - z[o + c]);
                targetMass += t[o + c];
            }
            for (int c = 0; c < classes; c++) {
                // d/dz of Σ_c t_c (lse - z_c) = softmax(z) Σt - t
                dz.data()[o + c] = (Math.exp(z[o + c] - logSumExp) * targetMass - t[o + c]) / batch;
            }
        }
        return new Result(total / batch, dz);
    }
}
