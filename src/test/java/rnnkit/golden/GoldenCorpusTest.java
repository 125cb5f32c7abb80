package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import rnnkit.model.DType;
import rnnkit.model.RnnLayerSpec;

/**
 * The corpus loader on the committed corpus, and on a two-case copy of it that each test damages in one way:
 * every damage must be detected with an error that names it.
 */
class GoldenCorpusTest {
    private static final String LSTM = "lstm/mask_holes_sequences__float64";
    private static final String GRU = "gru/initial_state__float32";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path mini;

    @BeforeEach
    void copyTwoCases() {
        mini = MiniCorpus.copy(tmp.resolve("golden"), LSTM, GRU);
    }

    private void rehash() {
        MiniCorpus.rehash(mini);
    }

    @Test
    void committedCorpusHasUniqueNamesBothDtypesAndVersions() {
        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        List<String> names = corpus.caseNames();
        assertThat(new HashSet<>(names)).hasSize(names.size());
        assertThat(names.size()).isGreaterThan(300);
        Set<String> f32 = new HashSet<>();
        Set<String> f64 = new HashSet<>();
        for (String n : names) {
            (n.endsWith("__float32") ? f32 : f64).add(n.substring(0, n.lastIndexOf("__")));
        }
        assertThat(f32).as("every case exists in both dtypes").isEqualTo(f64);
        assertThat(corpus.versions()).containsEntry("keras", "3.15.1").containsKeys("tensorflow", "numpy", "python");
    }

    @Test
    void loadsACaseIntoCallsOutputsAndGradients() {
        GoldenCase c = GoldenCorpus.open(mini).load(LSTM);
        assertThat(c.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(c.layer()).isInstanceOf(RnnLayerSpec.class);
        RnnLayerSpec l = (RnnLayerSpec) c.layer();
        assertThat(l.returnSequences()).isTrue();
        assertThat(l.returnState()).isTrue();
        assertThat(c.calls()).hasSize(1);
        GoldenCall call = c.calls().get(0);
        assertThat(call.mask()).isNotNull();
        assertThat(call.expected().states()).hasSize(2);
        assertThat(call.cotangent().states()).hasSize(2);
        assertThat(call.expectedGradients().weights()).hasSize(3);
        assertThat(call.expected().output().shape()).containsExactly(3, 5, 3);
        assertThat(c.options()).contains("mask_holes");
    }

    @Test
    void editedArrayIsDetectedByItsHash() throws IOException {
        Path f = mini.resolve(GRU).resolve("c0_output_0.npy");
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 1;
        Files.write(f, b);
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(GRU)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(GRU + "/c0_output_0.npy").hasMessageContaining("SHA-256")
                .hasMessageContaining("edited or corrupted");
    }

    @Test
    void editedCaseJsonAndCorpusJsonAreDetected() throws IOException {
        Path cj = mini.resolve(LSTM).resolve("case.json");
        Files.writeString(cj, Files.readString(cj).replace("\"return_state\":true", "\"return_state\":false"));
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(LSTM)).hasMessageContaining("case.json")
                .hasMessageContaining("SHA-256");
        Path corpus = mini.resolve("corpus.json");
        Files.writeString(corpus, Files.readString(corpus).replace("3.15.1", "3.15.2"));
        assertThatThrownBy(() -> GoldenCorpus.open(mini)).hasMessageContaining("corpus.json")
                .hasMessageContaining("SHA-256");
    }

