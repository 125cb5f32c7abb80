package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;

/**
 * How one quantity's error is measured and told, from element errors chosen by hand: the worst element and its
 * location, the per-step ratios of a sequence and the first step over the bound (in processing order for outputs,
 * backwards in time for input gradients), pass at the bound, the ratio's edge cases, and a result's one-line detail
 * (worst first, up to three more over tolerance).
 */
class QuantityErrorTest {
    static final RnnLayerSpec SEQ = RnnLayerSpec.of(CellSpec.lstm(2)).withReturnSequences(true);

    static Tensor t(double[] d, int... shape) {
        return Tensor.of(d, shape);
    }

    @Test
    void anOutputSequenceIsLocatedAndScannedInProcessingOrder() {
        // (batch 1, time 3, units 2); element errors chosen: step 1 is 2x the bound, step 2 exactly at it
        Tensor e = t(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, 1, 3, 2);
        Tensor g = t(new double[] {0.5, 0.5, 0.5, 0.75, 0.5, 0.25}, 1, 3, 2);
        QuantityError q = QuantityError.measure("output", QuantityCheck.Kind.OUTPUT, 0, SEQ, DType.FLOAT32, e, g,
                new double[] {0, 0, 0, 0.5, 0, 0.25}, 0.25, "2.5e-01");
        assertThat(q.maxAbsError()).isEqualTo(0.25);
        assertThat(q.maxRelError()).isEqualTo(0.5);
        assertThat(q.withinTolerance()).isFalse();
        assertThat(q.ratio()).isEqualTo(2.0);
        assertThat(q.worst().where()).isEqualTo("batch 0, step 1, unit 1");
        assertThat(q.worst().expected()).isEqualTo(0.5);
        assertThat(q.worst().actual()).isEqualTo(0.75);
        assertThat(q.worst().stepRatios()).containsExactly(0.0, 2.0, 1.0);
        assertThat(q.worst().firstStepOver()).isEqualTo(1);
        assertThat(q.located()).isEqualTo("output worst at batch 0, step 1, unit 1: expected 0.5, got 0.75; error 5.00e-01"
                + " = 2.00e+00 × tolerance 2.50e-01; first step over tolerance (in processing order): 1 of 3");
    }

    @Test
    void inputGradientsAreScannedBackwardsInTimeUnlessTheLayerGoesBackwards() {
        // steps 0 and 2 over the bound: a forward layer's BPTT meets step 2 first, a go_backwards layer's step 0
        Tensor e = t(new double[] {1, 1, 1}, 1, 3, 1);
        double[] errors = {3, 0.5, 2};
        QuantityError fwd = QuantityError.measure("grad/inputs", QuantityCheck.Kind.GRAD_INPUTS, 0, SEQ, DType.FLOAT64,
                e, e, errors, 1, "1");
        assertThat(fwd.worst().firstStepOver()).isEqualTo(2);
        assertThat(fwd.worst().backwardInTime()).isTrue();
        assertThat(fwd.worst().where()).isEqualTo("batch 0, step 0, feature 0");
        assertThat(fwd.located()).endsWith("; first step over tolerance (backwards in time): 2 of 3");
        QuantityError back = QuantityError.measure("grad/inputs", QuantityCheck.Kind.GRAD_INPUTS, 0,
                SEQ.withGoBackwards(true), DType.FLOAT64, e, e, errors, 1, "1");
        assertThat(back.worst().firstStepOver()).isEqualTo(0);
        // nothing over: none
        QuantityError fine = QuantityError.measure("output", QuantityCheck.Kind.OUTPUT, 0, SEQ, DType.FLOAT64, e, e,
                new double[] {0.5, 1, 0}, 1, "1");
        assertThat(fine.withinTolerance()).isTrue(); // at the bound passes
        assertThat(fine.worst().firstStepOver()).isEqualTo(-1);
        assertThat(fine.located()).endsWith("first step over tolerance (in processing order): none of 3");
    }

