package rnnkit.checks;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.StatefulLayer;
import rnnkit.model.Tensor;

/**
 * Independent check values: outputs that Keras's own test suite asserts for layers built with constant initializers
 * (kernel 0.01, recurrent_kernel 0.02, bias 0.03) on {@code arange} inputs. They were produced by Keras, not by any
 * rnnkit code, so they can catch a bug that the reference and the optimized path share.
 *
 * <p>Sources: {@code keras/src/layers/rnn/{lstm,gru,simple_rnn,bidirectional}_test.py} of Keras 3.15.1: the
 * values their {@code test_correctness} tests assert (the first fifteen checks), then further assertions of the
 * same test files (masks with holes, go_backwards with masks, zero_output_for_mask, initial states with
 * go_backwards, stateful calls, other merge modes).
 *
 * <p>Configuration as Keras builds it: an LSTM with the default {@code unit_forget_bias=True} initializes the
 * forget block of its bias to 1.0 (the other blocks get 0.03); a GRU with reset_after has a (2, 3·units) bias,
 * all 0.03.
 *
 * <p><b>Tolerance {@value #TOLERANCE} (absolute).</b> Keras computed these in float32 and the tests quote them with
 * 7 to 8 significant digits, all of magnitude below 1.1: quoting contributes at most 5e-8, and float32 rounding
 * through at most six recurrent steps of sums of a dozen products a few ulps (ulp(1) = 1.2e-7 in float32), i.e. a
 * few 1e-7. 1e-6 covers both with margin while staying four orders of magnitude below the smallest semantic error
 * these checks are meant to catch (a swapped gate block, hard_sigmoid of Keras 2, a wrong mask carry-over all move
 * the values by 1e-3 or more).
 */
public final class KerasCheckValues {

    /** Absolute tolerance for comparing a double-precision implementation with these float32 Keras values. */
    public static final double TOLERANCE = 1e-6;

    static final double KERNEL = 0.01;
    static final double RECURRENT = 0.02;
    static final double BIAS = 0.03;

    private KerasCheckValues() {
    }

    /**
     * One check: a layer call (called {@code calls} times in a row as a stateful layer when {@code calls > 1}; the
     * last call's output is compared), the output index (1 = the backward half of merge_mode None) and the value
     * Keras asserts.
     */
    public record Check(String name, String source, LayerCall call, int calls, int outputIndex, Tensor expected) {
    }

    /** The outcome of one check on one implementation. */
    public record Result(Check check, Tensor got, double maxAbsError, boolean passed, String failure) {
    }

