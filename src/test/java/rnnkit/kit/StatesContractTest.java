package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.golden.GoldenCorpus;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.reference.ReferenceRnn;

/**
 * The adapter contract for final states: an adapter that follows Keras — final states only with
 * {@code return_state=True}, and for a stateful layer (whose states carry into the next call) — passes golden and
 * random cases alike.
 */
class StatesContractTest {
    /** The reference, returning final states only where Keras does. */
    static final class KerasStates implements RnnImplementation {
        private final ReferenceRnn ref = new ReferenceRnn();

        @Override
        public String name() {
            return "keras-states";
        }

        static boolean keepsStates(LayerCall call) {
            return RandomCases.returnsStates(call.layer()) || stateful(call.layer());
        }

        static boolean stateful(LayerSpec l) {
            return (l instanceof RnnLayerSpec r && r.stateful()) || (l instanceof BidirectionalSpec b && b.forward().stateful())
                    || (l instanceof SequentialSpec s && s.layers().stream().anyMatch(KerasStates::stateful));
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            LayerOutputs o = ref.forward(call);
            return keepsStates(call) ? o : new LayerOutputs(o.outputs(), List.of());
        }

        @Override
        public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
            return ref.backward(call, cotangent);
        }
    }

    @Test
    void anAdapterReturningStatesOnlyWhereKerasDoesPassesGoldenAndRandomCases() {
        List<ConformanceCase> cases = new ArrayList<>(GoldenCases.load(GoldenCorpus.open(GoldenCorpus.defaultRoot()),
                CaseSelection.of(List.of("*__float64"), List.of(), null)));
        List<ConformanceCase> random = RandomCases.generate(1, 200, DType.FLOAT32, new ReferenceRnn());
        assertThat(random).filteredOn(c -> !KerasStates.keepsStates(c.steps().get(0).call()))
                .as("random cases without return_state").hasSizeGreaterThan(50);
        cases.addAll(random);
        List<CaseResult> results = new KitRunner(new ToleranceCheck(), ExpectedFailures.none(), 60, true)
                .run(new KerasStates(), cases, null);
        assertThat(results).hasSize(cases.size()).allSatisfy(r ->
                assertThat(r.outcome()).as(r.caseName() + ": " + r.reason()).isEqualTo(Outcome.PASS));
    }
}
