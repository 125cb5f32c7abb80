package rnnkit.testing;

import rnnkit.conformance.Tolerance;
import java.util.Arrays;
import java.util.List;
import rnnkit.model.Tensor;

/**
 * Element-wise comparison of tensors under a {@link Tolerance}, with a failure message that names the quantity,
 * the first offending index (as a multi-index) and both values.
 */
public final class TensorComparison {
    private TensorComparison() {
    }

    /** Fails with a descriptive {@link AssertionError} unless {@code actual} matches {@code expected}. */
    public static void assertClose(String what, Tensor actual, Tensor expected, Tolerance tolerance) {
        String problem = difference(what, actual, expected, tolerance);
        if (problem != null) {
            throw new AssertionError(problem);
        }
    }

    /** Compares two lists of tensors pairwise; the message names the list entry. */
    public static void assertAllClose(String what, List<Tensor> actual, List<Tensor> expected, Tolerance tolerance) {
        if (actual.size() != expected.size()) {
            throw new AssertionError(what + ": " + actual.size() + " tensors, expected " + expected.size());
        }
        for (int i = 0; i < actual.size(); i++) {
            assertClose(what + "[" + i + "]", actual.get(i), expected.get(i), tolerance);
        }
    }

    /** Null if the tensors match, else a description of the first (and worst) mismatch. */
    public static String difference(String what, Tensor actual, Tensor expected, Tolerance tolerance) {
        if (actual == null || expected == null) {
            return actual == expected ? null : what + ": " + (actual == null ? "actual" : "expected") + " is null";
        }
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
        }
        double[] a = actual.data();
        double[] e = expected.data();
        int first = -1;
        int worst = -1;
        double worstRatio = 0;
        int bad = 0;
        for (int i = 0; i < a.length; i++) {
            if (!tolerance.accepts(a[i], e[i])) {
                bad++;
                if (first < 0) {
                    first = i;
                }
                double r = tolerance.errorRatio(a[i], e[i]);
                if (worst < 0 || r > worstRatio) {
                    worst = i;
                    worstRatio = r;
                }
            }
        }
        if (first < 0) {
            return null;
        }
        int[] shape = actual.shape();
        return what + ": " + bad + " of " + a.length + " elements differ beyond " + tolerance
                + "; first at " + Arrays.toString(multiIndex(first, shape)) + ": " + a[first] + " vs expected " + e[first]
                + "; worst at " + Arrays.toString(multiIndex(worst, shape)) + ": " + a[worst] + " vs expected " + e[worst];
    }

    /** The row-major multi-index of flat position {@code flat} in a tensor of the given shape. */
    public static int[] multiIndex(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = shape[axis] == 0 ? 0 : flat % shape[axis];
            flat = shape[axis] == 0 ? 0 : flat / shape[axis];
        }
        return index;
    }
}
