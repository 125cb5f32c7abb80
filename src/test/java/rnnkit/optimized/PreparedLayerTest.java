package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static rnnkit.testing.PropertyTrials.counted;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;
import rnnkit.model.Activation;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.testing.CaseGenerators;
import rnnkit.testing.CaseRecipe;
import rnnkit.testing.CaseSpace;
import rnnkit.testing.DropoutPattern;
import rnnkit.testing.LayerKind;
import rnnkit.testing.MaskPattern;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RnnCase;

/**
 * A prepared layer gives exactly (bitwise) the results of the unprepared {@link OptimizedRnn} calls on the same
 * weights, forward and backward, for every layer kind, cell, option and both precisions, on every call and from
 * many threads at once; it keeps the weights it was prepared with when the tensors change afterwards; it refuses
 * calls of other layers, precisions or weight tensors.
 */
class PreparedLayerTest {
    private static final List<OptimizedRnn> IMPLEMENTATIONS = new ArrayList<>();
    private static long trialsBefore;

    @BeforeAll
    static void start() {
        trialsBefore = PropertyTrials.total();
        for (int t : new int[] {1, 2, 3}) {
            IMPLEMENTATIONS.add(new OptimizedRnn(t));
        }
    }

    @AfterAll
    static void stop() {
        IMPLEMENTATIONS.forEach(OptimizedRnn::close);
        System.out.println(PropertyTrials.report("PreparedLayerTest", trialsBefore));
    }

    /** Forward and backward results of one call through {@code impl}, flattened for exact comparison. */
    private static List<Tensor> results(rnnkit.model.RnnImplementation impl, LayerCall call, LayerOutputs cotangent) {
        return ThreadCountInvarianceTest.results(impl, call, cotangent);
    }

    private static Gen<RnnCase> cases(int batch, int units) {
        List<Activation> all = Activation.seededDrawSpace();
        Gen<CaseRecipe> recipes = CaseGenerators.recipes(CaseSpace.everything().withActivations(all, all));
        Gen<CaseRecipe> sized = in -> recipes.generate(in).withSizes(batch, 4, 7, units);
        return sized.map(CaseRecipe::build).describedAs(RnnCase::toString);
    }

    @Test
    void preparedResultsAreBitIdenticalToUnpreparedOnEveryLayerKindAndThreadCount() {
        check(cases(11, 6), 80);
    }

    /** Batch 2, 256 units: the column-split recurrence on several threads, U^T slices in the backward. */
    @Test
    void preparedColumnSplitRecurrenceIsBitIdenticalToUnprepared() {
        check(cases(2, 256), 16);
    }

    private static void check(Gen<RnnCase> cases, int examples) {
        qt().withFixedSeed(1414L).withExamples(examples).forAll(cases, SourceDSL.booleans().all())
                .checkAssert(counted((RnnCase c, Boolean f32) -> {
                    LayerCall call = c.call().withDtype(f32 ? DType.FLOAT32 : DType.FLOAT64);
                    List<Tensor> unprepared = results(IMPLEMENTATIONS.get(0), call, c.cotangent());
                    for (OptimizedRnn impl : IMPLEMENTATIONS) {
                        PreparedLayer p = impl.prepare(call.layer(), call.weights(), call.dtype());
                        for (int round = 0; round < 2; round++) {
                            if (!results(p, call, c.cotangent()).equals(unprepared)) {
                                throw new AssertionError("prepared on " + impl.threads() + " threads, call "
                                        + (round + 1) + ", differs (bitwise) from unprepared in "
                                        + call.dtype().kerasName() + " for " + c);
                            }
                        }
                    }
                }));
    }

    private static LayerCall lstmCall(DType dtype, long seed) {
        return CaseRecipe.of(CellType.LSTM, seed).withKind(LayerKind.SINGLE).withSizes(5, 6, 4, 7)
                .withReturnSequences(true).withReturnState(true).build().call().withDtype(dtype);
    }

    @Test
    void forwardOnTensorIsTheInferenceCall() {
        for (DType dtype : DType.values()) {
            LayerCall call = lstmCall(dtype, 3);
            OptimizedRnn rnn = IMPLEMENTATIONS.get(1);
            PreparedLayer p = rnn.prepare(call.layer(), call.weights(), dtype);
            LayerOutputs expected = rnn.forward(call);
            LayerOutputs got = p.forward(call.inputs());
            assertThat(got.outputs()).isEqualTo(expected.outputs());
            assertThat(got.states()).isEqualTo(expected.states());
            LayerOutputs cot = new LayerOutputs(expected.outputs(), expected.states());
            LayerGradients ge = rnn.backward(call, cot);
            LayerGradients gg = p.backward(call.inputs(), cot);
            assertThat(gg.inputs()).isEqualTo(ge.inputs());
            assertThat(gg.weights()).isEqualTo(ge.weights());
        }
    }