    @Test
    void unlistedExtraFileIsRejected() throws IOException {
        Files.writeString(mini.resolve(GRU).resolve("extra.npy"), "x");
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(GRU)).hasMessageContaining("not listed in the manifest")
                .hasMessageContaining("extra.npy");
    }

    @Test
    void missingFileIsReported() throws IOException {
        Files.delete(mini.resolve(GRU).resolve("weight_01.npy"));
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(GRU)).hasMessageContaining("weight_01.npy");
    }

    @Test
    void duplicateCaseNamesAreRejected() throws IOException {
        Path corpus = mini.resolve("corpus.json");
        ObjectNode c = (ObjectNode) JSON.readTree(corpus.toFile());
        ((ArrayNode) c.get("cases")).add(GRU);
        c.put("case_count", 3);
        Files.writeString(corpus, JSON.writeValueAsString(c));
        rehash();
        assertThatThrownBy(() -> GoldenCorpus.open(mini)).hasMessageContaining("'" + GRU + "' appears twice")
                .hasMessageContaining("unique");
    }

    @Test
    void caseJsonThatNamesAnotherFolderIsRejected() throws IOException {
        Path cj = mini.resolve(GRU).resolve("case.json");
        Files.writeString(cj, Files.readString(cj).replace("\"name\":\"" + GRU + "\"", "\"name\":\"gru/other__float32\""));
        rehash();
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(GRU)).hasMessageContaining("names itself 'gru/other__float32'");
    }

    @Test
    void arrayWhoseHeaderDisagreesWithCaseJsonIsRejected() throws IOException {
        // Replace a (3, 3) weight by a rehashed (9,) array: the manifest is consistent, case.json is not.
        Path w = mini.resolve(GRU).resolve("weight_01.npy");
        NpyArray a = NpyReader.read(w);
        Files.write(w, NpyWriter.write(new NpyArray(a.descr(), new int[] {a.values().length}, a.values())));
        rehash();
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(GRU)).hasMessageContaining("weight_01.npy has shape")
                .hasMessageContaining("case.json declares");
    }

    @Test
    void arrayOfTheWrongDtypeIsRejected() throws IOException {
        Path w = mini.resolve(GRU).resolve("weight_00.npy");
        NpyArray a = NpyReader.read(w);
        Files.write(w, NpyWriter.write(new NpyArray("<f8", a.shape(), a.values())));
        Path cj = mini.resolve(GRU).resolve("case.json");
        ObjectNode c = (ObjectNode) JSON.readTree(cj.toFile());
        ((ObjectNode) c.get("arrays").get("weight_00.npy")).put("dtype", "<f8");
        Files.writeString(cj, JSON.writeValueAsString(c));
        rehash();
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(GRU)).hasMessageContaining("weight_00.npy has dtype '<f8'")
                .hasMessageContaining("float32 case");
    }

    @Test
    void weightsThatDoNotFitTheLayerConfigAreRejected() throws IOException {
        Path cj = mini.resolve(GRU).resolve("case.json");
        Files.writeString(cj, Files.readString(cj).replace("\"units\":3", "\"units\":4"));
        rehash();
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(GRU)).hasMessageContaining("does not fit the layer config")
                .hasMessageContaining("kernel has shape");
    }

    @Test
    void manifestEntryOfNoCaseIsRejected() throws IOException {
        Files.createDirectories(mini.resolve("gru/stray__float32"));
        Files.writeString(mini.resolve("gru/stray__float32/case.json"), "{}");
        rehash();
        assertThatThrownBy(() -> GoldenCorpus.open(mini)).hasMessageContaining("belongs to no case");
    }

    @Test
    void everyCommittedCaseLoads() {
        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        List<String> failures = new ArrayList<>();
        for (String n : corpus.caseNames()) {
            try {
                corpus.load(n);
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void statefulCallsStartFromThePreviousCallsFinalStatesOrZerosAfterAReset() {
        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        int checked = 0;
        for (String n : corpus.caseNames()) {
            if (!n.startsWith("stateful/")) {
                continue;
            }
            GoldenCase c = corpus.load(n);
            assertThat(c.stateful()).isTrue();
            for (int k = 0; k < c.calls().size(); k++) {
                GoldenCall call = c.calls().get(k);
                for (int s = 0; s < call.initialStates().size(); s++) {
                    double[] init = call.initialStates().get(s).data();
                    if (k == 0 || call.resetBefore()) {
                        assertThat(init).as(n + " call " + k).containsOnly(0.0);
                    } else {
                        assertThat(init).as(n + " call " + k)
                                .containsExactly(c.calls().get(k - 1).expected().states().get(s).data());
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void corpusFilesAreUtf8Json() throws IOException {
        String s = new String(Files.readAllBytes(mini.resolve("corpus.json")), StandardCharsets.UTF_8);
        assertThat(JSON.readTree(s).get("versions").get("keras").asText()).isEqualTo("3.15.1");
    }
}
