package rnnkit.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import rnnkit.model.Activation;
import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.DropoutSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MaskingSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;
import rnnkit.model.BidirectionalSpec;

/**
 * Seeded calls of the model layers (Dense with every activation, Activation, Dropout, Masking) alone and inside the
 * tutorial-style Sequential models, each with a cotangent and the input entries a finite difference may move (all,
 * except the features of steps a Masking layer masks: moving one off the mask value unmasks the step).
 */
public final class ModelLayerCases {

    /** One call. */
    public record Case(String name, LayerCall call, LayerOutputs cotangent, IntPredicate differentiableInputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    private ModelLayerCases() {
    }

    /** Dense(6, act) on (2, 3, 4) inputs in [-2, 2), and the Activation layer on (2, 3, 6), for every activation. */
    public static List<Case> activations(long seed) {
        List<Case> out = new ArrayList<>();
        for (Activation a : Activation.values()) {
            RandomTensors r = new RandomTensors(seed++);
            DenseSpec dense = new DenseSpec(6, a, true);
            out.add(of("Dense(6, activation=" + a.kerasName() + ")", dense,
                    List.of(r.uniform(0.6, 4, 6), r.uniform(0.5, 6)), r.uniform(2, 2, 3, 4), r, x -> true));
            ActivationLayerSpec layer = new ActivationLayerSpec(a);
            out.add(of("Activation(" + a.kerasName() + ") on (2, 6)", layer, List.of(), r.uniform(2, 2, 6), r, x -> true));
        }
        return out;
    }

    /** Dropout alone (inference, training, noise shape, rate 1) and Masking in small models. */
    public static List<Case> layers(long seed) {
        List<Case> out = new ArrayList<>();
        RandomTensors r = new RandomTensors(seed);
        Tensor x = r.uniform(1, 3, 4, 5);
        out.add(of("Dropout(0.4) inference", DropoutSpec.of(0.4), List.of(), x, r, e -> true));
        out.add(training(of("Dropout(0.4) training", DropoutSpec.of(0.4), List.of(), x, r, e -> true),
                List.of(dropMask(r, 0.4, 3, 4, 5))));
        DropoutSpec shared = new DropoutSpec(0.5, List.of(0, 1, 0));
        out.add(training(of("Dropout(0.5, noise_shape=(None, 1, None)) training", shared, List.of(), x, r, e -> true),
                List.of(dropMask(r, 0.5, 3, 1, 5))));
        out.add(training(of("Dropout(1.0) training", DropoutSpec.of(1.0), List.of(), x, r, e -> true), List.of()));

        // Masking(0) + LSTM(3, return_sequences): rows of 4, 2 and 0 real steps (post-padding with zeros).
        Tensor padded = r.uniform(1, 3, 4, 2);
        int[] lengths = {4, 2, 0};
        boolean[] maskedStep = new boolean[3 * 4];
        for (int b = 0; b < 3; b++) {
            for (int t = lengths[b]; t < 4; t++) {
                maskedStep[b * 4 + t] = true;
                padded.set(0.0, b, t, 0);
                padded.set(0.0, b, t, 1);
            }
        }
        padded.set(0.0, 0, 1, 0); // one feature at the mask value: the step is not masked
        IntPredicate realSteps = e -> !maskedStep[e / 2];
        out.add(of("Masking(0) alone", new MaskingSpec(0.0), List.of(), padded, r, realSteps));
        SequentialSpec maskingDense = SequentialSpec.of(2, new MaskingSpec(0.0), new DenseSpec(3, Activation.TANH, true));
        out.add(of("Masking(0) + Dense(3, tanh) on every step", maskingDense, weights(r, maskingDense), padded, r,
                realSteps));
        SequentialSpec masking = SequentialSpec.of(2, new MaskingSpec(0.0),
                RnnLayerSpec.of(CellSpec.lstm(3)).withReturnSequences(true));
        out.add(of("Masking(0) + LSTM(3, return_sequences)", masking, weights(r, masking), padded, r, realSteps));
        SequentialSpec reuters = SequentialSpec.of(2, new MaskingSpec(0.0), RnnLayerSpec.of(CellSpec.simpleRnn(4)),
                new DenseSpec(5, Activation.LINEAR, true), new ActivationLayerSpec(Activation.SOFTMAX));
        out.add(of("Masking(0) + SimpleRNN(4) + Dense(5) + Activation(softmax)", reuters, weights(r, reuters), padded, r,
                realSteps));
        SequentialSpec bidirectional = SequentialSpec.of(2, new MaskingSpec(0.0),
                BidirectionalSpec.of(RnnLayerSpec.of(CellSpec.gru(2)).withReturnSequences(true), MergeMode.CONCAT),
                new DenseSpec(4, Activation.LOG_SOFTMAX, true));
        out.add(of("Masking(0) + Bidirectional(GRU(2)) + Dense(4, log_softmax)", bidirectional, weights(r, bidirectional),
                padded, r, realSteps));

        // LSTM + Dropout + LSTM + Dropout + Dense(softmax), in training with per-layer masks.
        SequentialSpec stacked = SequentialSpec.of(2, RnnLayerSpec.of(CellSpec.lstm(3)).withReturnSequences(true),
                DropoutSpec.of(0.3), RnnLayerSpec.of(CellSpec.lstm(2)), new DropoutSpec(0.2, List.of()),
                new DenseSpec(3, Activation.SOFTMAX, true));
        Tensor seq = r.uniform(1, 3, 4, 2);
        out.add(training(of("LSTM + Dropout + LSTM + Dropout + Dense(softmax) training", stacked, weights(r, stacked), seq,
                r, e -> true), List.of(dropMask(r, 0.3, 3, 4, 3), dropMask(r, 0.2, 3, 2))));
        // Embedding(mask_zero) + GRU + Dropout + Dense + Activation(sparsemax)
        SequentialSpec tokens = SequentialSpec.of(0, new EmbeddingSpec(7, 3, true), RnnLayerSpec.of(CellSpec.gru(3)),
                DropoutSpec.of(0.5), new DenseSpec(4, Activation.LINEAR, true), new ActivationLayerSpec(Activation.SPARSEMAX));
        Tensor ids = Tensor.of(new double[] {1, 2, 3, 0, 4, 5, 0, 0, 6, 0, 0, 0}, 3, 4);
        out.add(training(of("Embedding(mask_zero) + GRU + Dropout + Dense + Activation(sparsemax) training", tokens,
                weights(r, tokens), ids, r, e -> true), List.of(dropMask(r, 0.5, 3, 3))));
        return out;
    }

    private static Case of(String name, LayerSpec layer, List<Tensor> weights, Tensor inputs, RandomTensors r,
                           IntPredicate differentiable) {
        LayerCall call = new LayerCall(layer, weights, inputs, null, List.of(), List.of(), false, DType.FLOAT64);
        List<Tensor> cot = new ArrayList<>();
        for (int[] s : call.outputShapes()) {
            cot.add(r.uniform(1, s));
        }
        return new Case(name, call, new LayerOutputs(cot, List.of()), differentiable);
    }

    private static Case training(Case c, List<Tensor> masks) {
        return new Case(c.name(), c.call().withDropoutLayerMasks(masks), c.cotangent(), c.differentiableInputs());
    }

    /** Weights in [-0.5, 0.5) for every weight of a model. */
    public static List<Tensor> weights(RandomTensors r, SequentialSpec model) {
        List<Tensor> w = new ArrayList<>();
        for (int[] s : model.weightShapes(model.inputDim())) {
            w.add(r.uniform(0.5, s));
        }
        return w;
    }

    /** An inverted-dropout mask of any shape: 0 with probability rate, else 1/(1 - rate); the first entry is kept. */
    public static Tensor dropMask(RandomTensors r, double rate, int... shape) {
        Tensor u = r.uniform(1, shape);
        Tensor m = Tensor.zeros(shape);
        for (int i = 0; i < m.size(); i++) {
            m.data()[i] = i == 0 || (u.data()[i] + 1) / 2 >= rate ? 1 / (1 - rate) : 0;
        }
        return m;
    }
}
