package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static rnnkit.kit.KitCliTest.cli;
import static rnnkit.kit.KitCliTest.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.golden.GoldenCorpus;
import rnnkit.model.DType;

/**
 * What the case-file protocol gives a driver in another language and what verify makes of what the driver wrote:
 * a layer entry Keras can deserialize, backend-independent weight keys, TensorFlow-only constants tagged,
 * {@code --include/--exclude} on verify, "forward pass, backward ERROR" from {@code backward_error.txt}, terminal
 * escape codes stripped from shown text, and reasons grouped by cause.
 */
class CaseFileProtocolTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path export(String include) {
        Path cases = tmp.resolve("cases");
        KitCliTest.Run ex = cli("export", "--out", cases.toString(), "--include", include);
        assertThat(ex.exit()).as(ex.err()).isZero();
        return cases;
    }

    /** Result files the reference computes for every case of an export, as a driver would write them. */
    private Path referenceResults(Path cases) throws Exception {
        Path results = tmp.resolve("results");
        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        for (String n : CaseExport.readIndex(cases)) {
            KitCliTest.writeReferenceResults(corpus.load(n), cases.resolve(n), results.resolve(n));
        }
        return results;
    }

    private static JsonNode caseJson(Path cases, String name) throws Exception {
        return JSON.readTree(cases.resolve(name).resolve("case.json").toFile());
    }

    @Test
    void exportedLayerEntriesNameTheirKerasModuleAndWeightsHaveStructuralKeys() throws Exception {
        Path cases = export("bidirectional/lstm_concat_sequences__float32,stacked/cells_lstm_gru_last__float64,"
                + "tutorial/embedding_lstm_dense__float32,activations/lstm_activation_gelu__float*,"
                + "activations/simple_rnn_activation_leaky_relu__float64,activations/gru_activation_tanh__float64");

        JsonNode bi = caseJson(cases, "bidirectional/lstm_concat_sequences__float32");
        assertThat(bi.path("layer").path("module").asText()).isEqualTo("keras.layers");
        assertThat(bi.path("layer").has("registered_name")).isTrue();
        assertThat(bi.path("layer").path("class_name").asText()).isEqualTo("Bidirectional");
        assertThat(keys(bi)).containsExactly("forward/kernel", "forward/recurrent_kernel", "forward/bias",
                "backward/kernel", "backward/recurrent_kernel", "backward/bias");

        JsonNode stacked = caseJson(cases, "stacked/cells_lstm_gru_last__float64");
        assertThat(keys(stacked)).containsExactly("cell_0/kernel", "cell_0/recurrent_kernel", "cell_0/bias",
                "cell_1/kernel", "cell_1/recurrent_kernel", "cell_1/bias");

        JsonNode model = caseJson(cases, "tutorial/embedding_lstm_dense__float32");
        assertThat(model.path("layer").path("module").asText()).isEqualTo("keras");
        assertThat(keys(model)).containsExactly("layer_0/embeddings", "layer_1/kernel", "layer_1/recurrent_kernel",
                "layer_1/bias", "layer_2/kernel", "layer_2/bias");
        // the TensorFlow-built variable names are still there, beside the keys
        assertThat(model.path("weights").get(1).path("name").asText()).isNotEmpty();

        assertThat(options(caseJson(cases, "activations/lstm_activation_gelu__float64")))
                .contains("tf_float32_constant=gelu");
        assertThat(options(caseJson(cases, "activations/simple_rnn_activation_leaky_relu__float64")))
                .contains("tf_float32_constant=leaky_relu");
        assertThat(options(caseJson(cases, "activations/lstm_activation_gelu__float32")))
                .noneMatch(o -> o.startsWith("tf_float32_constant"));
        assertThat(options(caseJson(cases, "activations/gru_activation_tanh__float64")))
                .noneMatch(o -> o.startsWith("tf_float32_constant"));
    }

    private static List<String> keys(JsonNode c) {
        List<String> k = new ArrayList<>();
        c.path("weights").forEach(w -> k.add(w.path("key").asText()));
        return k;
    }

    private static List<String> options(JsonNode c) {
        List<String> k = new ArrayList<>();
        c.path("tags").path("options").forEach(o -> k.add(o.asText()));
        return k;
    }

    @Test
    void verifyTakesIncludeAndExcludeAndReportsBackwardErrorsWithTheForwardVerdict() throws Exception {
        Path cases = export("lstm/*__float64");
        Path results = referenceResults(cases);
        List<String> names = CaseExport.readIndex(cases);
        // A driver whose forward pass worked and whose backward pass crashed, with a coloured Python message.
        String crashed = "lstm/return_sequences__float64";
        Path dir = results.resolve(crashed);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().contains("_grad_")) {
                    Files.delete(p);
                }
            }
        }
        Files.writeString(dir.resolve(ResultFiles.BACKWARD_ERROR_FILE),
                "RuntimeError: \u001B[1mone of the variables was modified\u001B[0m \u001B]0;title\u0007by an inplace op\n");
        // A forward FAIL whose backward crashed too.
        String wrongAndCrashed = "lstm/no_bias__float64";
        Path dir2 = results.resolve(wrongAndCrashed);
        KitCliTest.rewrite(dir2.resolve("c0_output_0.npy"), a -> {
            double[] v = a.values().clone();
            v[0] += 0.5;
            return new rnnkit.golden.NpyArray(a.descr(), a.shape(), v);
        });
        Files.writeString(dir2.resolve(ResultFiles.BACKWARD_ERROR_FILE), "RuntimeError: boom\n");

        Path rep = tmp.resolve("rep");
        KitCliTest.Run r = cli("verify", "--cases", cases.toString(), "--results", results.toString(), "--name", "d",
                "--include", "lstm/return_*,lstm/no_bias*", "--exclude", "*state_last*", "--report-dir", rep.toString(),
                "--format", "md");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        Map<String, String[]> t = table(rep.resolve("d.md"));
        assertThat(t.keySet()).containsExactlyInAnyOrder("lstm/return_sequences__float64",
                "lstm/return_state_sequences__float64", "lstm/no_bias__float64");
        assertThat(t.get(crashed)[0]).isEqualTo("ERROR");
        assertThat(t.get(crashed)[1]).startsWith("forward pass (").contains("quantities within tolerance), backward ERROR: ")
                .contains("one of the variables was modified by an inplace op").doesNotContain("\u001B").doesNotContain("[1m")
                .doesNotContain("[0m").doesNotContain("title");
        assertThat(t.get(wrongAndCrashed)[0]).isEqualTo("ERROR");
        assertThat(t.get(wrongAndCrashed)[1]).startsWith("forward FAIL (output differs beyond tolerance), backward ERROR: ");
        assertThat(Files.readString(rep.resolve("d.md"))).contains("Selection: 3 of the " + names.size() + " exported cases");

        KitCliTest.Run none = cli("verify", "--cases", cases.toString(), "--results", results.toString(), "--name", "d",
                "--include", "gru/*", "--report-dir", tmp.resolve("rep2").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("matches none of the " + names.size() + " exported cases");
    }

    @Test
    void resultsComputedFromInputsOtherThanThisCorpussAreAnErrorNamingTheArray() throws Exception {
        Path cases = export("gru/t1*__float64,gru/batch1_*__float64,gru/initial_state__float64");
        Path results = referenceResults(cases);
        List<String> names = CaseExport.readIndex(cases);
        // Another corpus version (or an edit) changed one input of one case after its results were computed from it;
        // the results themselves are right for the corpus, so only the check of the export can notice.
        String edited = names.get(0);
        Path input = cases.resolve(edited).resolve("c0_inputs.npy");
        KitCliTest.rewrite(input, a -> {
            double[] v = a.values().clone();
            v[0] += 0.25;
            return new rnnkit.golden.NpyArray(a.descr(), a.shape(), v);
        });
        // a missing array is named too
        String missing = names.get(1);
        Path weight = cases.resolve(missing).resolve("weight_01.npy");
        Files.delete(weight);

        Path rep = tmp.resolve("rep");
        KitCliTest.Run r = cli("verify", "--cases", cases.toString(), "--results", results.toString(), "--name", "d",
                "--report-dir", rep.toString(), "--format", "md");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        Map<String, String[]> t = table(rep.resolve("d.md"));
        assertThat(t.get(edited)[0]).isEqualTo("ERROR");
        assertThat(t.get(edited)[1]).contains("the exported array c0_inputs.npy differs from this corpus").contains(
                "export again from this corpus");
        assertThat(t.get(missing)[0]).isEqualTo("ERROR");
        assertThat(t.get(missing)[1]).contains("weight_01.npy").contains("does not exist");
        assertThat(t.entrySet().stream().filter(e -> !e.getKey().equals(edited) && !e.getKey().equals(missing)))
                .hasSize(names.size() - 2).allMatch(e -> e.getValue()[0].equals("pass"));
    }

    @Test
    void reasonsGroupByCauseAndShowPlainText() {
        List<CaseResult> rs = List.of(
                new CaseResult("a", "x", Outcome.ERROR, "the implementation reported an error: RuntimeError: tensor [2, 3] "
                        + "is at version 2; expected version 1\nTraceback line", List.of(), 0),
                new CaseResult("b", "x", Outcome.ERROR, "the implementation reported an error: RuntimeError: tensor [4, 3] "
                        + "is at version 7; expected version 6", List.of(), 0),
                new CaseResult("c", "x", Outcome.ERROR, "\n  \u001B[31mTypeError\u001B[0m: something else", List.of(), 0),
                new CaseResult("d", "x", Outcome.FAIL, "call0/output differs beyond tolerance", List.of(), 0),
                new CaseResult("e", "x", Outcome.FAIL, "call3/output differs beyond tolerance", List.of(), 0));
        KitReport report = new KitReport("t", "x", "corpus", "all", rs.size(), rs, List.of(), List.of(), Map.of());
        Map<String, List<CaseResult>> errors = report.byReason(Outcome.ERROR);
        assertThat(errors).hasSize(2);
        assertThat(errors.get("the implementation reported an error: RuntimeError: tensor [2, 3] is at version 2; "
                + "expected version 1")).extracting(CaseResult::caseName).containsExactly("a", "b");
        assertThat(errors.get("TypeError: something else")).extracting(CaseResult::caseName).containsExactly("c");
        assertThat(report.byReason(Outcome.FAIL)).containsOnlyKeys("call0/output differs beyond tolerance");
        assertThat(rs.get(2).reason()).doesNotContain("\u001B").contains("TypeError: something else");
    }

    @Test
    void expectedFailuresListedOneCasePerLineAreOneGroupPerListedReason() {
        String promotion = "float64 at float32 precision (dtype promotion)";
        ExpectedFailures xf = ExpectedFailures.parse(List.of(
                "lstm/a__float64 : " + promotion,
                "gru/b__float64 : " + promotion,
                "gru/c__float64 : " + promotion,
                "tags: GRU & stateful : fused path saves state"), "list");
        List<CaseResult> rs = List.of(
                xf.apply(new CaseResult("lstm/a__float64", "x", Outcome.FAIL, "output differs beyond tolerance", List.of(), 0)),
                xf.apply(new CaseResult("gru/b__float64", "x", Outcome.FAIL, "call1/grad/kernel differs beyond tolerance",
                        List.of(), 0)),
                xf.apply(new CaseResult("gru/c__float64", "x", Outcome.ERROR, "the implementation reported an error: "
                        + "TypeError: scan carry\nTraceback line", List.of(), 0)),
                xf.apply(new CaseResult("gru/d", "x", Outcome.ERROR, "forward pass (3 quantities within tolerance), "
                        + "backward ERROR: modified by an inplace operation", List.of(), 0)
                        .withTags(new CaseTags(List.of("GRU"), List.of("stateful"), DType.FLOAT32))));
        KitReport report = new KitReport("t", "x", "corpus", "all", rs.size(), rs, List.of(), List.of(), Map.of());
        Map<String, List<CaseResult>> groups = report.byReason(Outcome.EXPECTED_FAIL);
        assertThat(groups).containsOnlyKeys(promotion, "fused path saves state");
        assertThat(groups.get(promotion)).extracting(CaseResult::caseName)
                .containsExactly("lstm/a__float64", "gru/b__float64", "gru/c__float64");
        // each case still says which entry listed it and what its raw outcome was
        assertThat(rs.get(1).detail()).isEqualTo(promotion + " [gru/b__float64] (call1/grad/kernel differs beyond tolerance)");
        assertThat(rs.get(3).detail()).contains("[tags: GRU & stateful]").contains("backward ERROR");
    }

    @Test
    void tensorFlowOnlyConstantsAreComputedFromActivationAndDtype() {
        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        ConformanceCase gelu64 = GoldenCases.of(corpus.load("activations/gru_activation_gelu__float64"));
        assertThat(gelu64.tags().options()).contains("tf_float32_constant=gelu");
        assertThat(KitRunner.tagNote(gelu64)).contains("TensorFlow's float32 gelu constant");
        assertThat(GoldenCases.of(corpus.load("activations/gru_activation_gelu__float32")).tags().options())
                .noneMatch(o -> o.startsWith("tf_float32_constant"));
        assertThat(GoldenCases.of(corpus.load("activations/lstm_recurrent_activation_relu__float64")).tags().options())
                .noneMatch(o -> o.startsWith("tf_float32_constant"));
    }
}
