package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.conformance.Tolerance;
import rnnkit.golden.GoldenCorpus;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.Tensor;
import rnnkit.reference.ReferenceRnn;

/** The kit's check uses Tolerance's bounds and measures: just inside passes, just outside fails. */
class ToleranceCheckTest {
    final ToleranceCheck check = new ToleranceCheck();

    static Tensor scaled(Tensor t, double relative) {
        double[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] * (1 + relative);
        }
        return Tensor.of(d, t.shape());
    }

    @Test
    void goldenCasesUseTheKerasToleranceOfTheWholeCase() {
        ConformanceCase c = GoldenCases.of(GoldenCorpus.open(GoldenCorpus.defaultRoot()).load("stateful/lstm_sequences__float32"));
        List<LayerCall> calls = new ArrayList<>();
        c.steps().forEach(s -> calls.add(s.call()));
        double bound = Tolerance.of(Tolerance.Quantity.OUTPUTS, DType.FLOAT32, calls);
        Tensor e = c.steps().get(1).expected().outputs().get(0);
        assertThat(check.compare("output", QuantityCheck.Kind.OUTPUT, 0, c, 1, e, scaled(e, 0.5 * bound)).withinTolerance()).isTrue();
        assertThat(check.compare("output", QuantityCheck.Kind.OUTPUT, 0, c, 1, e, scaled(e, 2 * bound)).withinTolerance()).isFalse();
        // gradients: the larger constant, and the cotangent floor under near-zero elements
        double gbound = Tolerance.of(Tolerance.Quantity.GRAD_WEIGHTS, DType.FLOAT32, calls);
        assertThat(gbound).isGreaterThan(bound);
        Tensor g = c.steps().get(1).expectedGradients().weights().get(1);
        assertThat(check.compare("grad", QuantityCheck.Kind.GRAD_WEIGHTS, 0, c, 1, g, scaled(g, 0.5 * gbound)).withinTolerance()).isTrue();
        assertThat(check.compare("grad", QuantityCheck.Kind.GRAD_WEIGHTS, 0, c, 1, g, scaled(g, 0.5 * gbound)).tolerance())
                .isEqualTo(String.format(java.util.Locale.ROOT, "%.1e", gbound));
    }

    @Test
    void randomCasesUseTheAgreementBoundAgainstTheReference() {
        ConformanceCase c = RandomCases.generate(5, 1, DType.FLOAT32, new ReferenceRnn()).get(0);
        LayerCall call = c.steps().get(0).call();
        double bound = Tolerance.agreementBound(call, DType.FLOAT32);
        Tensor e = c.steps().get(0).expected().outputs().get(0);
        double[] d = e.data().clone();
        double scale = 1;
        for (double v : d) {
            scale = Math.max(scale, Math.abs(v));
        }
        d[0] += 0.5 * bound * scale;
        assertThat(check.compare("output", QuantityCheck.Kind.OUTPUT, 0, c, 0, e, Tensor.of(d, e.shape())).withinTolerance()).isTrue();
        d[0] += 2 * bound * scale;
        assertThat(check.compare("output", QuantityCheck.Kind.OUTPUT, 0, c, 0, e, Tensor.of(d, e.shape())).withinTolerance()).isFalse();
    }
}
