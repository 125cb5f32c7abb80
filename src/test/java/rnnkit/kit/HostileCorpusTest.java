package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.golden.MiniCorpus;

/**
 * One bad case is one ERROR, never a stopped run; export validates exactly as run does, never writes outside
 * --out and refuses to mix into a non-empty folder; verify refuses unusable message files and duplicate names.
 */
class HostileCorpusTest {
    static final String GOOD = "lstm/t1__float32";
    static final String BAD = "gru/initial_state__float32";
    static final String OTHER = "simple_rnn/last_output__float64";

    @TempDir
    Path tmp;
    Path corpus;

    @BeforeEach
    void copy() {
        corpus = MiniCorpus.copy(tmp.resolve("golden"), GOOD, BAD, OTHER);
    }

    private void corruptArrayOfBad() throws IOException {
        Path f = corpus.resolve(BAD).resolve("c0_inputs.npy");
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 1;
        Files.write(f, b);
    }

    private void rewriteCaseJson(String name, String from, String to) throws IOException {
        Path cj = corpus.resolve(name).resolve("case.json");
        String s = Files.readString(cj);
        assertThat(s).contains(from);
        Files.writeString(cj, s.replace(from, to));
        MiniCorpus.rehash(corpus);
    }

    @Test
    void aCorruptCaseIsOneErrorAndTheOtherCasesRunWithReportsWritten() throws IOException {
        corruptArrayOfBad();
        Path rep = tmp.resolve("rep");
        KitCliTest.Run r = KitCliTest.cli("run", "--impl", "reference", "--corpus", corpus.toString(),
                "--report-dir", rep.toString(), "--format", "md");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        Map<String, String[]> t = KitCliTest.table(rep.resolve("reference.md"));
        assertThat(t).hasSize(3);
        assertThat(t.get(BAD)[0]).isEqualTo("ERROR");
        assertThat(t.get(BAD)[1]).contains("cannot load the case").contains("c0_inputs.npy").contains("SHA-256");
        assertThat(t.get(GOOD)[0]).isEqualTo("pass");
        assertThat(t.get(OTHER)[0]).isEqualTo("pass");
    }

    @Test
    void exportLeavesABadCaseOutListsItAsAnErrorAndVerifyCountsIt() throws IOException {
        corruptArrayOfBad();
        Path out = tmp.resolve("cases");
        KitCliTest.Run ex = KitCliTest.cli("export", "--corpus", corpus.toString(), "--out", out.toString());
        assertThat(ex.exit()).as(ex.out() + ex.err()).isEqualTo(1);
        assertThat(ex.err()).contains("ERROR " + BAD).contains("SHA-256");
        CaseExport.ExportIndex idx = CaseExport.readExport(out);
        assertThat(idx.cases()).containsExactly(GOOD, OTHER);
        assertThat(idx.errors()).containsOnlyKeys(BAD);
        assertThat(Files.exists(out.resolve(BAD))).isFalse();

        Path results = tmp.resolve("results");
        for (String n : idx.cases()) {
            KitCliTest.writeReferenceResults(rnnkit.golden.GoldenCorpus.open(corpus).load(n), out.resolve(n), results.resolve(n));
        }
        Path rep = tmp.resolve("rep");
        KitCliTest.Run v = KitCliTest.cli("verify", "--corpus", corpus.toString(), "--cases", out.toString(), "--results",
                results.toString(), "--name", "x", "--report-dir", rep.toString(), "--format", "md");
        assertThat(v.exit()).isEqualTo(1);
        Map<String, String[]> t = KitCliTest.table(rep.resolve("x.md"));
        assertThat(t).hasSize(3);
        assertThat(t.get(BAD)[0]).isEqualTo("ERROR");
        assertThat(t.get(BAD)[1]).contains("export could not write this case");
    }

