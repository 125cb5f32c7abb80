package rnnkit.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import rnnkit.conformance.Tolerance;
import rnnkit.golden.TrajectoryCase;
import rnnkit.model.LayerCall;
import rnnkit.model.Tensor;

/**
 * A replayed training run compared with what Keras recorded: the relative loss error at every step and the worst
 * weight error (the element measure of {@link Tolerance#worstError}) after every recorded step, each against its
 * tolerance ({@link Tolerance#trajectoryLoss}, {@link Tolerance#trajectoryWeights}), which grows with the step.
 */
public record TrajectoryCheck(TrajectoryCase trajectory, TrajectoryRun.Result result, List<StepError> losses,
                              List<StepError> weights) {

    /** One step's error and its tolerance; {@code where} names the worst weight tensor (empty for the loss). */
    public record StepError(int step, double expected, double actual, double error, double tolerance, String where) {
        public boolean pass() {
            return error <= tolerance;
        }

        /** error / tolerance. */
        public double ratio() {
            return error / tolerance;
        }
    }

    public TrajectoryCheck {
        losses = List.copyOf(losses);
        weights = List.copyOf(weights);
    }

    /** Compares a replay with its golden trajectory. */
    public static TrajectoryCheck of(TrajectoryCase c, TrajectoryRun.Result r) {
        double[] expected = c.losses();
        double[] actual = r.losses();
        int[] schedule = c.schedule();
        List<StepError> losses = new ArrayList<>();
        for (int k = 0; k < expected.length; k++) {
            double err = k < actual.length && Double.isFinite(actual[k])
                    ? Math.abs(actual[k] - expected[k]) / Math.abs(expected[k]) : Double.POSITIVE_INFINITY;
            losses.add(new StepError(k + 1, expected[k], k < actual.length ? actual[k] : Double.NaN, err,
                    Tolerance.trajectoryLoss(c.dtype(), stepCall(c, schedule[k]), k + 1), ""));
        }
        List<StepError> weights = new ArrayList<>();
        for (Map.Entry<Integer, List<Tensor>> e : c.weightsAfter().entrySet()) {
            int step = e.getKey();
            List<Tensor> got = r.weightsAfter().get(step);
            double worst = got == null ? Double.POSITIVE_INFINITY : 0;
            String where = got == null ? "missing" : "";
            for (int i = 0; got != null && i < e.getValue().size(); i++) {
                double err = i < got.size() ? Tolerance.worstError(e.getValue().get(i), got.get(i)) : Double.POSITIVE_INFINITY;
                if (err > worst || where.isEmpty()) {
                    worst = Math.max(worst, err);
                    where = c.weightNames().get(i);
                }
            }
            weights.add(new StepError(step, Double.NaN, Double.NaN, worst,
                    Tolerance.trajectoryWeights(c.dtype(), stepCall(c, schedule[step - 1]), step), where));
        }
        return new TrajectoryCheck(c, r, losses, weights);
    }

    /** The call of one step (its shapes set the per-step tolerances). */
    static LayerCall stepCall(TrajectoryCase c, int batch) {
        TrajectoryCase.Batch b = c.batches().get(batch);
        return new LayerCall(TrajectoryRun.logitsModel(c.model()), c.initialWeights(), b.inputs(), null, List.of(),
                List.of(), false, c.dtype());
    }

    public boolean pass() {
        return losses.stream().allMatch(StepError::pass) && weights.stream().allMatch(StepError::pass)
                && !losses.isEmpty();
    }

    /** The loss step with the largest error / tolerance. */
    public StepError worstLoss() {
        return losses.stream().max(java.util.Comparator.comparingDouble(StepError::ratio)).orElseThrow();
    }

    /** The recorded step with the largest weight error / tolerance, or null if none was recorded. */
    public StepError worstWeights() {
        return weights.stream().max(java.util.Comparator.comparingDouble(StepError::ratio)).orElse(null);
    }
}
