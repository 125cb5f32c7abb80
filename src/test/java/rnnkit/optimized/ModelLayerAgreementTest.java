package rnnkit.optimized;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rnnkit.conformance.Tolerance;
import rnnkit.model.Activation;
import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.DropoutSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MaskingSpec;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;
import rnnkit.reference.ReferenceRnn;
import rnnkit.testing.ModelLayerCases;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RandomTensors;

/**
 * The optimized path agrees with the reference on random Sequential models built from the model layers: an optional
 * Masking layer over post-padded inputs, a recurrent layer of any cell, an optional Dropout layer (training, with its
 * mask), Dense with any Keras activation and an optional Activation layer; forward outputs and every gradient, in
 * float32 and float64, within {@link Tolerance#agreementBound}. QuickTheories draws the model's seed (printed with
 * the shrunk counterexample on failure).
 */
class ModelLayerAgreementTest {

    @Test
    void optimizedEqualsReferenceOnRandomModelsOfTheModelLayers() {
        long trialsBefore = PropertyTrials.total();
        try (OptimizedRnn optimized = new OptimizedRnn(2)) {
            agree(optimized);
        }
        System.out.println(PropertyTrials.report("ModelLayerAgreementTest", trialsBefore));
    }

    /** Every fixed case of {@link ModelLayerCases} (noise shapes, rate 1, masked rows, every activation), both dtypes. */
    @Test
    void optimizedEqualsReferenceOnEveryModelLayerCase() {
        List<ModelLayerCases.Case> all = new ArrayList<>(ModelLayerCases.activations(9300));
        all.addAll(ModelLayerCases.layers(9400));
        ReferenceRnn reference = new ReferenceRnn();
        try (OptimizedRnn optimized = new OptimizedRnn(2)) {
            for (ModelLayerCases.Case c : all) {
                for (DType dtype : DType.values()) {
                    LayerCall call = c.call().withDtype(dtype);
                    double bound = Tolerance.agreementBound(call, dtype);
                    String who = c.name() + " " + dtype;
                    check(who + " output", optimized.forward(call).output(), reference.forward(call).output(), bound);
                    LayerGradients ge = reference.backward(call, c.cotangent());
                    LayerGradients ga = optimized.backward(call, c.cotangent());
                    if (ge.inputs() != null) {
                        check(who + " d/d inputs", ga.inputs(), ge.inputs(), bound);
                    }
                    for (int i = 0; i < ge.weights().size(); i++) {
                        check(who + " d/d weight " + i, ga.weights().get(i), ge.weights().get(i), bound);
                    }
                }
            }
        }
    }

    private static void agree(OptimizedRnn optimized) {
        ReferenceRnn reference = new ReferenceRnn();
        qt().withFixedSeed(4242L).withExamples(80).forAll(longs().all())
                .checkAssert(PropertyTrials.counted((Long seed) -> {
                    for (DType dtype : DType.values()) {
                        LayerCall call = randomCall(seed).withDtype(dtype);
                        String who = "seed " + seed + " " + dtype + " " + call.layer().describe() + " "
                                + ((SequentialSpec) call.layer()).layers();
                        double bound = Tolerance.agreementBound(call, dtype);
                        LayerOutputs expected = reference.forward(call);
                        LayerOutputs actual = optimized.forward(call);
                        check(who + " output", actual.output(), expected.output(), bound);
                        RandomTensors r = new RandomTensors(seed + 1);
                        LayerOutputs cot = LayerOutputs.of(r.uniform(1, expected.output().shape()), List.of());
                        LayerGradients ge = reference.backward(call, cot);
                        LayerGradients ga = optimized.backward(call, cot);
                        check(who + " d/d inputs", ga.inputs(), ge.inputs(), bound);
                        for (int i = 0; i < ge.weights().size(); i++) {
                            check(who + " d/d weight " + i, ga.weights().get(i), ge.weights().get(i), bound);
                        }
                    }
                }));
    }

    private static void check(String what, Tensor actual, Tensor expected, double bound) {
        double err = Tolerance.normwiseRelativeError(actual, expected);
        if (!(err <= bound)) {
            throw new AssertionError(what + ": normwise relative error " + err + " > bound " + bound);
        }
    }

    /** A random model of the model layers and its call, all drawn from {@code seed}. */
    static LayerCall randomCall(long seed) {
        SplittableRandom g = new SplittableRandom(seed);
        RandomTensors r = new RandomTensors(seed);
        int batch = 1 + g.nextInt(3);
        int time = 1 + g.nextInt(4);
        int features = 1 + g.nextInt(3);
        List<LayerSpec> layers = new ArrayList<>();
        boolean masking = g.nextBoolean();
        if (masking) {
            layers.add(new MaskingSpec(0.0));
        }
        int units = 1 + g.nextInt(4);
        CellSpec cell = switch (g.nextInt(3)) {
            case 0 -> CellSpec.simpleRnn(units);
            case 1 -> CellSpec.lstm(units);
            default -> CellSpec.gru(units).withResetAfter(g.nextBoolean());
        };
        boolean sequences = g.nextBoolean();
        layers.add(RnnLayerSpec.of(cell).withReturnSequences(sequences));
        boolean dropout = g.nextBoolean();
        double rate = 0.1 + 0.6 * g.nextDouble();
        if (dropout) {
            layers.add(DropoutSpec.of(rate));
        }
        Activation[] all = Activation.values();
        Activation dense = all[g.nextInt(all.length)];
        int denseUnits = 2 * (1 + g.nextInt(3));
        layers.add(new DenseSpec(denseUnits, dense, g.nextBoolean()));
        if (g.nextBoolean()) {
            Activation after = all[g.nextInt(all.length)];
            boolean oddWidth = dense.outputWidth(denseUnits) % 2 != 0;
            layers.add(new ActivationLayerSpec(after == Activation.GLU && oddWidth ? Activation.SOFTMAX : after));
        }
        SequentialSpec model = SequentialSpec.of(features, layers.toArray(LayerSpec[]::new));
        Tensor x = r.uniform(1, batch, time, features);
        if (masking) {
            for (int b = 0; b < batch; b++) {
                for (int t = time - g.nextInt(time + 1); t < time; t++) {
                    for (int f = 0; f < features; f++) {
                        x.set(0.0, b, t, f);
                    }
                }
            }
        }
        LayerCall call = new LayerCall(model, ModelLayerCases.weights(r, model), x, null, List.of(), List.of(), false,
                DType.FLOAT64);
        if (dropout) {
            int dim = units;
            Tensor mask = sequences ? ModelLayerCases.dropMask(r, rate, batch, time, dim)
                    : ModelLayerCases.dropMask(r, rate, batch, dim);
            call = call.withDropoutLayerMasks(List.of(mask));
        }
        return call;
    }
}