    /** Every check, in table order. */
    public static List<Check> all() {
        List<Check> checks = new ArrayList<>();
        Tensor x3x6x4 = arange(3, 6, 4);
        Tensor x2x4x3 = arange(2, 4, 3);
        Tensor x2x3x4 = arange(2, 3, 4);
        String lstm = "keras/src/layers/rnn/lstm_test.py";
        String gru = "keras/src/layers/rnn/gru_test.py";
        String simple = "keras/src/layers/rnn/simple_rnn_test.py";
        String bidi = "keras/src/layers/rnn/bidirectional_test.py";

        // ---- the semantics doc's table ----
        checks.add(check("LSTM(3)", lstm + " test_correctness", layer(CellSpec.lstm(3)), x3x6x4,
                perRow(3, .6288687, .86899155, .9460773)));
        checks.add(check("LSTM(3) go_backwards", lstm + " test_correctness",
                layer(CellSpec.lstm(3)).withGoBackwards(true), x3x6x4, perRow(3, .35622165, .74789524, .8872726)));
        checks.add(check("LSTM(3) unit_forget_bias=False", lstm + " test_correctness",
                layer(CellSpec.lstm(3).withUnitForgetBias(false)), x3x6x4, perRow(3, .57019705, .8661914, .9459622)));
        checks.add(check("LSTM(3) use_bias=False", lstm + " test_correctness",
                layer(CellSpec.lstm(3).withUseBias(false)), x3x6x4, perRow(3, .54986924, .86226785, .9443936)));
        checks.add(new Check("LSTM(2) initial h0=c0=arange(4)", lstm + " test_pass_initial_state",
                call(layer(CellSpec.lstm(2)), x2x4x3).withInitialStates(List.of(arange(2, 2), arange(2, 2))), 1, 0,
                Tensor.matrix(new double[][] {{.20574439, .3558822}, {.64930826, .66276}})));
        checks.add(new Check("LSTM(2) mask [[1,1,1,0],[1,1,0,0]]", lstm + " test_masking",
                call(layer(CellSpec.lstm(2)), x2x4x3).withMask(mask(new int[][] {{1, 1, 1, 0}, {1, 1, 0, 0}})), 1, 0,
                perRow(2, .11755939, .28556206)));
        checks.add(check("GRU(3)", gru + " test_correctness", layer(CellSpec.gru(3)), x3x6x4,
                perRow(3, .5217289, .6371659, .39384964)));
        checks.add(check("GRU(3) go_backwards", gru + " test_correctness",
                layer(CellSpec.gru(3)).withGoBackwards(true), x3x6x4, perRow(3, .24406259, .611516, .3928808)));
        checks.add(check("GRU(3) reset_after=False", gru + " test_correctness",
                layer(CellSpec.gru(3).withResetAfter(false)), x3x6x4, perRow(3, .51447755, .6426879, .40208298)));
        checks.add(check("GRU(3) use_bias=False", gru + " test_correctness",
                layer(CellSpec.gru(3).withUseBias(false)), x3x6x4, perRow(3, .49988455, .64701194, .4103359)));
        checks.add(new Check("GRU(2) initial h0=arange(4)", gru + " test_pass_initial_state",
                call(layer(CellSpec.gru(2)), x2x4x3).withInitialStates(List.of(arange(2, 2))), 1, 0,
                Tensor.matrix(new double[][] {{.23774096, .33508456}, {.83659905, 1.0227708}})));
        checks.add(check("SimpleRNN(4)", simple + " test_correctness", layer(CellSpec.simpleRnn(4)), x2x3x4,
                perRow(4, .405432, .73605347)));
        checks.add(check("SimpleRNN(4) go_backwards", simple + " test_correctness",
                layer(CellSpec.simpleRnn(4)).withGoBackwards(true), x2x3x4, perRow(4, .11144729, .5528889)));
        checks.add(new Check("SimpleRNN(4) mask [[1,1,0,1],[1,0,0,1]]", simple + " test_masking",
                call(layer(CellSpec.simpleRnn(4)), x2x4x3).withMask(mask(new int[][] {{1, 1, 0, 1}, {1, 0, 0, 1}})), 1,
                0, perRow(4, .32951632, .61799484)));
        checks.add(check("Bidirectional(SimpleRNN(2)) concat", bidi + " test_correctness",
                BidirectionalSpec.of(layer(CellSpec.simpleRnn(2)), MergeMode.CONCAT), x2x3x4,
                Tensor.matrix(new double[][] {{.39687276, .39687276, .10004295, .10004295},
                        {.7237238, .7237238, .53391594, .53391594}})));

        // ---- further assertions of the same Keras tests ----
        SequenceMask rightPadded = mask(new int[][] {{1, 1, 1, 0}, {1, 1, 0, 0}});
        SequenceMask holes = mask(new int[][] {{1, 1, 0, 1}, {1, 0, 0, 1}});
        checks.add(new Check("LSTM(2) go_backwards initial h0=c0=arange(4)", lstm + " test_pass_initial_state",
                call(layer(CellSpec.lstm(2)).withGoBackwards(true), x2x4x3)
                        .withInitialStates(List.of(arange(2, 2), arange(2, 2))), 1, 0,
                Tensor.matrix(new double[][] {{.13281618, .2790356}, {.5839337, .5992567}})));
        checks.add(new Check("LSTM(2) mask right-padded return_sequences", lstm + " test_masking",
                call(layer(CellSpec.lstm(2)).withReturnSequences(true), x2x4x3).withMask(rightPadded), 1, 0,
                sequence(2, new double[][] {{.01588910, .05552048, .11755939, .11755939},
                        {.14185596, .28556206, .28556206, .28556206}})));
        checks.add(new Check("LSTM(2) mask right-padded zero_output_for_mask", lstm + " test_masking",
                call(layer(CellSpec.lstm(2)).withReturnSequences(true).withZeroOutputForMask(true), x2x4x3)
                        .withMask(rightPadded), 1, 0,
                sequence(2, new double[][] {{.01588910, .05552048, .11755939, 0}, {.14185596, .28556206, 0, 0}})));
        checks.add(new Check("LSTM(2) go_backwards mask [[0,1,1,1],[0,0,1,1]]", lstm + " test_masking",
                call(layer(CellSpec.lstm(2)).withGoBackwards(true), x2x4x3)
                        .withMask(mask(new int[][] {{0, 1, 1, 1}, {0, 0, 1, 1}})), 1, 0,
                perRow(2, .15341201, .3844719)));
        checks.add(new Check("LSTM(4) stateful, second call", lstm + " test_statefulness",
                call(layer(CellSpec.lstm(4)).withStateful(true), x2x3x4), 2, 0, perRow(4, .3124785, .6863672)));
        checks.add(new Check("GRU(2) go_backwards initial h0=arange(4)", gru + " test_pass_initial_state",
                call(layer(CellSpec.gru(2)).withGoBackwards(true), x2x4x3).withInitialStates(List.of(arange(2, 2))), 1,
                0, Tensor.matrix(new double[][] {{.13486053, .23261218}, {.78257304, .9691353}})));
        checks.add(new Check("GRU(2) mask with holes", gru + " test_masking",
                call(layer(CellSpec.gru(2)), x2x4x3).withMask(holes), 1, 0, perRow(2, .19393763, .30818558)));
        checks.add(new Check("GRU(2) mask with holes return_sequences", gru + " test_masking",
                call(layer(CellSpec.gru(2)).withReturnSequences(true), x2x4x3).withMask(holes), 1, 0,
                sequence(2, new double[][] {{.03606692, .09497581, .09497581, .19393763},
                        {.16051409, .16051409, .16051409, .30818558}})));
        checks.add(new Check("GRU(2) mask with holes zero_output_for_mask", gru + " test_masking",
                call(layer(CellSpec.gru(2)).withReturnSequences(true).withZeroOutputForMask(true), x2x4x3)
                        .withMask(holes), 1, 0,
                sequence(2, new double[][] {{.03606692, .09497581, 0, .19393763}, {.16051409, 0, 0, .30818558}})));
        checks.add(new Check("GRU(2) go_backwards mask with holes", gru + " test_masking",
                call(layer(CellSpec.gru(2)).withGoBackwards(true), x2x4x3).withMask(holes), 1, 0,
                perRow(2, .11669192, .28380975)));
        checks.add(new Check("GRU(4) stateful, second call", gru + " test_statefulness",
                call(layer(CellSpec.gru(4)).withStateful(true), x2x3x4), 2, 0, perRow(4, .29542392, .5885018)));
        checks.add(new Check("SimpleRNN(4) initial h0=arange(8)", simple + " test_pass_initial_state",
                call(layer(CellSpec.simpleRnn(4)), x2x4x3).withInitialStates(List.of(arange(2, 4))), 1, 0,
                perRow(4, .33621645, .6262637)));
        checks.add(new Check("SimpleRNN(4) go_backwards initial h0=arange(8)", simple + " test_pass_initial_state",
                call(layer(CellSpec.simpleRnn(4)).withGoBackwards(true), x2x4x3)
                        .withInitialStates(List.of(arange(2, 4))), 1, 0, perRow(4, .07344437, .43043602)));
        checks.add(new Check("SimpleRNN(2) mask with holes return_sequences", simple + " test_masking",
                call(layer(CellSpec.simpleRnn(2)).withReturnSequences(true), x2x4x3).withMask(holes), 1, 0,
                sequence(2, new double[][] {{.0599281, .15122814, .15122814, .32394567},
                        {.3969304, .3969304, .3969304, .608085}})));
        checks.add(new Check("SimpleRNN(2) mask with holes zero_output_for_mask", simple + " test_masking",
                call(layer(CellSpec.simpleRnn(2)).withReturnSequences(true).withZeroOutputForMask(true), x2x4x3)
                        .withMask(holes), 1, 0,
                sequence(2, new double[][] {{.0599281, .15122814, 0, .32394567}, {.3969304, 0, 0, .608085}})));
        checks.add(new Check("SimpleRNN(4) go_backwards mask with holes", simple + " test_masking",
                call(layer(CellSpec.simpleRnn(4)).withGoBackwards(true), x2x4x3).withMask(holes), 1, 0,
                perRow(4, .07376196, .43645123)));
        checks.add(new Check("SimpleRNN(4) stateful, second call", simple + " test_statefulness",
                call(layer(CellSpec.simpleRnn(4)).withStateful(true), x2x3x4), 2, 0, perRow(4, .40559256, .7361247)));
        checks.add(check("Bidirectional(SimpleRNN(2)) ave", bidi + " test_correctness",
                BidirectionalSpec.of(layer(CellSpec.simpleRnn(2)), MergeMode.AVE), x2x3x4,
                perRow(2, .24845785, .6288199)));
        checks.add(new Check("Bidirectional(SimpleRNN(2)) None, forward output", bidi + " test_correctness",
                call(BidirectionalSpec.of(layer(CellSpec.simpleRnn(2)), MergeMode.NONE), x2x3x4), 1, 0,
                perRow(2, .39687276, .7237238)));
        checks.add(new Check("Bidirectional(SimpleRNN(2)) None, backward output", bidi + " test_correctness",
                call(BidirectionalSpec.of(layer(CellSpec.simpleRnn(2)), MergeMode.NONE), x2x3x4), 1, 1,
                perRow(2, .10004295, .53391594)));
        return checks;
    }

