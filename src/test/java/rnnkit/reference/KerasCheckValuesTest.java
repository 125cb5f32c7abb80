package rnnkit.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rnnkit.checks.KerasCheckValues;
import rnnkit.model.CellType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;

/** The reference reproduces every value Keras's own test suite asserts (see {@link KerasCheckValues}). */
class KerasCheckValuesTest {

    private static final ReferenceRnn REFERENCE = new ReferenceRnn();

    static Stream<Arguments> checks() {
        return KerasCheckValues.all().stream().map(c -> Arguments.of(Named.of(c.name(), c)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void referenceMatchesKerasWithinFloat32Tolerance(KerasCheckValues.Check check) {
        KerasCheckValues.Result result = KerasCheckValues.run(REFERENCE, check);

        assertThat(result.passed()).as("%s: %s", check.name(), result.failure()).isTrue();
        assertThat(result.maxAbsError()).isLessThanOrEqualTo(KerasCheckValues.TOLERANCE);
    }

    @Test
    void tableHoldsTheDocRowsAndTheFurtherKerasAssertions() {
        List<KerasCheckValues.Check> all = KerasCheckValues.all();

        // 15 rows of the semantics doc's table + 20 further assertions of the same Keras test files.
        assertThat(all).hasSize(35);
        assertThat(all.stream().map(KerasCheckValues.Check::name).distinct().count()).isEqualTo(all.size());
    }

    @Test
    void lstmChecksFailWhenTheInputAndForgetGateBlocksAreSwapped() {
        // An implementation that reads the LSTM gate blocks in the order f, i, c, o instead of i, f, c, o.
        // With constant weights only the bias tells the blocks apart (forget block 1.0 from unit_forget_bias), so
        // exactly the checks with unit_forget_bias and a bias must fail; the others cannot see block order.
        List<String> failedLstm = failedChecks(withLstmBlocksSwapped(0, 1), CellType.LSTM);

        assertThat(failedLstm).contains("LSTM(3)", "LSTM(3) go_backwards", "LSTM(2) initial h0=c0=arange(4)",
                "LSTM(4) stateful, second call");
        assertThat(failedLstm).doesNotContain("LSTM(3) use_bias=False", "LSTM(3) unit_forget_bias=False");
    }

    @Test
    void maskedStepChecksFailWhenMaskedStepsOutputZerosInsteadOfTheCarriedOutput() {
        // An implementation that always behaves as zero_output_for_mask=True.
        RnnImplementation zeroing = new RnnImplementation() {
            @Override
            public String name() {
                return "reference-always-zero-output-for-mask";
            }

            @Override
            public LayerOutputs forward(LayerCall call) {
                if (call.layer() instanceof RnnLayerSpec l) {
                    return REFERENCE.forward(call.withLayer(l.withZeroOutputForMask(true)));
                }
                return REFERENCE.forward(call);
            }
        };
        List<String> failed = new ArrayList<>();
        for (KerasCheckValues.Result r : KerasCheckValues.run(zeroing)) {
            if (!r.passed()) {
                failed.add(r.check().name());
            }
        }

        // Exactly the checks whose expected output at a masked step is a carried output: masked last steps (in
        // processing order, so t=0 for go_backwards) and masked steps of returned sequences.
        assertThat(failed).containsExactlyInAnyOrder(
                "LSTM(2) mask [[1,1,1,0],[1,1,0,0]]",
                "LSTM(2) go_backwards mask [[0,1,1,1],[0,0,1,1]]",
                "LSTM(2) mask right-padded return_sequences",
                "GRU(2) mask with holes return_sequences",
                "SimpleRNN(2) mask with holes return_sequences");
    }

    private static List<String> failedChecks(RnnImplementation implementation, CellType type) {
        List<String> failed = new ArrayList<>();
        for (KerasCheckValues.Result r : KerasCheckValues.run(implementation)) {
            if (!r.passed() && r.check().call().layer() instanceof RnnLayerSpec l && l.cells().get(0).type() == type) {
                failed.add(r.check().name());
            }
        }
        return failed;
    }

    /** The reference called with the LSTM gate blocks a and b of every weight exchanged. */
    private static RnnImplementation withLstmBlocksSwapped(int a, int b) {
        return new RnnImplementation() {
            @Override
            public String name() {
                return "reference-with-swapped-lstm-blocks";
            }

            @Override
            public LayerOutputs forward(LayerCall call) {
                if (!(call.layer() instanceof RnnLayerSpec l) || l.cells().get(0).type() != CellType.LSTM) {
                    return REFERENCE.forward(call);
                }
                int units = l.cells().get(0).units();
                List<Tensor> weights = new ArrayList<>();
                for (Tensor w : call.weights()) {
                    weights.add(swapColumnBlocks(w, units, a, b));
                }
                return REFERENCE.forward(call.withWeights(weights));
            }
        };
    }

    /** Exchanges column blocks a and b (width units) of the last axis. */
    private static Tensor swapColumnBlocks(Tensor w, int units, int a, int b) {
        Tensor out = w.copy();
        int cols = w.shape()[w.rank() - 1];
        int rows = w.size() / cols;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < units; j++) {
                out.data()[r * cols + a * units + j] = w.data()[r * cols + b * units + j];
                out.data()[r * cols + b * units + j] = w.data()[r * cols + a * units + j];
            }
        }
        return out;
    }
}
