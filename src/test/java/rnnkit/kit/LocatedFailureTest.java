package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.golden.GoldenCorpus;
import rnnkit.model.CellType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.reference.ReferenceRnn;

/**
 * A FAIL says where: planted bugs give messages that name the quantity, the worst element in Keras terms (batch,
 * step, unit; gate block, row and column of a weight; layer and direction), expected and actual values, the error ÷
 * tolerance and, for sequences, the first time step over tolerance.
 */
class LocatedFailureTest {
    static GoldenCorpus corpus;

    @BeforeAll
    static void open() {
        corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
    }

    static CaseResult run(RnnImplementation impl, String caseName) {
        ConformanceCase c = GoldenCases.of(corpus.load(caseName));
        return new KitRunner(new ToleranceCheck(), ExpectedFailures.none(), 60, true).run(impl, List.of(c), null).get(0);
    }

    /** A GRU whose weights are read with the z and r blocks swapped, forward and backward (gradients mapped back). */
    static final class GruZrSwapped implements RnnImplementation {
        final ReferenceRnn ref = new ReferenceRnn();

        @Override
        public String name() {
            return "gru-z-r-swapped";
        }

        static boolean applies(LayerCall call) {
            return call.layer() instanceof RnnLayerSpec l && !l.isStackedCells() && l.cell().type() == CellType.GRU;
        }

        static LayerCall swapped(LayerCall call) {
            int u = ((RnnLayerSpec) call.layer()).cell().units();
            return call.withWeights(swap(call.weights(), u));
        }

        static List<Tensor> swap(List<Tensor> ws, int u) {
            List<Tensor> out = new ArrayList<>();
            for (Tensor t : ws) {
                out.add(BrokenAdapterTest.GruZrSwapped.swapFirstTwoBlocks(t, u));
            }
            return out;
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            return ref.forward(applies(call) ? swapped(call) : call);
        }

