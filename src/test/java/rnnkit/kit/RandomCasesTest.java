package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.reference.ReferenceRnn;

class RandomCasesTest {
    private static final RnnImplementation REFERENCE = new ReferenceRnn();

    @Test
    void everyRandomCaseHasFiniteExpectedValues() {
        // seed 1 draws cases whose exact answer overflows (exponential activations); they must be redrawn
        List<ConformanceCase> cases = RandomCases.generate(1, 200, DType.FLOAT32, REFERENCE);
        assertThat(cases).hasSize(200);
        for (ConformanceCase c : cases) {
            ConformanceCase.Step s = c.steps().get(0);
            assertThat(s.expected().outputs()).as(c.name()).allMatch(Tensor::allFinite);
            assertThat(s.expectedGradients().weights()).as(c.name()).allMatch(Tensor::allFinite);
        }
    }

    @Test
    void sameSeedSameCasesAndNamesSayLengthAndPadding() {
        List<ConformanceCase> a = RandomCases.generate(7, 40, DType.FLOAT64, REFERENCE);
        List<ConformanceCase> b = RandomCases.generate(7, 40, DType.FLOAT64, REFERENCE);
        assertThat(a).extracting(ConformanceCase::name).isEqualTo(b.stream().map(ConformanceCase::name).toList());
        for (int i = 0; i < a.size(); i++) {
            LayerCall call = a.get(i).steps().get(0).call();
            assertThat(call.inputs()).isEqualTo(b.get(i).steps().get(0).call().inputs());
            String name = a.get(i).name();
            assertThat(name).contains("_t" + call.time() + "_").endsWith("_float64");
            assertThat(name.contains("_padded_")).isEqualTo(call.mask() != null && !call.mask().isAllTrue());
        }
    }

    @Test
    void anOracleThatAlwaysOverflowsIsReportedNotLoopedOn() {
        RnnImplementation overflowing = new RnnImplementation() {
            @Override
            public String name() {
                return "overflowing";
            }

            @Override
            public LayerOutputs forward(LayerCall call) {
                LayerOutputs o = REFERENCE.forward(call);
                o.output().data()[0] = Double.POSITIVE_INFINITY;
                return o;
            }

            @Override
            public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
                return REFERENCE.backward(call, cotangent);
            }
        };
        assertThatThrownBy(() -> RandomCases.generate(3, 1, DType.FLOAT64, overflowing))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overflowed");
    }
}
