package rnnkit.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.IntConsumer;
import rnnkit.golden.TrajectoryCase;
import rnnkit.model.Activation;
import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnImplementation;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * Replays a recorded Keras training run with any {@link RnnImplementation} that computes gradients: at each step the
 * implementation runs the model up to the logits of its final softmax on the step's batch, {@link SoftmaxCrossEntropy}
 * gives the loss and the logits' cotangent, the implementation's backward gives the weight gradients, and rnnkit's
 * {@link Optimizer} updates the weights (in the case's dtype, as Keras's variables hold them). The implementation's
 * own gradients are the only thing that differs between two replays.
 */
public final class TrajectoryRun {

    /** What a replay produced: the loss at every step (before its update) and the weights after the recorded steps. */
    public record Result(String implementation, double[] losses, SortedMap<Integer, List<Tensor>> weightsAfter) {
    }

    private TrajectoryRun() {
    }

    /**
     * The model up to the logits of its final softmax: a final {@code Activation('softmax')} is dropped, a final
     * {@code Dense(activation='softmax')} becomes the same Dense without activation (same weights).
     *
     * @throws IllegalArgumentException if the model does not end in a softmax
     */
    public static SequentialSpec logitsModel(SequentialSpec model) {
        List<LayerSpec> layers = new ArrayList<>(model.layers());
        LayerSpec last = layers.get(layers.size() - 1);
        List<String> names = new ArrayList<>(model.names());
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            classes.add(model.layerClass(i));
        }
        if (last instanceof ActivationLayerSpec a && a.activation() == Activation.SOFTMAX && layers.size() > 1) {
            layers.remove(layers.size() - 1);
            names.remove(names.size() - 1);
            classes.remove(classes.size() - 1);
        } else if (last instanceof DenseSpec d && d.activation() == Activation.SOFTMAX) {
            layers.set(layers.size() - 1, new DenseSpec(d.units(), Activation.LINEAR, d.useBias()));
        } else {
            throw new IllegalArgumentException("the model ends in " + last.describe() + "; categorical cross-entropy from"
                    + " logits needs a final softmax (Dense(activation='softmax') or Activation('softmax'))");
        }
        return new SequentialSpec(layers, model.inputDim(), model.inputTime(), model.name(), names, classes);
    }

    /**
     * Replays {@code c} with {@code implementation} computing in {@code dtype}.
     *
     * @param progress called with each finished step (1-based), may be null
     * @throws CancellationException if the thread is interrupted: the replay stops before its next step
     */
    public static Result replay(RnnImplementation implementation, TrajectoryCase c, DType dtype, IntConsumer progress) {
        SequentialSpec logits = logitsModel(c.model());
        List<double[]> weights = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (Tensor w : c.initialWeights()) {
            weights.add(w.data().clone());
            shapes.add(w.shape());
        }
        Optimizer optimizer = c.optimizer().create(c.dtype(), shapes);
        int[] schedule = c.schedule();
        double[] losses = new double[schedule.length];
        SortedMap<Integer, List<Tensor>> after = new TreeMap<>();
        for (int k = 0; k < schedule.length; k++) {
            if (Thread.currentThread().isInterrupted()) { // given up on (train-check --timeout): no further step runs
                throw new CancellationException("replay of " + c.name() + " by " + implementation.name()
                        + " interrupted before step " + (k + 1));
            }
            TrajectoryCase.Batch batch = c.batches().get(schedule[k]);
            List<Tensor> current = new ArrayList<>();
            for (int i = 0; i < weights.size(); i++) {
                current.add(Tensor.of(weights.get(i).clone(), shapes.get(i)));
            }
            LayerCall call = new LayerCall(logits, current, batch.inputs(), null, List.of(), List.of(), false, dtype);
            Tensor z = implementation.forward(call).output();
            SoftmaxCrossEntropy.Result ce = SoftmaxCrossEntropy.of(z, batch.targets());
            losses[k] = ce.loss();
            LayerGradients g = implementation.backward(call, LayerOutputs.of(ce.logitGradient(), List.of()));
            List<double[]> grads = new ArrayList<>();
            for (Tensor t : g.weights()) {
                grads.add(t.data());
            }
            optimizer.apply(weights, grads);
            int step = k + 1;
            if (c.weightsAfter().containsKey(step)) {
                List<Tensor> snapshot = new ArrayList<>();
                for (int i = 0; i < weights.size(); i++) {
                    snapshot.add(Tensor.of(weights.get(i).clone(), shapes.get(i)));
                }
                after.put(step, snapshot);
            }
            if (progress != null) {
                progress.accept(step);
            }
        }
        return new Result(implementation.name(), losses, after);
    }
}
