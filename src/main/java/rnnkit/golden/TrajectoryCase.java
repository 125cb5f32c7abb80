package rnnkit.golden;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import rnnkit.model.DType;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;
import rnnkit.training.OptimizerSpec;

/**
 * A recorded Keras training run ({@code "kind": "trajectory"} in golden/FORMAT.md): a Sequential model ending in a
 * softmax, its initial weights, fixed batches, the optimizer, and what Keras recorded: the loss at every step
 * (before that step's update) and the weights after some steps.
 *
 * @param schedule the batch used at step k+1 (index into {@code batches})
 * @param losses the loss at step k+1, computed at the weights before that step's update
 * @param weightsAfter weights (get_weights() order) after the given steps, by step (1-based)
 */
public record TrajectoryCase(
        String name,
        String suite,
        String caseName,
        DType dtype,
        SequentialSpec model,
        OptimizerSpec optimizer,
        String description,
        List<Tensor> initialWeights,
        List<String> weightNames,
        List<Batch> batches,
        int[] schedule,
        double[] losses,
        SortedMap<Integer, List<Tensor>> weightsAfter) {

    /** One fixed batch: inputs and one-hot targets (batch, classes). */
    public record Batch(Tensor inputs, Tensor targets) {
    }

    public TrajectoryCase {
        initialWeights = List.copyOf(initialWeights);
        weightNames = List.copyOf(weightNames);
        batches = List.copyOf(batches);
        schedule = schedule.clone();
        losses = losses.clone();
        TreeMap<Integer, List<Tensor>> copy = new TreeMap<>();
        for (Map.Entry<Integer, List<Tensor>> e : weightsAfter.entrySet()) {
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        weightsAfter = java.util.Collections.unmodifiableSortedMap(copy);
    }

    /** Number of optimizer steps. */
    public int steps() {
        return schedule.length;
    }

    /** The case name without the dtype suffix. */
    public String baseName() {
        return suite + "/" + caseName;
    }

    @Override
    public int[] schedule() {
        return schedule.clone();
    }

    @Override
    public double[] losses() {
        return losses.clone();
    }
}
