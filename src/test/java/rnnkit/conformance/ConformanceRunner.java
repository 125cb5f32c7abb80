package rnnkit.conformance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import rnnkit.conformance.Tolerance.Quantity;
import rnnkit.golden.GoldenCall;
import rnnkit.golden.GoldenCase;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.model.UnsupportedCaseException;

/**
 * Runs golden cases through any number of {@link RnnImplementation}s and measures, per implementation and per
 * {@link Quantity}, the worst absolute error and the worst error by the measure of {@link Tolerance}.
 *
 * <p>Stateful cases are run as Keras ran them: the first call starts from zero states, each next call from the
 * final states the implementation itself returned for the previous call, and a {@code reset_state()} restarts from
 * zeros. Gradients of each call are taken with respect to the states that call started from.
 */
public final class ConformanceRunner {

    public enum Status { PASS, FAIL, UNSUPPORTED, ERROR }

    /** Worst errors of one quantity of one case for one implementation. */
    public record QuantityResult(Quantity quantity, double worstAbsolute, double worstError, double tolerance) {
        public boolean pass() {
            return worstError <= tolerance;
        }
    }

    public record ImplementationResult(String implementation, Status status, List<QuantityResult> quantities,
                                       String message) {
        /** The quantity with the largest error / tolerance ratio, or null. */
        public QuantityResult worst() {
            QuantityResult w = null;
            for (QuantityResult q : quantities) {
                if (w == null || q.worstError / q.tolerance > w.worstError / w.tolerance) {
                    w = q;
                }
            }
            return w;
        }
    }

    public record CaseResult(GoldenCase goldenCase, List<ImplementationResult> implementations) {
        public boolean allPass() {
            return implementations.stream().allMatch(r -> r.status() == Status.PASS);
        }
    }

    private final List<RnnImplementation> implementations;

    public ConformanceRunner(List<RnnImplementation> implementations) {
        if (implementations.isEmpty()) {
            throw new IllegalArgumentException("conformance needs at least one implementation");
        }
        this.implementations = List.copyOf(implementations);
    }

    public List<RnnImplementation> implementations() {
        return implementations;
    }

    public CaseResult run(GoldenCase c) {
        List<ImplementationResult> out = new ArrayList<>();
        for (RnnImplementation impl : implementations) {
            out.add(runOne(impl, c));
        }
        return new CaseResult(c, out);
    }

    private static ImplementationResult runOne(RnnImplementation impl, GoldenCase c) {
        Map<Quantity, double[]> worst = new EnumMap<>(Quantity.class); // {abs, err}
        try {
            List<Tensor> carried = null;
            for (GoldenCall g : c.calls()) {
                LayerCall call = g.call();
                if (c.stateful()) {
                    if (carried == null || g.resetBefore()) {
                        carried = zerosLike(call.initialStates());
                    }
                    call = call.withInitialStates(carried);
                }
                LayerOutputs actual = impl.forward(call);
                LayerOutputs expected = g.expected();
                compareAll(worst, Quantity.OUTPUTS, expected.outputs(), actual.outputs(), 0);
                if (!expected.states().isEmpty()) {
                    compareAll(worst, Quantity.STATES, expected.states(), actual.states(), 0);
                }
                if (c.stateful()) {
                    carried = actual.states();
                }
                LayerGradients grads = impl.backward(call, g.cotangent());
                LayerGradients eg = g.expectedGradients();
                List<Tensor> cot = new ArrayList<>(g.cotangent().outputs());
                cot.addAll(g.cotangent().states());
                double floor = Tolerance.gradientFloor(cot);
                if (eg.inputs() != null) {
                    compareAll(worst, Quantity.GRAD_INPUTS, List.of(eg.inputs()),
                            grads.inputs() == null ? List.of() : List.of(grads.inputs()), floor);
                }
                compareAll(worst, Quantity.GRAD_WEIGHTS, eg.weights(), grads.weights(), floor);
                if (!eg.initialStates().isEmpty()) {
                    compareAll(worst, Quantity.GRAD_INITIAL_STATES, eg.initialStates(), grads.initialStates(), floor);
                }
            }
        } catch (UnsupportedCaseException e) {
            return new ImplementationResult(impl.name(), Status.UNSUPPORTED, List.of(), e.getMessage());
        } catch (RuntimeException e) {
            return new ImplementationResult(impl.name(), Status.ERROR, results(worst, c),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        List<QuantityResult> qs = results(worst, c);
        boolean pass = qs.stream().allMatch(QuantityResult::pass);
        return new ImplementationResult(impl.name(), pass ? Status.PASS : Status.FAIL, qs, "");
    }

    private static List<QuantityResult> results(Map<Quantity, double[]> worst, GoldenCase c) {
        List<QuantityResult> qs = new ArrayList<>();
        for (Map.Entry<Quantity, double[]> e : worst.entrySet()) {
            qs.add(new QuantityResult(e.getKey(), e.getValue()[0], e.getValue()[1], Tolerance.of(e.getKey(), c)));
        }
        return qs;
    }

    private static void compareAll(Map<Quantity, double[]> worst, Quantity q, List<Tensor> expected, List<Tensor> actual,
                                   double floor) {
        double[] w = worst.computeIfAbsent(q, k -> new double[2]);
        if (actual.size() < expected.size()) {
            w[0] = w[1] = Double.POSITIVE_INFINITY; // a missing array is a failure
            return;
        }
        for (int i = 0; i < expected.size(); i++) {
            w[0] = Math.max(w[0], Tolerance.worstAbsolute(expected.get(i), actual.get(i)));
            w[1] = Math.max(w[1], Tolerance.worstError(expected.get(i), actual.get(i), floor));
        }
    }

    private static List<Tensor> zerosLike(List<Tensor> states) {
        List<Tensor> z = new ArrayList<>();
        for (Tensor s : states) {
            z.add(Tensor.zeros(s.shape()));
        }
        return z;
    }
}
