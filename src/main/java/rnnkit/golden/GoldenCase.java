package rnnkit.golden;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import rnnkit.model.DType;
import rnnkit.model.LayerSpec;
import rnnkit.model.Tensor;

/**
 * One golden case as loaded from {@code golden/<suite>/<case>/case.json} and its arrays (see golden/FORMAT.md).
 *
 * @param name unique name {@code suite/case__dtype}, equal to the case folder relative to the corpus root
 * @param cells the cell kinds the case involves (coverage tags, e.g. "LSTM", "GRU(reset_after=False)")
 * @param options the options the case exercises (coverage tags, e.g. "mask_holes", "go_backwards")
 * @param kerasLayer the Keras {@code {"class_name", "config"}} exactly as get_config() returned it
 * @param layer the rnnkit spec parsed from it
 * @param weights weight arrays in Keras get_weights() order
 * @param weightNames Keras variable paths, same order
 * @param calls one call, or the sequence of calls of a stateful case
 * @param summaries for a Sequential model, the text Keras's {@code model.summary(line_length=...)} printed, by line
 *     length (empty otherwise)
 */
public record GoldenCase(
        String name,
        String suite,
        String caseName,
        DType dtype,
        String description,
        List<String> cells,
        List<String> options,
        JsonNode kerasLayer,
        LayerSpec layer,
        boolean training,
        boolean stateful,
        boolean tokenInputs,
        List<Tensor> weights,
        List<String> weightNames,
        List<GoldenCall> calls,
        Map<Integer, String> summaries) {

    public GoldenCase {
        cells = List.copyOf(cells);
        options = List.copyOf(options);
        weights = List.copyOf(weights);
        weightNames = List.copyOf(weightNames);
        calls = List.copyOf(calls);
        summaries = summaries == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summaries));
    }

    /** The case name without the dtype suffix, e.g. {@code lstm/mask_holes_last}. */
    public String baseName() {
        return suite + "/" + caseName;
    }
}