    @Test
    void statesAndWeightsHaveNoStepScanAndWeightsAreLocatedIn() {
        Tensor e = t(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor g = t(new double[] {1, 2, 3.5, 4}, 2, 2);
        QuantityError s = QuantityError.measure("state[0]", QuantityCheck.Kind.STATE, 0, SEQ, DType.FLOAT64, e, g,
                new double[] {0, 0, 1.0 / 6, 0}, 0.5, "5.0e-01");
        assertThat(s.worst().stepRatios()).isEmpty();
        assertThat(s.worst().firstStepOver()).isEqualTo(-1);
        assertThat(s.worst().where()).isEqualTo("h (hidden state), batch 1, unit 0");
        assertThat(s.located()).isEqualTo("state[0] worst at h (hidden state), batch 1, unit 0: expected 3.0, got 3.5;"
                + " error 1.67e-01 = 3.33e-01 × tolerance 5.00e-01");
        QuantityError w = QuantityError.measure("grad/recurrent_kernel", QuantityCheck.Kind.GRAD_WEIGHTS, 1, SEQ,
                DType.FLOAT32, t(new double[16], 2, 8), t(new double[16], 2, 8), errorAt(16, 9, 1.0), 0.5, "5.0e-01");
        assertThat(w.located()).startsWith("grad/recurrent_kernel worst in gate block i, row 1 (unit 1 of the previous h)");
        // a sequence-shaped weight gradient is still not scanned by step
        QuantityError r3 = QuantityError.measure("grad/x", QuantityCheck.Kind.GRAD_WEIGHTS, 0, SEQ, DType.FLOAT32,
                t(new double[8], 2, 2, 2), t(new double[8], 2, 2, 2), errorAt(8, 3, 2), 1, "1");
        assertThat(r3.worst().stepRatios()).isEmpty();
    }

    static double[] errorAt(int n, int at, double v) {
        double[] d = new double[n];
        d[at] = v;
        return d;
    }

    @Test
    void theWorstElementIsTheFirstLargestAndNaNDifferencesAreInfinitelyLarge() {
        Tensor e = t(new double[] {1, 1, 1}, 3);
        QuantityError q = QuantityError.measure("q", QuantityCheck.Kind.OUTPUT, 0, SEQ, DType.FLOAT64, e,
                t(new double[] {1, Double.NaN, 1}, 3), new double[] {0.25, 0.5, 0.5}, 1, "1");
        assertThat(q.worst().where()).isEqualTo("index [1]");
        assertThat(q.maxAbsError()).isEqualTo(Double.POSITIVE_INFINITY);
        // no elements: no worst element, error 0
        QuantityError none = QuantityError.measure("q", QuantityCheck.Kind.OUTPUT, 0, SEQ, DType.FLOAT64,
                t(new double[0], 0), t(new double[0], 0), new double[0], 1, "1");
        assertThat(none.worst()).isNull();
        assertThat(none.maxRelError()).isZero();
        assertThat(none.withinTolerance()).isTrue();
    }

    @Test
    void ratioEdgesAndTheUnlocatedForm() {
        assertThat(new QuantityError("q", null, 0, 0, 0, "0", true, null).ratio()).isZero();
        assertThat(new QuantityError("q", null, 1, 1e-9, 0, "0", false, null).ratio()).isEqualTo(Double.POSITIVE_INFINITY);
        QuantityError loose = new QuantityError("call1/output", 1e-3, 2e-3, "1e-3 abs", false);
        assertThat(loose.ratio()).isNaN();
        assertThat(loose.located()).isEqualTo("call1/output error 2.00e-03 (abs 1.00e-03), tolerance 1e-3 abs");
        // a located element whose bound is not a number: the tolerance text instead of the ratio
        QuantityError noBound = QuantityError.measure("q", QuantityCheck.Kind.STATE, 0, SEQ, DType.FLOAT32,
                t(new double[] {1, 2}, 1, 2), t(new double[] {1, 3}, 1, 2), new double[] {0, 0.5}, Double.NaN, "text");
        assertThat(noBound.located()).isEqualTo("q worst at h (hidden state), batch 0, unit 1: expected 2.0, got 3.0;"
                + " error 5.00e-01, tolerance text");
    }

    static QuantityError err(String name, double ratio, boolean within) {
        return new QuantityError(name, null, 1, ratio, 1, "1", within, null);
    }

    @Test
    void aResultsDetailNamesTheWorstThenUpToThreeMoreOverTolerance() {
        QuantityError a = err("a", 5, false);
        QuantityError b = err("b", 3, false);
        QuantityError c = err("c", 0.9, true);
        CaseResult r = new CaseResult("lstm/x", "impl", Outcome.FAIL, "", List.of(c, b, a), 0.1);
        assertThat(r.worst()).isEqualTo(a);
        assertThat(r.overTolerance()).containsExactly(a, b);
        assertThat(r.detail()).isEqualTo("worst: a error 5.00e+00 (abs 1.00e+00), tolerance 1;"
                + " also over tolerance: b error 3.00e+00 (abs 1.00e+00), tolerance 1");
        // an over-tolerance quantity is worse than a larger within-tolerance one (possible when bounds differ)
        QuantityError big = new QuantityError("big", null, 1, 0.9, 1, "1", true, null);
        QuantityError small = new QuantityError("small", null, 1, 0.5, 1, "1", false, null);
        assertThat(new CaseResult("s/x", "i", Outcome.FAIL, "", List.of(big, small), 0).worst()).isEqualTo(small);
        assertThat(new CaseResult("s/x", "i", Outcome.PASS, "", List.of(err("p", 0.2, true), err("q", 0.7, true)), 0)
                .worst().quantity()).isEqualTo("q");
        // a bound given only as text: the error itself ranks it
        QuantityError t1 = new QuantityError("t1", 0, 4, "x", false);
        QuantityError t2 = new QuantityError("t2", 0, 6, "x", false);
        assertThat(new CaseResult("s/x", "i", Outcome.FAIL, "", List.of(t1, t2), 0).worst()).isEqualTo(t2);
        // five over: the worst, three more, and a count of the rest
        CaseResult many = new CaseResult("s/x", "i", Outcome.FAIL, "why", List.of(err("e1", 2, false), err("e2", 6, false),
                err("e3", 3, false), err("e4", 5, false), err("e5", 4, false)), 0);
        assertThat(many.detail()).startsWith("why; worst: e2 ").contains("also over tolerance: e4 ", "; e5 ", "; e3 ")
                .doesNotContain("e1 ").endsWith("; and 1 more quantities over tolerance");
        CaseResult four = new CaseResult("s/x", "i", Outcome.FAIL, "", List.of(err("e1", 2, false), err("e2", 6, false),
                err("e3", 3, false), err("e4", 5, false)), 0);
        assertThat(four.detail()).contains("; e1 ").doesNotContain("more quantities");
        assertThat(new CaseResult("s/x", "i", Outcome.ERROR, "crashed", List.of(), 0).detail()).isEqualTo("crashed");
    }

    @Test
    void theSuiteIsTheNameBeforeTheFirstSlash() {
        assertThat(new CaseResult("lstm/a/b", "i", Outcome.PASS, "", List.of(), 0).suite()).isEqualTo("lstm");
        assertThat(new CaseResult("random", "i", Outcome.PASS, "", List.of(), 0).suite()).isEqualTo("random");
        CaseResult r = new CaseResult("gru/x", "i", Outcome.FAIL, null, List.of(), 0, true, null, null);
        assertThat(r.reason()).isEmpty();
        assertThat(r.tags()).isEqualTo(CaseTags.NONE);
        assertThat(r.trace()).isEmpty();
        assertThat(r.withSeconds(2).seconds()).isEqualTo(2.0);
        assertThat(r.withOutcome(Outcome.EXPECTED_FAIL, "known").reason()).isEqualTo("known");
        assertThat(r.withOutcome(Outcome.EXPECTED_FAIL, "known").gradientsChecked()).isTrue();
        assertThat(r.withTrace("at x").trace()).isEqualTo("at x");
    }
}
