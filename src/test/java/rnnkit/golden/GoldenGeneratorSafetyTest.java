package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The golden generator's command-line safety (golden/test_generate.py): {@code generate.py --filter} without
 * {@code --out}, or with an {@code --out} that names the committed corpus or a foreign non-empty folder, exits with a
 * usage error before writing anything. The checks run before Keras is imported, so any Python 3 runs them; where
 * no Python 3 is on the PATH the test is skipped (the build itself never needs Python).
 */
class GoldenGeneratorSafetyTest {

    @Test
    void filteredOrMisdirectedRunsNeverTouchTheCommittedCorpus() throws IOException, InterruptedException {
        Path golden = GoldenCorpus.defaultRoot().toAbsolutePath();
        String python = pythonOnPath();
        Assumptions.assumeTrue(python != null, "no python3 on the PATH");
        byte[] manifestBefore = Files.readAllBytes(golden.resolve("manifest.json"));
        Path log = Files.createTempFile("rnnkit-generate-test", ".log");
        try {
            Process p = new ProcessBuilder(List.of(python, "-m", "unittest", "-v",
                    "test_generate.FilterNeverTouchesTheCommittedCorpus"))
                    .directory(golden.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("generator safety tests finished").isTrue();
            } finally {
                p.destroyForcibly(); // never left running, also when it timed out
                p.waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("Ran 7 tests").contains("OK");
        } finally {
            Files.deleteIfExists(log);
        }
        assertThat(Files.readAllBytes(golden.resolve("manifest.json"))).isEqualTo(manifestBefore);
    }

    private static String pythonOnPath() throws InterruptedException {
        for (String candidate : List.of("python3", "python")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import sys; sys.exit(0 if sys.version_info[0] == 3 else 1)")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
                p.destroyForcibly();
            } catch (IOException notFound) {
                // try the next name
            }
        }
        return null;
    }
}