    @Test
    void arrayKeysThatArePathsNeverWriteOutsideOut() throws IOException {
        // a corpus deep enough that "../../../" from a case folder stays inside this test's folder
        corpus = MiniCorpus.copy(tmp.resolve("src/a/golden"), GOOD, BAD, OTHER);
        byte[] npy = Files.readAllBytes(corpus.resolve(BAD).resolve("c0_inputs.npy"));
        Files.write(corpus.getParent().resolve("PLANTED.npy"), npy); // what the key names, from the case folder
        // an existing file named by an absolute key, stored as npy 2.0 (a rewrite by rnnkit's writer would change it)
        int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(npy.length + 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(npy, 0, 6).put((byte) 2).put((byte) 0).putInt(headerLength).put(npy, 10, npy.length - 10);
        byte[] v2 = b.array();
        Path victim = Files.write(tmp.resolve("victim.npy"), v2);
        Path out = tmp.resolve("dst/b/cases");
        rewriteCaseJson(BAD, "\"c0_inputs.npy\":{", "\"../../../PLANTED.npy\":{\"shape\":[1],\"dtype\":\"<f4\"},"
                + "\"" + victim + "\":{\"shape\":[1],\"dtype\":\"<f4\"},\"c0_inputs.npy\":{");
        KitCliTest.Run ex = KitCliTest.cli("export", "--corpus", corpus.toString(), "--out", out.toString());
        try (var s = Files.walk(tmp.resolve("dst"))) {
            assertThat(s.filter(p -> !p.startsWith(out)).map(p -> p.getFileName().toString())).doesNotContain("PLANTED.npy");
        }
        assertThat(Files.readAllBytes(victim)).as("the file an absolute key names").isEqualTo(v2);
        assertThat(ex.exit()).isEqualTo(1);
        assertThat(ex.err()).contains("ERROR " + BAD).contains("is not a plain name.npy");
    }

    @Test
    void exportRefusesANonEmptyOutFolder() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("cases"));
        Files.writeString(out.resolve("old.txt"), "from before");
        KitCliTest.Run ex = KitCliTest.cli("export", "--corpus", corpus.toString(), "--out", out.toString());
        assertThat(ex.exit()).isEqualTo(2);
        assertThat(ex.err()).contains("--out " + out + " is not empty");
        try (var s = Files.list(out)) {
            assertThat(s.toList()).hasSize(1);
        }
    }

    @Test
    void caseJsonThatIsNotAnObjectOrHasCallsOfTheWrongTypeIsAnErrorNotAnException() throws IOException {
        for (String body : List.of("[]", "null", "{\"format_version\": 1, \"calls\": {}}", "\"text\"")) {
            copyFresh();
            Path cj = corpus.resolve(BAD).resolve("case.json");
            Files.writeString(cj, body);
            MiniCorpus.rehash(corpus);
            Path out = tmp.resolve("cases-" + body.hashCode());
            KitCliTest.Run ex = KitCliTest.cli("export", "--corpus", corpus.toString(), "--out", out.toString());
            assertThat(ex.exit()).as(body + ": " + ex.err()).isEqualTo(1);
            assertThat(ex.err()).as(body).contains("ERROR " + BAD).doesNotContain("Exception:");
            KitCliTest.Run run = KitCliTest.cli("run", "--impl", "reference", "--corpus", corpus.toString(),
                    "--report-dir", tmp.resolve("rep").toString(), "--format", "md");
            assertThat(run.exit()).as(body).isEqualTo(1);
        }
        copyFresh();
        rewriteCaseJson(BAD, "\"calls\":[", "\"calls\":{\"a\":[");
        KitCliTest.Run run = KitCliTest.cli("run", "--impl", "reference", "--corpus", corpus.toString(),
                "--report-dir", tmp.resolve("rep2").toString(), "--format", "md");
        assertThat(run.exit()).isEqualTo(1);
    }

    private int fresh;

    private void copyFresh() {
        corpus = MiniCorpus.copy(tmp.resolve("golden" + fresh++), GOOD, BAD, OTHER);
    }

    @Test
    void verifyRefusesUnusableMessageFilesAndDuplicateNames() throws IOException {
        Path out = tmp.resolve("cases");
        assertThat(KitCliTest.cli("export", "--corpus", corpus.toString(), "--out", out.toString()).exit()).isZero();
        Path results = tmp.resolve("results");
        Path dirAsUnsupported = Files.createDirectories(results.resolve(GOOD).resolve("unsupported.txt"));
        Files.createDirectories(results.resolve(BAD));
        Files.write(results.resolve(BAD).resolve("unsupported.txt"), new byte[] {'n', 'o', (byte) 0xC3, (byte) 0x28});
        Files.createDirectories(results.resolve(OTHER));
        Files.writeString(results.resolve(OTHER).resolve("unsupported.txt"), "no float64");
        Files.writeString(results.resolve(OTHER).resolve("error.txt"), "crashed");
        Path rep = tmp.resolve("rep");
        KitCliTest.Run v = KitCliTest.cli("verify", "--corpus", corpus.toString(), "--cases", out.toString(), "--results",
                results.toString(), "--name", "x", "--report-dir", rep.toString(), "--format", "md");
        assertThat(v.exit()).isEqualTo(1);
        Map<String, String[]> t = KitCliTest.table(rep.resolve("x.md"));
        assertThat(t.get(GOOD)).as("unsupported.txt is a directory: %s", dirAsUnsupported).containsExactly("ERROR",
                t.get(GOOD)[1]);
        assertThat(t.get(GOOD)[1]).contains("is a directory");
        assertThat(t.get(BAD)[0]).isEqualTo("ERROR");
        assertThat(t.get(BAD)[1]).contains("not valid UTF-8");
        assertThat(t.get(OTHER)[0]).isEqualTo("ERROR");
        assertThat(t.get(OTHER)[1]).contains("both unsupported.txt and error.txt");

        Files.writeString(out.resolve("export.json"), "{\"protocol_version\": 1, \"cases\": [\"" + GOOD + "\", \""
                + GOOD + "\"]}");
        KitCliTest.Run dup = KitCliTest.cli("verify", "--corpus", corpus.toString(), "--cases", out.toString(),
                "--results", results.toString(), "--report-dir", tmp.resolve("rep2").toString());
        assertThat(dup.exit()).isEqualTo(2);
        assertThat(dup.err()).contains("lists case '" + GOOD + "' twice");
        Files.writeString(out.resolve("export.json"), "{\"protocol_version\": 1, \"cases\": [\"" + GOOD + "\"], \"cases\": []}");
        assertThat(KitCliTest.cli("verify", "--corpus", corpus.toString(), "--cases", out.toString(),
                "--results", results.toString()).err()).contains("Duplicate field 'cases'");
    }
}
