package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.golden.GoldenCorpus;
import rnnkit.model.Activation;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.peers.onnx.OnnxRuntimeRnn;
import rnnkit.reference.ReferenceRnn;

/**
 * Deliberately broken adapters must be caught by the kit: each breaks one Keras behaviour, and the cases whose
 * verdict changes (compared with the correct adapter on the same cases) must be exactly the cases that exercise that
 * behaviour — predicted from the case specs, not from the results — and they must FAIL, not ERROR.
 */
class BrokenAdapterTest {
    static List<ConformanceCase> float64;
    static List<ConformanceCase> float32;

    @BeforeAll
    static void load() {
        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        float64 = GoldenCases.load(corpus, CaseSelection.of(List.of("*__float64"), List.of(), null));
        float32 = GoldenCases.load(corpus, CaseSelection.of(List.of("simple_rnn/*__float32", "lstm/*__float32",
                "gru*/*__float32", "activations/*__float32", "stateful/*__float32"), List.of(), null));
    }

    /** Cases whose outcome differs between the two adapters, with the broken adapter's outcome. */
    static Map<String, Outcome> changed(RnnImplementation good, RnnImplementation broken, List<ConformanceCase> cases) {
        KitRunner runner = new KitRunner(new ToleranceCheck(), ExpectedFailures.none(), 60, false);
        List<CaseResult> a = runner.run(good, cases, null);
        List<CaseResult> b = runner.run(broken, cases, null);
        Map<String, Outcome> out = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).outcome() != b.get(i).outcome()) {
                out.put(b.get(i).caseName(), b.get(i).outcome());
            }
        }
        return out;
    }

    static Set<String> names(List<ConformanceCase> cases, Predicate<ConformanceCase> p) {
        Set<String> s = new TreeSet<>();
        cases.stream().filter(p).forEach(c -> s.add(c.name()));
        return s;
    }

    static RnnLayerSpec singleLayer(ConformanceCase c) {
        return c.steps().get(0).call().layer() instanceof RnnLayerSpec r ? r : null;
    }

    /** True if some step of the case has at least one real (unmasked) step and more than zero time steps. */
    static boolean runsSomeStep(ConformanceCase c) {
        for (ConformanceCase.Step s : c.steps()) {
            LayerCall call = s.call();
            if (call.mask() == null) {
                return true;
            }
            for (int b = 0; b < call.batch(); b++) {
                for (int t = 0; t < call.time(); t++) {
                    if (call.mask().get(b, t)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // (a) GRU with the z and r gate blocks swapped in kernel, recurrent kernel and bias.
    static final class GruZrSwapped implements RnnImplementation {
        final ReferenceRnn ref = new ReferenceRnn();

        @Override
        public String name() {
            return "gru-z-r-swapped";
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            RnnLayerSpec l = call.layer() instanceof RnnLayerSpec r ? r : null;
            if (l == null || l.isStackedCells() || l.cell().type() != CellType.GRU) {
                return ref.forward(call);
            }
            int u = l.cell().units();
            List<Tensor> w = new ArrayList<>();
            for (Tensor t : call.weights()) {
                w.add(swapFirstTwoBlocks(t, u));
            }
            return ref.forward(new LayerCall(l, w, call.inputs(), call.mask(), call.initialStates(), call.dropoutMasks(),
                    call.training(), call.dtype()));
        }

        /** Swaps columns [0,u) and [u,2u) of the last axis (Keras GRU gate blocks z and r). */
        static Tensor swapFirstTwoBlocks(Tensor t, int u) {
            int cols = t.shape()[t.rank() - 1];
            double[] d = t.data().clone();
            for (int row = 0; row < d.length / cols; row++) {
                for (int j = 0; j < u; j++) {
                    double z = d[row * cols + j];
                    d[row * cols + j] = d[row * cols + u + j];
                    d[row * cols + u + j] = z;
                }
            }
            return Tensor.of(d, t.shape());
        }
    }

    @Test
    void gruWithZAndRSwappedFailsExactlyTheSingleLayerGruCases() {
        Map<String, Outcome> changed = changed(new ReferenceRnn(), new GruZrSwapped(), float64);
        Set<String> predicted = names(float64, c -> {
            RnnLayerSpec l = singleLayer(c);
            return l != null && !l.isStackedCells() && l.cell().type() == CellType.GRU && runsSomeStep(c);
        });
        assertThat(predicted).hasSizeGreaterThan(40);
        assertThat(changed.keySet()).isEqualTo(predicted);
        assertThat(changed.values()).containsOnly(Outcome.FAIL);
    }

    // (b) ONNX Runtime adapter mapping Keras hard_sigmoid to HardSigmoid(0.2, 0.5) (Keras 2's definition).
    static final class Keras2HardSigmoidOnnx extends OnnxRuntimeRnn {
        Keras2HardSigmoidOnnx() {
            super(1);
        }

        @Override
        protected String onnxActivation(Activation a, List<Float> alphas, List<Float> betas) {
            if (a == Activation.HARD_SIGMOID) {
                alphas.add(0.2f);
                betas.add(0.5f);
                return "HardSigmoid";
            }
            return super.onnxActivation(a, alphas, betas);
        }
    }

    @Test
    void hardSigmoidAsPointTwoXPlusHalfFailsTheHardSigmoidCases() {
        Map<String, Outcome> changed = changed(new OnnxRuntimeRnn(1), new Keras2HardSigmoidOnnx(), float32);
        Set<String> hardSigmoid = names(float32, c -> {
            RnnLayerSpec l = singleLayer(c);
            if (l == null || l.isStackedCells()) {
                return false;
            }
            CellSpec cell = l.cell();
            return cell.activation() == Activation.HARD_SIGMOID || cell.recurrentActivation() == Activation.HARD_SIGMOID;
        });
        assertThat(hardSigmoid).hasSizeGreaterThanOrEqualTo(10);
        assertThat(changed.values()).containsOnly(Outcome.FAIL);
        // Exactly the hard_sigmoid cases change (the saturating ones too: their pre-activations pass through the
        // linear part |x| < 3 at some steps, where 0.2x + 0.5 and x/6 + 0.5 differ).
        assertThat(changed.keySet()).isEqualTo(hardSigmoid);
    }

    // (c) go_backwards output flipped back to input order (what a naive reverse-direction mapping returns).
    static final class GoBackwardsFlipped implements RnnImplementation {
        final ReferenceRnn ref = new ReferenceRnn();

        @Override
        public String name() {
            return "go-backwards-flipped";
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            LayerOutputs o = ref.forward(call);
            if (call.layer() instanceof RnnLayerSpec l && l.goBackwards() && l.returnSequences()) {
                Tensor y = o.outputs().get(0);
                int b = y.dim(0);
                int t = y.dim(1);
                int h = y.dim(2);
                double[] d = new double[y.size()];
                for (int i = 0; i < b; i++) {
                    for (int s = 0; s < t; s++) {
                        System.arraycopy(y.data(), (i * t + s) * h, d, (i * t + (t - 1 - s)) * h, h);
                    }
                }
                return new LayerOutputs(List.of(Tensor.of(d, b, t, h)), o.states());
            }
            return o;
        }
    }

    @Test
    void goBackwardsOutputInInputOrderFailsTheGoBackwardsSequenceCases() {
        Map<String, Outcome> changed = changed(new ReferenceRnn(), new GoBackwardsFlipped(), float64);
        Set<String> predicted = names(float64, c -> {
            RnnLayerSpec l = singleLayer(c);
            return l != null && l.goBackwards() && l.returnSequences() && c.steps().get(0).call().time() > 1;
        });
        assertThat(predicted).hasSizeGreaterThanOrEqualTo(4);
        assertThat(changed.keySet()).isEqualTo(predicted);
        assertThat(changed.values()).containsOnly(Outcome.FAIL);
    }

    @Test
    void float32CasesAreComparedInFloat32() {
        assertThat(float32).allMatch(c -> c.steps().get(0).call().dtype() == DType.FLOAT32);
    }
}
