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

    /** Layers whose inference the array call refuses: token ids first, or two outputs (merge_mode=None). */
    private static boolean arrayCallRefused(rnnkit.model.LayerSpec layer) {
        return layer instanceof rnnkit.model.EmbeddingSpec
                || (layer instanceof rnnkit.model.SequentialSpec s
                        && s.layers().get(0) instanceof rnnkit.model.EmbeddingSpec)
                || (layer instanceof rnnkit.model.BidirectionalSpec b && b.mergeMode() == rnnkit.model.MergeMode.NONE);
    }

    /**
     * The array call (inputs and output as float[] / double[], like an ONNX Runtime session's tensors) gives the
     * bits of forward(Tensor)'s output on every layer kind, cell and option it takes, both precisions, 1–3 threads,
     * and leaves its input array unchanged; the kinds it does not take are refused with their reason.
     */
    @Test
    void arrayCallGivesTheBitsOfTheTensorCall() {
        List<Activation> all = Activation.seededDrawSpace();
        Gen<CaseRecipe> recipes = CaseGenerators.recipes(CaseSpace.everything().withActivations(all, all));
        Gen<RnnCase> cases = (in -> recipes.generate(in).withSizes(9, 5, 6, 40).build());
        int[] compared = new int[4];
        qt().withFixedSeed(2718L).withExamples(60).forAll(cases.describedAs(RnnCase::toString), SourceDSL.booleans().all())
                .checkAssert(counted((RnnCase c, Boolean f32) -> {
                    DType dtype = f32 ? DType.FLOAT32 : DType.FLOAT64;
                    LayerCall call = c.call().withDtype(dtype);
                    Tensor x = call.inputs();
                    int batch = x.dim(0);
                    int time = x.rank() > 1 ? x.dim(1) : 1;
                    for (OptimizedRnn impl : IMPLEMENTATIONS) {
                        PreparedLayer p = impl.prepare(call.layer(), call.weights(), dtype);
                        if (arrayCallRefused(call.layer())) {
                            assertThatThrownBy(() -> {
                                if (f32) {
                                    p.forward(new float[x.size()], batch, time);
                                } else {
                                    p.forward(new double[x.size()], batch, time);
                                }
                            })
                                    .isInstanceOf(IllegalArgumentException.class)
                                    .hasMessageMatching(".*(Embedding|merge_mode=None).*");
                            if (call.layer() instanceof rnnkit.model.BidirectionalSpec) {
                                compared[3]++;
                            } else {
                                compared[2]++;
                            }
                            continue;
                        }
                        if (x.rank() != 3) {
                            continue; // (batch, features) inputs of a Dense model: the array call takes sequences
                        }
                        double[] expected = p.forward(x).outputs().get(0).data();
                        double[] got;
                        if (f32) {
                            float[] in = new float[x.size()];
                            for (int i = 0; i < in.length; i++) {
                                in[i] = (float) x.data()[i];
                            }
                            float[] before = in.clone();
                            float[] out = p.forward(in, batch, time);
                            assertThat(in).as("the caller's input array is not changed").isEqualTo(before);
                            got = new double[out.length];
                            for (int i = 0; i < out.length; i++) {
                                got[i] = out[i];
                            }
                        } else {
                            double[] in = x.data().clone();
                            got = p.forward(in, batch, time);
                            assertThat(in).as("the caller's input array is not changed").isEqualTo(x.data());
                        }
                        if (!java.util.Arrays.equals(got, expected)) {
                            throw new AssertionError("array call on " + impl.threads() + " threads differs (bitwise)"
                                    + " from the tensor call in " + dtype.kerasName() + " for " + c);
                        }
                        compared[f32 ? 0 : 1]++;
                    }
                }));
        assertThat(compared[0]).as("float32 array calls compared").isGreaterThan(30);
        assertThat(compared[1]).as("float64 array calls compared").isGreaterThan(30);
        assertThat(compared[2]).as("refusals of Embedding-first models seen").isGreaterThan(0);
        assertThat(compared[3]).as("refusals of merge_mode=None seen").isGreaterThan(0);
        System.out.println("[array call] " + compared[0] + " float32 and " + compared[1] + " float64 array calls"
                + " bitwise equal to the tensor call; refused: " + compared[2] + " Embedding-first models, "
                + compared[3] + " merge_mode=None layers");
    }

    @Test
    void arrayCallsWithWrongArraysAreRefused() {
        LayerCall call = lstmCall(DType.FLOAT32, 9);
        PreparedLayer p = IMPLEMENTATIONS.get(0).prepare(call.layer(), call.weights(), DType.FLOAT32);
        assertThat(p.forward(new float[5 * 6 * 4], 5, 6)).hasSize(5 * 6 * 7);
        assertThatThrownBy(() -> p.forward(new double[5 * 6 * 4], 5, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("computes in float32; pass its inputs as a float[], not a double[]");
        assertThatThrownBy(() -> p.forward(new float[5 * 6 * 4 - 1], 5, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs have 119 values; expected batch × time × features = 5 × 6 × 4 = 120");
        assertThatThrownBy(() -> p.forward(new float[0], 0, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch size is 0; expected at least 1");
        assertThatThrownBy(() -> p.forward(new float[0], 5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequence has 0 time steps; expected at least 1");
        assertThatThrownBy(() -> p.forward((float[]) null, 5, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs are null");
        float[] inf = new float[5 * 6 * 4];
        inf[11] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> p.forward(inf, 5, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite value (Infinity) at flat index 11");
        LayerCall call64 = lstmCall(DType.FLOAT64, 9);
        PreparedLayer p64 = IMPLEMENTATIONS.get(0).prepare(call64.layer(), call64.weights(), DType.FLOAT64);
        assertThatThrownBy(() -> p64.forward(new float[5 * 6 * 4], 5, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("computes in float64; pass its inputs as a double[], not a float[]");
        double[] nan = new double[5 * 6 * 4];
        nan[3] = Double.NaN;
        assertThatThrownBy(() -> p64.forward(nan, 5, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite value (NaN) at flat index 3");
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