    /** Runs every check on {@code implementation}; an exception in one check is that check's failure. */
    public static List<Result> run(RnnImplementation implementation) {
        List<Result> results = new ArrayList<>();
        for (Check c : all()) {
            results.add(run(implementation, c));
        }
        return results;
    }

    public static Result run(RnnImplementation implementation, Check check) {
        Tensor got;
        try {
            LayerOutputs out;
            if (check.calls() == 1) {
                out = implementation.forward(check.call());
            } else {
                StatefulLayer stateful = new StatefulLayer(implementation, check.call().layer(), check.call().weights(),
                        check.call().dtype());
                out = null;
                for (int k = 0; k < check.calls(); k++) {
                    out = stateful.call(check.call().inputs(), check.call().mask());
                }
            }
            got = out.outputs().get(check.outputIndex());
        } catch (RuntimeException e) {
            return new Result(check, null, Double.NaN, false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (!got.hasShape(check.expected().shape())) {
            return new Result(check, got, Double.NaN, false, "output has shape " + Tensor.shapeString(got.shape())
                    + "; expected " + Tensor.shapeString(check.expected().shape()));
        }
        double max = 0;
        for (int k = 0; k < got.size(); k++) {
            double e = Math.abs(got.data()[k] - check.expected().data()[k]);
            max = Double.isNaN(e) ? Double.NaN : Math.max(max, e);
        }
        boolean passed = max <= TOLERANCE;
        return new Result(check, got, max, passed, passed ? null : "max abs error " + max + " > " + TOLERANCE);
    }

    // ---- building blocks ----

    private static Check check(String name, String source, LayerSpec layer, Tensor inputs, Tensor expected) {
        return new Check(name, source, call(layer, inputs), 1, 0, expected);
    }

    private static RnnLayerSpec layer(CellSpec cell) {
        return RnnLayerSpec.of(cell);
    }

    /** A float64 inference call with Keras's constant initializers. */
    static LayerCall call(LayerSpec layer, Tensor inputs) {
        return new LayerCall(layer, constantWeights(layer, inputs.dim(2)), inputs, null, List.of(), List.of(), false,
                DType.FLOAT64);
    }

    /**
     * The weights Keras's tests build: kernel Constant(0.01), recurrent_kernel Constant(0.02), bias Constant(0.03),
     * except that an LSTM with unit_forget_bias sets its forget block (the second quarter) to 1.0.
     */
    static List<Tensor> constantWeights(LayerSpec layer, int inputDim) {
        List<Tensor> weights = new ArrayList<>();
        if (layer instanceof BidirectionalSpec b) {
            weights.addAll(constantWeights(b.forward(), inputDim));
            weights.addAll(constantWeights(b.backward(), inputDim));
            return weights;
        }
        RnnLayerSpec r = (RnnLayerSpec) layer;
        for (int i = 0; i < r.cells().size(); i++) {
            CellSpec cell = r.cells().get(i);
            List<int[]> shapes = cell.weightShapes(r.cellInputDim(i, inputDim));
            weights.add(filled(shapes.get(0), KERNEL));
            weights.add(filled(shapes.get(1), RECURRENT));
            if (cell.useBias()) {
                Tensor bias = filled(shapes.get(2), BIAS);
                if (cell.type() == CellType.LSTM && cell.unitForgetBias()) {
                    for (int j = cell.units(); j < 2 * cell.units(); j++) {
                        bias.data()[j] = 1.0;
                    }
                }
                weights.add(bias);
            }
        }
        return weights;
    }

    private static Tensor filled(int[] shape, double value) {
        Tensor t = Tensor.zeros(shape);
        java.util.Arrays.fill(t.data(), value);
        return t;
    }

    /** {@code np.arange(n).reshape(shape)} as float32 values (exact in double). */
    static Tensor arange(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int k = 0; k < t.size(); k++) {
            t.data()[k] = k;
        }
        return t;
    }

    private static SequenceMask mask(int[][] values) {
        return SequenceMask.fromInts(values);
    }

    /** (rows, units) with every unit of row b equal to {@code values[b]}. */
    private static Tensor perRow(int units, double... values) {
        double[][] m = new double[values.length][units];
        for (int b = 0; b < values.length; b++) {
            java.util.Arrays.fill(m[b], values[b]);
        }
        return Tensor.matrix(m);
    }

    /** (batch, time, units) with every unit of step t of row b equal to {@code values[b][t]}. */
    private static Tensor sequence(int units, double[][] values) {
        int batch = values.length;
        int time = values[0].length;
        Tensor t = Tensor.zeros(batch, time, units);
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < time; s++) {
                for (int j = 0; j < units; j++) {
                    t.data()[(b * time + s) * units + j] = values[b][s];
                }
            }
        }
        return t;
    }
}
