package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.MiniCorpus;

/**
 * The default corpus is the golden/ folder next to the rnnkit classes or jar, or the one named by RNNKIT_CORPUS —
 * never a folder relative to the current directory.
 */
class DefaultCorpusTest {
    @TempDir
    Path tmp;

    @Test
    void runFromAnotherDirectoryFindsTheCorpusNextToTheCode() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        ChildJvm.Result r = ChildJvm.rnnkit(elsewhere, Map.of(), "512m", 60, "run", "--impl", "reference", "--include",
                "lstm/t1__*", "--report-dir", "rep", "--format", "md");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("2 passed");
        assertThat(Files.readString(elsewhere.resolve("rep/reference.md")))
                .contains(GoldenCorpus.open(GoldenCorpus.defaultRoot()).caseNames().size() + " cases)");
    }

    @Test
    void theEnvironmentVariableNamesAnotherCorpus() throws Exception {
        Path mini = MiniCorpus.copy(tmp.resolve("mine"), "lstm/t1__float32");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        ChildJvm.Result r = ChildJvm.rnnkit(elsewhere, Map.of(GoldenCorpus.CORPUS_ENV, mini.toString()), "512m", 60,
                "run", "--impl", "reference", "--report-dir", "rep", "--format", "md");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("1 passed");
        assertThat(Files.readString(elsewhere.resolve("rep/reference.md"))).contains(", 1 cases)");
        ChildJvm.Result missing = ChildJvm.rnnkit(elsewhere, Map.of(GoldenCorpus.CORPUS_ENV, tmp.resolve("none").toString()),
                "512m", 60, "run", "--impl", "reference", "--report-dir", "rep2");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("golden corpus " + tmp.resolve("none") + " does not exist");
    }
}
