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
        return new ConformanceCase(g.name(), SOURCE, steps, new CaseTags(g.cells(), g.options(), g.dtype()));
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
