package rnnkit.testing;

import rnnkit.conformance.Tolerance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.DenseSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;

/**
 * The checker itself, on an implementation independent of rnnkit's: {@code y = tanh(x @ W + b)} (a Dense layer)
 * with a hand-derived backward pass. A correct gradient passes; each kind of injected error fails, and the failure
 * names the offending entry.
 */
class FiniteDifferenceCheckerTest {

    /** Dense with tanh: y = tanh(x W + b); dL/dpre = cot * (1 - y^2); dx = dpre W^T, dW = x^T dpre, db = sum dpre. */
    static final class TanhDense implements RnnImplementation {
        @Override
        public String name() {
            return "tanh-dense";
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            Tensor x = call.inputs();
            Tensor w = call.weights().get(0);
            Tensor b = call.weights().get(1);
            int rows = x.dim(0);
            int in = w.dim(0);
            int out = w.dim(1);
            Tensor y = Tensor.zeros(rows, out);
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double pre = b.get(o);
                    for (int i = 0; i < in; i++) {
                        pre += x.get(r, i) * w.get(i, o);
                    }
                    y.set(Math.tanh(pre), r, o);
                }
            }
            return LayerOutputs.of(y, List.of());
        }

        @Override
        public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
            Tensor x = call.inputs();
            Tensor w = call.weights().get(0);
            Tensor y = forward(call).output();
            Tensor cot = cotangent.output();
            Tensor dx = Tensor.zeros(x.shape());
            Tensor dw = Tensor.zeros(w.shape());
            Tensor db = Tensor.zeros(w.dim(1));
            for (int r = 0; r < x.dim(0); r++) {
                for (int o = 0; o < w.dim(1); o++) {
                    double dpre = cot.get(r, o) * (1 - y.get(r, o) * y.get(r, o));
                    db.data()[o] += dpre;
                    for (int i = 0; i < w.dim(0); i++) {
                        dx.data()[r * w.dim(0) + i] += dpre * w.get(i, o);
                        dw.data()[i * w.dim(1) + o] += dpre * x.get(r, i);
                    }
                }
            }
            return new LayerGradients(dx, List.of(dw, db), List.of());
        }
    }

    private final RandomTensors random = new RandomTensors(20261123L);
    private final DenseSpec dense = new DenseSpec(3, Activation.TANH, true);
    private final LayerCall call = LayerCall.of(dense, List.of(random.uniform(1, 3, 3), random.uniform(1, 3)),
            random.uniform(1, 2, 3));
    private final LayerOutputs cotangent = LayerOutputs.of(random.uniform(1, 2, 3), List.of());
    private final FiniteDifferenceChecker checker = new FiniteDifferenceChecker();

    @Test
    void correctGradientPasses() {
        FiniteDifferenceChecker.GradientCheck check = checker.check(new TanhDense(), call, cotangent);
        check.assertPasses();
        assertThat(check.entriesChecked()).isEqualTo(6 + 9 + 3);
        assertThat(check.worstErrorRatio()).isLessThan(0.1);
    }

    @Test
    void oneWrongWeightEntryFailsAndIsNamed() {
        FiniteDifferenceChecker.GradientCheck check = checker.check(
                GradientCorruption.perturbWeightEntry(new TanhDense(), 0, 4, 1e-3), call, cotangent);
        assertThat(check.passes()).isFalse();
        assertThat(check.mismatches()).singleElement().asString().startsWith("weight 0 (kernel)[1, 1]");
        assertThatThrownBy(check::assertPasses).isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 of 18 gradient entries disagree");
    }

    @Test
    void tinyWrongEntryAboveToleranceStillFails() {
        // 1e-6 on an entry of order 1 is 50x the absolute part of the tolerance.
        assertThat(checker.check(GradientCorruption.perturbWeightEntry(new TanhDense(), 1, 2, 1e-6), call, cotangent)
                .passes()).isFalse();
    }

    @Test
    void negatedInputGradientFails() {
        FiniteDifferenceChecker.GradientCheck check = checker.check(GradientCorruption.negateInputs(new TanhDense()),
                call, cotangent);
        assertThat(check.mismatches()).hasSize(6).allMatch(m -> m.startsWith("inputs["));
    }

    @Test
    void lossIsSumOfOutputAndStateProducts() {
        LayerOutputs out = new LayerOutputs(List.of(Tensor.vector(1, 2)), List.of(Tensor.vector(3)));
        LayerOutputs cot = new LayerOutputs(List.of(Tensor.vector(10, 100)), List.of(Tensor.vector(1000)));
        assertThat(FiniteDifferenceChecker.loss(out, cot)).isEqualTo(1 * 10 + 2 * 100 + 3 * 1000);
        assertThat(FiniteDifferenceChecker.loss(out, new LayerOutputs(List.of(Tensor.vector(10, 100)), List.of())))
                .as("no state cotangents means a zero cotangent for the states").isEqualTo(210);
    }

    @Test
    void toleranceCombinesRelativeAndAbsoluteError() {
        Tolerance t = new Tolerance(1e-3, 1e-6);
        assertThat(t.accepts(1000.5, 1000)).isTrue();
        assertThat(t.accepts(1002, 1000)).isFalse();
        assertThat(t.accepts(5e-7, 0)).isTrue();
        assertThat(t.accepts(2e-6, 0)).isFalse();
        assertThat(t.accepts(Double.NaN, Double.NaN)).isFalse();
    }
}
