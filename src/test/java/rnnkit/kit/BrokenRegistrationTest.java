package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;

/**
 * Broken adapters on --classpath: a ServiceLoader entry naming a missing class, a constructor that throws, a missing
 * native library, two implementations with one name, and Java Errors thrown while a case runs.
 */
class BrokenRegistrationTest {
    @TempDir
    Path tmp;

    public static final class ThrowingConstructor extends NamedReference {
        public ThrowingConstructor() {
            super("throwing");
            throw new IllegalStateException("license server unreachable");
        }
    }

    public static final class MissingNativeLibrary extends NamedReference {
        public MissingNativeLibrary() {
            super("native");
            System.loadLibrary("rnnkit-no-such-native-library");
        }
    }

    public static class Twin extends NamedReference {
        public Twin() {
            super("twin");
        }
    }

    public static final class OtherTwin extends Twin {
    }

    /** Throws a Java Error (not an Exception) from forward. */
    public static final class ThrowsError extends NamedReference {
        public ThrowsError() {
            super("throws-error");
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            throw new AssertionError("internal invariant broken");
        }
    }

    private Path services(String name, String... entries) throws IOException {
        Path dir = tmp.resolve(name);
        Path f = dir.resolve("META-INF/services/" + RnnImplementation.class.getName());
        Files.createDirectories(f.getParent());
        Files.write(f, List.of(entries));
        return dir;
    }

    @Test
    void brokenEntriesAreListedWithTheirRootCauseAndTheOthersStillRun() throws IOException {
        Path cp = services("broken", "com.example.NoSuchAdapter", ThrowingConstructor.class.getName(),
                MissingNativeLibrary.class.getName());
        KitCliTest.Run list = KitCliTest.cli("list-implementations", "--classpath", cp.toString());
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("reference\trnnkit.reference.ReferenceRnn")
                .contains("(unavailable)\tcom.example.NoSuchAdapter\t")
                .contains("(unavailable)\t" + ThrowingConstructor.class.getName() + "\tlicense server unreachable")
                .contains("(unavailable)\t" + MissingNativeLibrary.class.getName() + "\tno rnnkit-no-such-native-library");

        KitCliTest.Run other = KitCliTest.cli("run", "--impl", "reference", "--classpath", cp.toString(), "--include",
                "lstm/t1*", "--report-dir", tmp.resolve("rep").toString(), "--format", "md");
        assertThat(other.exit()).as(other.out() + other.err()).isZero();

        for (Class<?> c : List.of(ThrowingConstructor.class, MissingNativeLibrary.class)) {
            KitCliTest.Run r = KitCliTest.cli("run", "--impl", c.getName(), "--classpath", cp.toString(), "--include",
                    "lstm/t1*", "--report-dir", tmp.resolve("rep").toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("rnnkit: " + (c == ThrowingConstructor.class ? "license server unreachable"
                    : "no rnnkit-no-such-native-library"));
        }
    }

    @Test
    void twoImplementationsWithOneNameAreAnErrorNamingBothClasses() throws IOException {
        Path cp = services("twins", Twin.class.getName(), OtherTwin.class.getName());
        KitCliTest.Run list = KitCliTest.cli("list-implementations", "--classpath", cp.toString());
        assertThat(list.exit()).isEqualTo(2);
        assertThat(list.err()).contains("two implementations are named 'twin'").contains(Twin.class.getName())
                .contains(OtherTwin.class.getName());
        KitCliTest.Run run = KitCliTest.cli("run", "--impl", "twin", "--classpath", cp.toString(), "--include", "lstm/t1*",
                "--report-dir", tmp.resolve("rep").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("two implementations are named 'twin'").contains(OtherTwin.class.getName());
    }

    @Test
    void aJavaErrorFromAnAdapterIsAnImplementationErrorNotARunnerFailure() throws IOException {
        Path rep = tmp.resolve("rep");
        KitCliTest.Run r = KitCliTest.cli("run", "--impl", ThrowsError.class.getName(), "--include", "lstm/t1*",
                "--report-dir", rep.toString(), "--format", "md");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(KitCliTest.table(rep.resolve("throws-error.md")).values()).isNotEmpty().allSatisfy(row -> {
            assertThat(row[0]).isEqualTo("ERROR");
            assertThat(row[1]).contains("forward threw java.lang.AssertionError: internal invariant broken")
                    .contains("an implementation error").doesNotContain("runner failure");
        });
    }
}
