package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict parsing as golden/FORMAT.md says: format_version is the integer 2, shapes are arrays of non-negative ints
 * within int range, duplicate JSON keys are rejected, .npy shape digits are ASCII, and overflowing numbers are
 * reported as overflow, never clamped. Each defect is planted with the manifest re-hashed, so only the parser can
 * catch it.
 */
class StrictParsingTest {
    private static final String CASE = "gru/initial_state__float32";

    @TempDir
    Path tmp;
    Path mini;

    private int copies;

    @BeforeEach
    void copy() {
        mini = MiniCorpus.copy(tmp.resolve("golden" + copies++), CASE);
    }

    private void edit(String rel, String from, String to) throws IOException {
        Path f = mini.resolve(rel);
        String s = Files.readString(f);
        assertThat(s).as(rel).contains(from);
        Files.writeString(f, s.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        MiniCorpus.rehash(mini);
    }

    private void assertCaseRejected(String... message) {
        assertThatThrownBy(() -> GoldenCorpus.open(mini).load(CASE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(message);
    }

    @Test
    void formatVersionMustBeTheInteger2() throws IOException {
        for (String bad : new String[] {"1", "2.5", "4294967298", "\"2\"", "2.0", "true"}) {
            copy();
            edit(CASE + "/case.json", "\"format_version\":2", "\"format_version\":" + bad);
            assertCaseRejected("format_version");
            copy();
            String corpus = Files.readString(mini.resolve("corpus.json"));
            edit("corpus.json", corpus.contains("\"format_version\": 2") ? "\"format_version\": 2" : "\"format_version\":2",
                    "\"format_version\": " + bad);
            assertThatThrownBy(() -> GoldenCorpus.open(mini)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("format_version");
        }
        copy();
        edit(CASE + "/case.json", "\"format_version\":2", "\"format_version\":4294967298");
        assertCaseRejected("4294967298", "overflows");
    }

    @Test
    void shapesAreNonNegativeIntsWithinIntRange() throws IOException {
        String shape = "\"c0_inputs.npy\":{\"shape\":[";
        for (String[] bad : new String[][] {{"-1", "expected a size"}, {"1.5", "expected an integer"},
                {"4294967298", "overflows"}, {"\"2\"", "expected an integer"}}) {
            copy();
            String cj = Files.readString(mini.resolve(CASE + "/case.json"));
            int at = cj.indexOf(shape) + shape.length();
            String first = cj.substring(at, cj.indexOf(',', at));
            edit(CASE + "/case.json", shape + first, shape + bad[0]);
            assertCaseRejected("shape", bad[1]);
        }
    }

    @Test
    void duplicateJsonKeysAreRejected() throws IOException {
        edit(CASE + "/case.json", "\"format_version\":2", "\"format_version\":1,\"format_version\":1");
        assertCaseRejected("Duplicate field 'format_version'");
        copy();
        edit("corpus.json", "{", "{\"case_count\": 1, ");
        assertThatThrownBy(() -> GoldenCorpus.open(mini)).hasMessageContaining("Duplicate field 'case_count'");
    }

    @Test
    void unitsBeyondIntRangeAreOverflowNotWrappedOrClamped() throws IOException {
        // 2^64 + 3 wraps to 3 through BigInteger.longValue(): it must be refused
        edit(CASE + "/case.json", "\"units\":", "\"units\":18446744073709551619,\"units_was\":");
        assertCaseRejected("units");
    }

    @Test
    void npyShapeDigitsMustBeAsciiAndOverflowIsReportedAsSuch() {
        String arabicTwo = "\u0662"; // Long.parseLong accepts it; numpy never writes it
        byte[] unicode = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (" + arabicTwo + ",), }\n", 16);
        assertThatThrownBy(() -> NpyReader.parse(unicode, "x.npy")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed npy header");
        byte[] huge = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }\n", 8);
        assertThatThrownBy(() -> NpyReader.parse(huge, "x.npy")).hasMessageContaining("99999999999999999999")
                .hasMessageContaining("overflows").hasMessageNotContaining("9223372036854775807");
    }

    static byte[] npy(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        // format 3.0: UTF-8 header, 4-byte little-endian header length
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 3, 0}).putInt(h.length).put(h);
        return b.array();
    }
}
