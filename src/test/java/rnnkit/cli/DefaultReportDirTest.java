package rnnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.golden.GoldenCorpus;

/**
 * An ad-hoc run without {@code --report-dir} writes under {@code target/rnnkit-reports/} of the working directory,
 * never into {@code reports/}, where the committed reports live.
 */
class DefaultReportDirTest {

    @Test
    void anAdHocRunWritesUnderTargetNotIntoReports(@TempDir Path cwd) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "--impl", "reference",
                "--include", "lstm/t1*", "--corpus", GoldenCorpus.defaultRoot().toAbsolutePath().toString(),
                "--format", "md"))
                .directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(cwd.resolve("out.txt").toFile()).start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        } finally {
            child.destroyForcibly(); // never left running, also when it timed out
            child.waitFor();
        }
        String out = Files.readString(cwd.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(out).isZero();
        Path report = cwd.resolve("target/rnnkit-reports/reference.md");
        assertThat(report).exists();
        assertThat(out).contains("report: " + Path.of("target", "rnnkit-reports", "reference.md"));
        assertThat(Files.readString(report)).contains("Verdict: **PASS**");
        assertThat(cwd.resolve("reports")).doesNotExist();
    }
}