    /** The defensive copy: changing the tensors after prepare changes unprepared results, not prepared ones. */
    @Test
    void laterChangesToTheWeightTensorsDoNotReachThePreparedLayer() {
        for (DType dtype : DType.values()) {
            LayerCall call = lstmCall(dtype, 5);
            OptimizedRnn rnn = IMPLEMENTATIONS.get(1);
            PreparedLayer p = rnn.prepare(call.layer(), call.weights(), dtype);
            LayerOutputs before = rnn.forward(call);
            for (Tensor w : call.weights()) {
                double[] d = w.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = d[i] * 0.5 + 0.25;
                }
            }
            LayerOutputs changed = rnn.forward(call);
            assertThat(changed.outputs()).as("unprepared call sees the new values").isNotEqualTo(before.outputs());
            LayerOutputs prepared = p.forward(call);
            assertThat(prepared.outputs()).as(dtype + " prepared layer keeps the prepared values")
                    .isEqualTo(before.outputs());
            assertThat(prepared.states()).isEqualTo(before.states());
        }
    }

    /** Eight threads share one prepared layer (forward and backward, different inputs per thread). */
    @Test
    void manyThreadsUsingOnePreparedLayerGetTheSequentialResults() throws Exception {
        for (DType dtype : DType.values()) {
            RnnCase base = CaseRecipe.of(CellType.GRU, 21).withKind(LayerKind.SINGLE).withSizes(9, 5, 6, 40)
                    .withReturnSequences(true).withMask(MaskPattern.HOLES).withDropout(DropoutPattern.BOTH_PER_GATE)
                    .withInitialStates(true).build();
            OptimizedRnn rnn = IMPLEMENTATIONS.get(2);
            PreparedLayer p = rnn.prepare(base.call().layer(), base.call().weights(), dtype);
            List<LayerCall> calls = new ArrayList<>();
            List<List<Tensor>> expected = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Tensor x = base.call().inputs();
                double[] d = x.data().clone();
                for (int j = 0; j < d.length; j++) {
                    d[j] = (float) (d[j] * (1 + 0.05 * i));
                }
                LayerCall c = base.call().withInputs(Tensor.of(d, x.shape())).withDtype(dtype);
                calls.add(c);
                expected.add(results(rnn, c, base.cotangent()));
            }
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> done = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < calls.size(); i++) {
                        final int k = i;
                        done.add(callers.submit(() -> results(p, calls.get(k), base.cotangent()).equals(expected.get(k))));
                    }
                }
                int same = 0;
                for (Future<Boolean> f : done) {
                    same += f.get() ? 1 : 0;
                }
                assertThat(same).as(dtype + " concurrent prepared calls equal to sequential unprepared ones")
                        .isEqualTo(done.size());
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void callsOfAnotherLayerPrecisionOrWeightsAreRefused() {
        LayerCall call = lstmCall(DType.FLOAT32, 7);
        OptimizedRnn rnn = IMPLEMENTATIONS.get(0);
        PreparedLayer p = rnn.prepare(call.layer(), call.weights(), DType.FLOAT32);
        assertThatThrownBy(() -> p.forward(call.withDtype(DType.FLOAT64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float32")
                .hasMessageContaining("float64");
        LayerCall other = call.withLayer(((RnnLayerSpec) call.layer()).withGoBackwards(true));
        assertThatThrownBy(() -> p.forward(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a call of the layer it was prepared for");
        List<Tensor> copies = call.weights().stream().map(t -> Tensor.of(t.data().clone(), t.shape())).toList();
        assertThatThrownBy(() -> p.forward(call.withWeights(copies))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other weight tensors");
        Tensor wrongFeatures = Tensor.zeros(5, 6, 3);
        assertThatThrownBy(() -> p.forward(wrongFeatures)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs have 3 features; its weights were prepared for 4");
        Tensor nan = Tensor.zeros(5, 6, 4);
        nan.data()[7] = Double.NaN;
        assertThatThrownBy(() -> p.forward(nan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite value (NaN) at flat index 7");
        assertThatThrownBy(() -> p.forward(Tensor.zeros(5, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected (batch, time, features)");
        assertThatThrownBy(() -> rnn.prepare(RnnLayerSpec.of(CellSpec.lstm(8)), call.weights(), DType.FLOAT32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("it needs");
    }
}
