package rnnkit.kit;

import rnnkit.model.DType;
import rnnkit.model.LayerSpec;
import rnnkit.model.Tensor;

/**
 * The worst disagreement found in one compared quantity (an output, a state, a gradient) of one case, and where it is.
 *
 * @param quantity e.g. "output", "state[1]", "grad/kernel", "call1/grad/inputs"
 * @param kind what the quantity is (decides its tolerance); null when a check does not say
 * @param maxAbsError max |got - expected|
 * @param maxRelError the worst element error by the check's measure (see {@link rnnkit.conformance.Tolerance})
 * @param bound the tolerance on {@code maxRelError}; NaN when a check does not give it as a number
 * @param tolerance the bound as a readable string
 * @param withinTolerance whether it passed
 * @param worst the element with the largest error, located in Keras terms; null when not located
 */
public record QuantityError(String quantity, QuantityCheck.Kind kind, double maxAbsError, double maxRelError,
                            double bound, String tolerance, boolean withinTolerance, WorstElement worst) {

    /**
     * The element with the largest error of a quantity, and for sequences how the error runs over time.
     *
     * @param where its index in Keras terms, e.g. "batch 1, step 3, unit 2" (see {@link ElementLocation})
     * @param expected the expected value there
     * @param actual the implementation's value there
     * @param digits significant digits of the case's dtype (9 for float32, 17 for float64): values are shown as the
     *     shortest decimal that reads back as the same float or double
     * @param stepRatios for a sequence (a returned sequence, an input gradient): per time step, the step's worst
     *     element error divided by the bound; empty otherwise
     * @param firstStepOver the first time step whose error exceeds the bound in {@link #scanOrder}, or -1
     * @param backwardInTime true when steps are examined from the last processed step back (input gradients)
     */
    public record WorstElement(String where, double expected, double actual, int digits, double[] stepRatios,
                               int firstStepOver, boolean backwardInTime) {
        /** "descending"/"ascending" order of step indices in which firstStepOver was searched. */
        public String scanOrder() {
            return backwardInTime ? "backwards in time" : "in processing order";
        }
    }

    /** A quantity error without a location (checks that only report the size of the error). */
    public QuantityError(String quantity, double maxAbsError, double maxRelError, String tolerance, boolean withinTolerance) {
        this(quantity, null, maxAbsError, maxRelError, Double.NaN, tolerance, withinTolerance, null);
    }

    /** Error divided by its tolerance (above 1: over tolerance); NaN when the bound is not known as a number. */
    public double ratio() {
        if (Double.isNaN(bound)) {
            return Double.NaN;
        }
        if (bound == 0) {
            return maxRelError == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return maxRelError / bound;
    }

    /**
     * Measures one quantity from its element errors (by the caller's measure) against {@code bound}: the worst
     * element, located in {@code layer}'s Keras terms, and for a sequence (rank 3: batch, time, features) of an output
     * or an input gradient the error per time step and the first step over the bound.
     *
     * @param index which output, state, weight or initial state of its kind (0 for the input gradient); input-gradient
     *     steps are examined backwards in time (ascending input steps for a go_backwards layer, which processes its
     *     first input last)
     */
    public static QuantityError measure(String quantity, QuantityCheck.Kind kind, int index, LayerSpec layer, DType dtype,
                                        Tensor expected, Tensor got, double[] elementErrors, double bound,
                                        String toleranceText) {
        double abs = 0;
        int worstAt = -1;
        double worstErr = -1;
        for (int i = 0; i < elementErrors.length; i++) {
            double d = Math.abs(got.data()[i] - expected.data()[i]);
            abs = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(abs, d);
            if (elementErrors[i] > worstErr) {
                worstErr = elementErrors[i];
                worstAt = i;
            }
        }
        double err = Math.max(0, worstErr);
        WorstElement w = null;
        if (worstAt >= 0) {
            int[] shape = expected.shape();
            double[] steps = new double[0];
            int first = -1;
            boolean backward = kind == QuantityCheck.Kind.GRAD_INPUTS;
            if (shape.length == 3 && (kind == QuantityCheck.Kind.OUTPUT || backward)) {
                steps = stepRatios(shape, elementErrors, bound);
                boolean ascending = !backward || ElementLocation.inputGradientScanAscending(layer);
                for (int k = 0; k < steps.length; k++) {
                    int t = ascending ? k : steps.length - 1 - k;
                    if (steps[t] > 1) {
                        first = t;
                        break;
                    }
                }
            }
            w = new WorstElement(ElementLocation.describe(layer, kind, index, shape, worstAt), expected.data()[worstAt],
                    got.data()[worstAt], dtype == DType.FLOAT32 ? 9 : 17, steps, first, backward);
        }
        return new QuantityError(quantity, kind, abs, err, bound, toleranceText, err <= bound, w);
    }

    /** The shortest decimal that reads back as the value in the case's dtype (float32: as a float). */
    private String value(double v) {
        return worst.digits() <= 9 ? Float.toString((float) v) : Double.toString(v);
    }

    private static double[] stepRatios(int[] shape, double[] errors, double bound) {
        int b = shape[0];
        int t = shape[1];
        int f = shape[2];
        double[] steps = new double[t];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) {
                for (int j = 0; j < f; j++) {
                    steps[s] = Math.max(steps[s], errors[(i * t + s) * f + j]);
                }
            }
        }
        for (int s = 0; s < t; s++) {
            steps[s] = bound > 0 ? steps[s] / bound : steps[s] == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return steps;
    }

    /**
     * The located description of this quantity's worst element, e.g. "output worst at batch 1, step 3, unit 2:
     * expected 0.521345079, got 0.482109308; error 7.53e-02 = 1.58e+04 × tolerance 4.77e-06; first step over
     * tolerance (in processing order): 0 of 5".
     */
    public String located() {
        StringBuilder sb = new StringBuilder(quantity);
        if (worst == null) {
            return sb.append(" error ").append(KitReport.fmt(maxRelError)).append(" (abs ").append(KitReport.fmt(maxAbsError))
                    .append("), tolerance ").append(tolerance).toString();
        }
        sb.append(kind == QuantityCheck.Kind.GRAD_WEIGHTS ? " worst in " : " worst at ").append(worst.where());
        sb.append(": expected ").append(value(worst.expected())).append(", got ").append(value(worst.actual()));
        sb.append("; error ").append(KitReport.fmt(maxRelError));
        double r = ratio();
        if (!Double.isNaN(r)) {
            sb.append(" = ").append(KitReport.fmt(r)).append(" × tolerance ").append(KitReport.fmt(bound));
        } else {
            sb.append(", tolerance ").append(tolerance);
        }
        if (worst.stepRatios().length > 0) {
            sb.append("; first step over tolerance (").append(worst.scanOrder()).append("): ")
                    .append(worst.firstStepOver() < 0 ? "none" : String.valueOf(worst.firstStepOver()))
                    .append(" of ").append(worst.stepRatios().length);
        }
        return sb.toString();
    }
}
