package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rnnkit.model.SequentialSpec;

/**
 * {@code SequentialSpec.summary} reproduces, character for character, the text Keras's {@code model.summary()}
 * printed for every Sequential model of the golden corpus (captured by the generator at line lengths 88 and 50, for
 * float32 and float64 weights), from the parsed config alone.
 */
class KerasSummaryTest {

    @Test
    void everySequentialCaseSummaryEqualsWhatKerasPrinted() {
        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        int compared = 0;
        List<String> tutorial = new ArrayList<>();
        for (String name : corpus.caseNames()) {
            // Only Sequential models have summaries (the loader refuses them elsewhere): load just those.
            if (!"Sequential".equals(corpus.caseJson(name).path("layer").path("class_name").asText())) {
                assertThat(corpus.caseJson(name).has("summaries")).as(name).isFalse();
                continue;
            }
            GoldenCase c = corpus.load(name);
            SequentialSpec model = (SequentialSpec) c.layer();
            assertThat(c.summaries()).as(name + " has Keras summaries").containsKeys(88, 50);
            for (Map.Entry<Integer, String> e : c.summaries().entrySet()) {
                assertThat(model.summary(c.dtype(), e.getKey())).as(name + " at line length " + e.getKey())
                        .isEqualTo(e.getValue());
                compared++;
            }
            if (c.suite().equals("tutorial_models")) {
                tutorial.add(name);
            }
        }
        System.out.println("[KerasSummaryTest] " + compared + " summaries equal Keras's, " + tutorial.size()
                + " of them of tutorial models");
        assertThat(tutorial).as("tutorial models compared").hasSizeGreaterThanOrEqualTo(34);
    }

    /** The 88-column default of {@code summary()} is Keras's: the MNIST model's table, parsed from its config. */
    @Test
    void defaultSummaryIsTheWideTerminalOne() {
        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        GoldenCase c = corpus.load("tutorial_models/mnist_lstm50_dense10_softmax__float32");
        SequentialSpec model = (SequentialSpec) c.layer();
        assertThat(model.summary()).isEqualTo(c.summaries().get(88)).contains("Total params: 16,310 (63.71 KB)")
                .contains("│ lstm (LSTM)                          │ (None, 50)                  │          15,800 │");
    }
}
