package rnnkit.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import rnnkit.conformance.Tolerance;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.Tensor;

/**
 * The kit's {@link QuantityCheck}: every bound comes from {@link Tolerance}, nothing is defined here.
 * <ul>
 * <li>Golden cases (expected values from Keras): {@link Tolerance#of(Tolerance.Quantity, rnnkit.model.DType, List)}
 * over all calls of the case, measured with {@link Tolerance#worstError(Tensor, Tensor, double)}; the floor is
 * {@link Tolerance#gradientFloor(List)} of the call's cotangents for gradients and 0 for outputs and states — the
 * same comparison as the golden conformance test.</li>
 * <li>Random cases (expected values from the double-precision reference):
 * {@link Tolerance#agreementBound(LayerCall, rnnkit.model.DType)} with
 * {@link Tolerance#normwiseRelativeError(Tensor, Tensor)}.</li>
 * </ul>
 */
public final class ToleranceCheck implements QuantityCheck {

    /** Source name of cases whose expected values come from the reference rather than from Keras. */
    public static final String RANDOM_SOURCE = "random";

    @Override
    public QuantityError compare(String quantity, Kind kind, int index, ConformanceCase theCase, int step, Tensor expected,
                                 Tensor got) {
        ConformanceCase.Step s = theCase.steps().get(step);
        LayerCall call = s.call();
        if (RANDOM_SOURCE.equals(theCase.source())) {
            double bound = Tolerance.agreementBound(call, call.dtype());
            return QuantityError.measure(quantity, kind, index, call.layer(), call.dtype(), expected, got,
                    Tolerance.normwiseElementErrors(got, expected), bound,
                    "normwise " + fmt(bound) + " (agreement with reference)");
        }
        List<LayerCall> calls = new ArrayList<>();
        for (ConformanceCase.Step st : theCase.steps()) {
            calls.add(st.call());
        }
        double bound = Tolerance.of(quantity(kind), call.dtype(), calls);
        double floor = kind.isGradient() ? Tolerance.gradientFloor(cotangents(s.cotangent())) : 0;
        return QuantityError.measure(quantity, kind, index, call.layer(), call.dtype(), expected, got,
                Tolerance.elementErrors(expected, got, floor), bound, fmt(bound));
    }

    static Tolerance.Quantity quantity(Kind kind) {
        return switch (kind) {
            case OUTPUT -> Tolerance.Quantity.OUTPUTS;
            case STATE -> Tolerance.Quantity.STATES;
            case GRAD_INPUTS -> Tolerance.Quantity.GRAD_INPUTS;
            case GRAD_WEIGHTS -> Tolerance.Quantity.GRAD_WEIGHTS;
            case GRAD_INITIAL_STATES -> Tolerance.Quantity.GRAD_INITIAL_STATES;
        };
    }

    private static List<Tensor> cotangents(LayerOutputs cot) {
        if (cot == null) {
            return List.of();
        }
        List<Tensor> all = new ArrayList<>(cot.outputs());
        all.addAll(cot.states());
        return all;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1e", v);
    }
}
