package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;

/** Usage errors are found before any case runs, and their messages say what is wrong once. */
class UsageErrorsTest {
    @TempDir
    Path tmp;

    static final AtomicInteger CALLS = new AtomicInteger();

    /** Counts forward calls, so a test can tell whether any case ran. */
    public static final class Counting extends NamedReference {
        public Counting() {
            super("counting");
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            CALLS.incrementAndGet();
            return super.forward(call);
        }
    }

    /** An adapter whose name cannot name report files. */
    public static final class BadName extends NamedReference {
        public BadName() {
            super("../my lstm");
        }
    }

    private KitCliTest.Run run(String... extra) {
        CALLS.set(0);
        String[] base = {"run", "--impl", Counting.class.getName(), "--include", "lstm/*"};
        KitCliTest.Run r = KitCliTest.cli(KitCliTest.concat(base, extra));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(CALLS.get()).as("no case ran before the usage error").isZero();
        return r;
    }

    @Test
    void reportFolderNotesFileAndAdapterNameAreCheckedBeforeAnyCaseRuns() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThat(run("--report-dir", file.toString()).err()).contains("--report-dir " + file + " is not a directory");

        Path rep = Files.createDirectories(tmp.resolve("rep"));
        Files.createDirectories(rep.resolve("counting.md"));
        assertThat(run("--report-dir", rep.toString()).err()).contains("counting.md is a directory");

        Path missing = tmp.resolve("notes.md");
        String err = run("--report-dir", tmp.resolve("r2").toString(), "--notes-file", missing.toString()).err();
        assertThat(err).contains("--notes-file " + missing + " does not exist");
        assertThat(err.indexOf(missing.toString())).as("the path is named once").isEqualTo(err.lastIndexOf(missing.toString()));

        assertThat(run("--report-dir", tmp.resolve("r3").toString(), "--xfail", tmp.toString()).err())
                .contains(tmp + " is a directory; expected a regular file");

        CALLS.set(0);
        KitCliTest.Run bad = KitCliTest.cli("run", "--impl", BadName.class.getName(), "--include", "lstm/*",
                "--report-dir", tmp.resolve("r4").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("name() '../my lstm'").contains("letters, digits");
        assertThat(CALLS.get()).isZero();
        assertThat(Files.exists(tmp.resolve("r4"))).isFalse();
    }

    @Test
    void verifyNamesAMissingOrWrongFolderOnce() throws IOException {
        Path cases = tmp.resolve("cases");
        KitCliTest.Run ex = KitCliTest.cli("export", "--out", cases.toString(), "--include", "lstm/t1__float32");
        assertThat(ex.exit()).as(ex.err()).isZero();
        Path missing = tmp.resolve("no-results");
        KitCliTest.Run r = KitCliTest.cli("verify", "--cases", cases.toString(), "--results", missing.toString(),
                "--report-dir", tmp.resolve("rep").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--results " + missing + " does not exist");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThat(KitCliTest.cli("verify", "--cases", cases.toString(), "--results", file.toString()).err())
                .contains("--results " + file + " is not a directory");
        assertThat(KitCliTest.cli("verify", "--cases", missing.toString(), "--results", cases.toString()).err())
                .contains("--cases " + missing + " does not exist");
        assertThat(Files.exists(tmp.resolve("rep"))).isFalse();
    }
}