        @Override
        public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
            if (!applies(call)) {
                return ref.backward(call, cotangent);
            }
            LayerGradients g = ref.backward(swapped(call), cotangent);
            return new LayerGradients(g.inputs(), swap(g.weights(), ((RnnLayerSpec) call.layer()).cell().units()),
                    g.initialStates());
        }
    }

    @Test
    void gruWithZAndRSwappedReadsGateBlockZAndSaysWhereTheSequenceGoesWrong() {
        CaseResult r = run(new GruZrSwapped(), "gru/return_sequences__float64");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        String d = r.detail();
        System.out.println("[located] gru/return_sequences__float64, z/r swapped: " + d);
        assertThat(d).contains("output worst at batch ").contains(", step ").contains(", unit ")
                .containsPattern("expected -?[0-9.]+, got -?[0-9.]+; error [0-9.e+-]+ = [0-9.e+]+ × tolerance [0-9.e-]+")
                .contains("first step over tolerance (in processing order): 0 of 5")
                .contains("grad/bias worst in gate block z, row 0 (input bias), column 1 (unit 1 of block z)");
        // the located body of the JUnit XML failure: every quantity over tolerance on its own line
        String body = JunitXml.body(r);
        assertThat(body.lines()).filteredOn(l -> l.startsWith("grad/")).hasSize(4);
        assertThat(body).contains("grad/inputs worst at batch ").contains("first step over tolerance (backwards in time): 4 of 5");
        // a random GRU case fails the same way, located in the same terms
        assertThat(body).doesNotContain("index [");
    }

    /** The reference with its answers changed by planted functions (of the call and the reference's answer). */
    record Planted(String name, java.util.function.BiFunction<LayerCall, LayerOutputs, LayerOutputs> changed,
                   java.util.function.UnaryOperator<LayerGradients> grads) implements RnnImplementation {
        Planted(String name, java.util.function.UnaryOperator<LayerOutputs> out,
                java.util.function.UnaryOperator<LayerGradients> grads) {
            this(name, (call, o) -> out.apply(o), grads);
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            return changed.apply(call, new ReferenceRnn().forward(call));
        }

        @Override
        public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
            return grads.apply(new ReferenceRnn().backward(call, cotangent));
        }
    }

    /** A copy of {@code t} with {@code delta} added at the given index. */
    static Tensor bump(Tensor t, double delta, int... at) {
        double[] d = t.data().clone();
        int flat = 0;
        for (int k = 0; k < at.length; k++) {
            flat = flat * t.shape()[k] + at[k];
        }
        d[flat] += delta;
        return Tensor.of(d, t.shape());
    }

    @Test
    void anLstmRecurrentKernelGradientOffInOneElementIsLocatedInGateBlockCRowAndColumn() {
        // LSTM(3): recurrent_kernel is (3, 12), blocks i f c o of 3 columns each; column 7 is unit 1 of block c
        CaseResult r = run(new Planted("lstm-rk-grad", o -> o, g -> {
            List<Tensor> w = new ArrayList<>(g.weights());
            w.set(1, bump(w.get(1), 0.25, 2, 7));
            return new LayerGradients(g.inputs(), w, g.initialStates());
        }), "lstm/return_sequences__float32");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).isEqualTo("grad/recurrent_kernel differs beyond tolerance");
        System.out.println("[located] lstm/return_sequences__float32, one recurrent-kernel gradient element off: " + r.detail());
        assertThat(r.detail()).contains("grad/recurrent_kernel worst in gate block c, row 2 (unit 2 of the previous h), "
                + "column 7 (unit 1 of block c): expected ").contains(" × tolerance ");
        assertThat(r.overTolerance()).hasSize(1);
    }

    @Test
    void sequencesNameTheFirstTimeStepOverToleranceForwardForOutputsAndBackwardForInputGradients() {
        // output (3, 5, 3): wrong at steps 2 and 3 of batch row 1; input gradient (3, 5, 4): wrong at steps 1 and 3
        RnnImplementation planted = new Planted("steps", o -> new LayerOutputs(List.of(
                bump(bump(o.outputs().get(0), 0.5, 1, 3, 0), 0.01, 1, 2, 2)), o.states()),
                g -> new LayerGradients(bump(bump(g.inputs(), 0.5, 0, 1, 3), 0.01, 2, 3, 0), g.weights(), g.initialStates()));
        CaseResult r = run(planted, "lstm/return_sequences__float32");
        assertThat(r.detail()).contains("output worst at batch 1, step 3, unit 0")
                .contains("first step over tolerance (in processing order): 2 of 5");
        assertThat(JunitXml.body(r)).contains("grad/inputs worst at batch 0, step 1, feature 3")
                .contains("first step over tolerance (backwards in time): 3 of 5");
        // go_backwards: BPTT ends at the first input, so scanning backwards in time is ascending input steps
        CaseResult b = run(planted, "lstm/go_backwards_sequences__float32");
        assertThat(JunitXml.body(b)).contains("grad/inputs worst at batch 0, step 1, feature 3")
                .contains("first step over tolerance (backwards in time): 1 of 5");
    }

    @Test
    void bidirectionalAndSequentialNameTheDirectionAndTheLayer() {
        // Bidirectional(GRU(3), concat): output column 4 is unit 1 of the backward direction
        CaseResult bi = run(new Planted("bi", o -> new LayerOutputs(List.of(bump(o.outputs().get(0), 0.5, 0, 1, 4)),
                o.states()), g -> g), "bidirectional/gru_concat_sequences__float64");
        assertThat(bi.detail()).contains("output worst at backward direction (concatenated column 4), batch 0, step 1, unit 1");
        CaseResult biw = run(new Planted("bi-w", o -> o, g -> {
            List<Tensor> w = new ArrayList<>(g.weights());
            int k = w.size() / 2; // the backward half's kernel
            w.set(k, bump(w.get(k), 0.5, 0, 3));
            return new LayerGradients(g.inputs(), w, g.initialStates());
        }), "bidirectional/gru_concat_sequences__float64");
        assertThat(biw.detail()).contains("grad/backward/kernel worst in backward direction, gate block r, row 0 (input feature 0), "
                + "column 3 (unit 0 of block r)");
        // Sequential: the weight path names the layer
        CaseResult seq = run(new Planted("seq", o -> o, g -> {
            List<Tensor> w = new ArrayList<>(g.weights());
            w.set(w.size() - 2, bump(w.get(w.size() - 2), 0.5, 1, 0));
            return new LayerGradients(g.inputs(), w, g.initialStates());
        }), "stacked/sequential_lstm_dense__float64");
        assertThat(seq.detail()).containsPattern("grad/layer_1/kernel worst in layer_1 \\(Dense\\([^)]*\\)\\), row 1 "
                + "\\(input feature 1\\), column 0 \\(unit 0\\)");
    }
}
