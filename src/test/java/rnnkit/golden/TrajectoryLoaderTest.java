package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.training.OptimizerSpec;

/**
 * Trajectory cases go through the corpus loader's checks: on a copy of the corpus holding one call case and one
 * trajectory, each test damages the trajectory in one way and the loader must name the damage.
 */
class TrajectoryLoaderTest {
    private static final String CASE = "gru/initial_state__float32";
    private static final String RUN = "trajectories/reuters_simple_rnn50_dense46_softmax_adam__float64";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path mini;

    @BeforeEach
    void copy() throws IOException {
        mini = MiniCorpus.copy(tmp.resolve("golden"), CASE, RUN);
        editCorpusJson(c -> {
            c.putArray("cases").add(CASE);
            c.put("case_count", 1);
            c.putArray("trajectories").add(RUN);
            c.put("trajectory_count", 1);
        });
    }

    private void rehash() {
        MiniCorpus.rehash(mini);
    }

    private void editCaseJson(String name, Consumer<ObjectNode> edit) throws IOException {
        Path f = mini.resolve(name).resolve("case.json");
        ObjectNode c = (ObjectNode) JSON.readTree(f.toFile());
        edit.accept(c);
        Files.writeString(f, JSON.writeValueAsString(c));
        rehash();
    }

    private void editCorpusJson(Consumer<ObjectNode> edit) throws IOException {
        Path f = mini.resolve("corpus.json");
        ObjectNode c = (ObjectNode) JSON.readTree(f.toFile());
        edit.accept(c);
        Files.writeString(f, JSON.writeValueAsString(c));
        rehash();
    }

    private TrajectoryCase load() {
        return GoldenCorpus.open(mini).loadTrajectory(RUN);
    }

    @Test
    void theIntactCopyLoads() {
        TrajectoryCase t = load();
        assertThat(t.steps()).isEqualTo(20);
        assertThat(t.weightsAfter()).containsKeys(1, 20);
        assertThat(t.optimizer()).isEqualTo(OptimizerSpec.adam());
        assertThat(GoldenCorpus.open(mini).trajectoryNames()).containsExactly(RUN);
    }

    @Test
    void aTrajectoryListedAsACallCaseIsRefused() throws IOException {
        editCorpusJson(c -> {
            ((ArrayNode) c.get("cases")).add(RUN);
            c.put("case_count", 2);
            c.putArray("trajectories");
            c.put("trajectory_count", 0);
        });
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(RUN)).hasMessageContaining("kind 'trajectory'");
        assertThatThrownBy(() -> GoldenCorpus.open(mini).loadTrajectory(CASE)).hasMessageContaining("no golden trajectory");
    }

    @Test
    void aNameInBothListsIsRefused() throws IOException {
        editCorpusJson(c -> {
            ((ArrayNode) c.get("cases")).add(RUN);
            c.put("case_count", 2);
        });
        assertThatThrownBy(() -> GoldenCorpus.open(mini)).hasMessageContaining("appears twice");
    }

    @Test
    void aLyingTrajectoryCountIsRefused() throws IOException {
        editCorpusJson(c -> c.put("trajectory_count", 3));
        assertThatThrownBy(() -> GoldenCorpus.open(mini)).hasMessageContaining("trajectory_count 3");
    }

    @Test
    void aScheduleEntryOutsideTheBatchesIsRefused() throws IOException {
        editCaseJson(RUN, c -> ((ArrayNode) c.get("schedule")).set(3, 7));
        assertThatThrownBy(this::load).hasMessageContaining("schedule entry 3 is batch 7");
    }

    @Test
    void stepsThatDisagreeWithTheScheduleAreRefused() throws IOException {
        editCaseJson(RUN, c -> c.put("steps", 19));
        assertThatThrownBy(this::load).hasMessageContaining("steps is 19");
    }

    @Test
    void weightsRecordedAfterAStepBeyondTheRunAreRefused() throws IOException {
        editCaseJson(RUN, c -> ((ObjectNode) c.get("weights_after").get(4)).put("step", 25));
        assertThatThrownBy(this::load).hasMessageContaining("weights_after step 25");
    }

    @Test
    void anUnsupportedOptimizerOptionIsRefused() throws IOException {
        editCaseJson(RUN, c -> ((ObjectNode) c.get("optimizer").get("config")).put("amsgrad", true));
        assertThatThrownBy(this::load).hasMessageContaining("amsgrad");
    }

    @Test
    void aLossFromProbabilitiesIsRefused() throws IOException {
        editCaseJson(RUN, c -> ((ObjectNode) c.get("loss")).put("computed_from", "probabilities"));
        assertThatThrownBy(this::load).hasMessageContaining("computed_from");
    }

    @Test
    void anUnlistedFileInTheTrajectoryFolderIsRefused() throws IOException {
        Files.writeString(mini.resolve(RUN).resolve("extra.npy"), "x");
        assertThatThrownBy(this::load).hasMessageContaining("not listed in the manifest");
    }

    @Test
    void anEditedLossArrayFailsItsHash() throws IOException {
        Path losses = mini.resolve(RUN).resolve("losses.npy");
        byte[] b = Files.readAllBytes(losses);
        b[b.length - 1] ^= 1;
        Files.write(losses, b);
        assertThatThrownBy(this::load).hasMessageContaining("losses.npy");
    }
}
