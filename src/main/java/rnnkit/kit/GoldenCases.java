package rnnkit.kit;

import java.util.ArrayList;
import java.util.List;
import rnnkit.golden.GoldenCall;
import rnnkit.golden.GoldenCase;
import rnnkit.golden.GoldenCorpus;

/**
 * Golden (Keras-recorded) cases as kit cases. A stateful golden case becomes one kit case with one step per Keras
 * call: the first step starts from the states Keras recorded (zeros), later steps from the implementation's own
 * final states of the previous step, or zeros after {@code reset_state()} — exactly as Keras ran them.
 */
public final class GoldenCases {
    /** Source name of golden cases (tolerances against Keras). */
    public static final String SOURCE = "golden";

    private GoldenCases() {
    }

    public static ConformanceCase of(GoldenCase g) {
        List<ConformanceCase.Step> steps = new ArrayList<>();
        for (GoldenCall call : g.calls()) {
            steps.add(new ConformanceCase.Step(call.call(), call.expected(), call.resetBefore(), call.cotangent(),
                    call.expectedGradients()));
        }
        return new ConformanceCase(g.name(), SOURCE, steps, new CaseTags(g.cells(), withTensorFlowOnlyConstants(g), g.dtype()));
    }

    private static List<String> withTensorFlowOnlyConstants(GoldenCase g) {
        List<String> options = new ArrayList<>(g.options());
        for (String t : tensorFlowOnlyConstants(g.layer(), g.dtype())) {
            if (!options.contains(t)) {
                options.add(t);
            }
        }
        return options;
    }

    /** Tag prefix of a golden that carries a TensorFlow-only constant: {@code tf_float32_constant=<activation>}. */
    public static final String TF_FLOAT32_CONSTANT = "tf_float32_constant";

    /**
     * The TensorFlow-only constants a golden carries, computed from its activations and dtype (the corpus files
     * are not changed): in a float64 graph TensorFlow keeps leaky_relu's slope 0.2 and gelu's 1/sqrt(2) as float32
     * constants (0.2f, 0.70710677f), so an implementation that computes these activations exactly in float64 differs
     * from the golden by about 1e-9 relative. One tag per such activation, e.g. {@code tf_float32_constant=gelu}.
     */
    public static List<String> tensorFlowOnlyConstants(rnnkit.model.LayerSpec layer, rnnkit.model.DType dtype) {
        java.util.Set<String> tags = new java.util.LinkedHashSet<>();
        if (dtype == rnnkit.model.DType.FLOAT64) {
            for (rnnkit.model.CellSpec cell : rnnkit.model.LayerCall.recurrentCells(layer)) {
                List<rnnkit.model.Activation> used = cell.type() == rnnkit.model.CellType.SIMPLE_RNN
                        ? List.of(cell.activation()) : List.of(cell.activation(), cell.recurrentActivation());
                for (rnnkit.model.Activation a : used) {
                    if (a == rnnkit.model.Activation.GELU || a == rnnkit.model.Activation.LEAKY_RELU) {
                        tags.add(TF_FLOAT32_CONSTANT + "=" + a.kerasName());
                    }
                }
            }
        }
        return List.copyOf(tags);
    }

    /** The selected cases of a corpus, in corpus order, each loaded (and validated) when it runs. */
    public static List<PlannedCase> plan(GoldenCorpus corpus, List<String> names) {
        List<PlannedCase> out = new ArrayList<>();
        for (String name : names) {
            out.add(new PlannedCase(name, () -> of(corpus.load(name))));
        }
        return out;
    }

    /** Loads the selected cases of a corpus, in corpus order (all at once: one unreadable case throws). */
    public static List<ConformanceCase> load(GoldenCorpus corpus, CaseSelection selection) {
        List<ConformanceCase> out = new ArrayList<>();
        for (String name : selection.select(corpus.caseNames())) {
            out.add(of(corpus.load(name)));
        }
        return out;
    }
}
