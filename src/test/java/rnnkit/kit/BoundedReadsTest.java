package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.golden.BoundedFiles;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.MiniCorpus;

/**
 * Every read is bounded and of regular files only: a FIFO, a device, a directory or a 50 MB text in place of a
 * corpus file, a result file, a message file, an expected-failure list or a notes file gives a per-case ERROR or a
 * usage error — in a child JVM limited to -Xmx512m, so an unbounded read would crash it and a blocking one hang it.
 */
class BoundedReadsTest {
    static final String[] CASES = {"lstm/t1__float32", "gru/initial_state__float32", "simple_rnn/last_output__float64",
            "lstm/mask_holes_sequences__float64", "stateful/lstm_sequences__float32"};
    static final long FIFTY_MB = 50L << 20;

    @TempDir
    Path tmp;

    static void mkfifo(Path p) throws IOException, InterruptedException {
        Files.deleteIfExists(p);
        assertThat(new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor()).isZero();
    }

    static void fifty(Path p) throws IOException {
        Files.deleteIfExists(p);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(FIFTY_MB);
        }
    }

    static void replaceByLink(Path p, String target) throws IOException {
        Files.deleteIfExists(p);
        Files.createSymbolicLink(p, Path.of(target));
    }

    @Test
    void hostileCorpusFilesAreErrorsOfTheirCasesWithinAHalfGigabyteHeap() throws Exception {
        Path corpus = MiniCorpus.copy(tmp.resolve("golden"), CASES);
        mkfifo(corpus.resolve(CASES[1]).resolve("case.json"));
        replaceByLink(corpus.resolve(CASES[2]).resolve("c0_inputs.npy"), "/dev/zero");
        Files.delete(corpus.resolve(CASES[3]).resolve("case.json"));
        Files.createDirectories(corpus.resolve(CASES[3]).resolve("case.json"));
        fifty(corpus.resolve(CASES[4]).resolve("case.json"));
        MiniCorpus.rehash(corpus);

        ChildJvm.Result r = ChildJvm.rnnkit(tmp, Map.of(), "512m", 60, "run", "--impl", "reference", "--corpus",
                corpus.toString(), "--report-dir", "rep", "--format", "md");
        System.out.printf("BoundedReadsTest: hostile corpus run took %.1f s in a -Xmx512m JVM%n", r.seconds());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        Map<String, String[]> t = KitCliTest.table(tmp.resolve("rep/reference.md"));
        assertThat(t.get(CASES[0])[0]).isEqualTo("pass");
        assertThat(t.get(CASES[1])[1]).contains("case.json").contains("not a regular file (a FIFO");
        assertThat(t.get(CASES[2])[1]).contains("c0_inputs.npy").contains("not a regular file");
        assertThat(t.get(CASES[3])[1]).contains("case.json").contains("is a directory");
        assertThat(t.get(CASES[4])[1]).contains("has " + FIFTY_MB + " bytes; at most " + BoundedFiles.JSON_BYTES);
        for (int i = 1; i < CASES.length; i++) {
            assertThat(t.get(CASES[i])[0]).as(CASES[i]).isEqualTo("ERROR");
        }
    }

    @Test
    void hostileCommandLineFilesAreUsageErrors() throws Exception {
        Path fifo = tmp.resolve("xfail.fifo");
        mkfifo(fifo);
        Path big = tmp.resolve("big.txt");
        fifty(big);
        String[] base = {"run", "--impl", "reference", "--include", "lstm/t1*", "--report-dir", tmp.resolve("rep").toString()};
        // a FIFO would block and /dev/zero would exhaust the heap: those in a child JVM at -Xmx512m
        for (String[] bad : new String[][] {{"--xfail", fifo.toString(), "not a regular file"},
                {"--notes-file", "/dev/zero", "not a regular file"}}) {
            ChildJvm.Result r = ChildJvm.rnnkit(tmp, Map.of(), "512m", 60, KitCliTest.concat(base, bad[0], bad[1]));
            assertThat(r.exit()).as(String.join(" ", bad) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).contains(bad[1] + " ").contains(bad[2]);
        }
        for (String[] bad : new String[][] {{"--xfail", big.toString(), "has " + FIFTY_MB + " bytes"},
                {"--notes-file", tmp.toString(), "is a directory"}}) {
            KitCliTest.Run r = KitCliTest.cli(KitCliTest.concat(base, bad[0], bad[1]));
            assertThat(r.exit()).as(String.join(" ", bad) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).contains(bad[1] + " ").contains(bad[2]);
        }
        assertThat(Files.exists(tmp.resolve("rep"))).as("no report for a usage error").isFalse();
    }

    @Test
    void hostileResultAndExportFilesAreErrorsOrUsageErrors() throws Exception {
        Path cases = tmp.resolve("cases");
        ChildJvm.Result ex = ChildJvm.rnnkit(tmp, Map.of(), "512m", 60, "export", "--out", cases.toString(), "--include",
                String.join(",", List.of(CASES).subList(0, 4)));
        assertThat(ex.exit()).as(ex.err()).isZero();
        Path results = tmp.resolve("results");
        GoldenCorpus golden = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        for (int i = 0; i < 4; i++) {
            KitCliTest.writeReferenceResults(golden.load(CASES[i]), cases.resolve(CASES[i]), results.resolve(CASES[i]));
        }
        mkfifo(results.resolve(CASES[0]).resolve("c0_output_0.npy"));
        Files.createSymbolicLink(results.resolve(CASES[1]).resolve("unsupported.txt"), Path.of("/dev/urandom"));
        fifty(results.resolve(CASES[2]).resolve("error.txt"));
        Files.writeString(results.resolve(CASES[3]).resolve("error.txt"), "Traceback ".repeat(6000));
        ChildJvm.Result v = ChildJvm.rnnkit(tmp, Map.of(), "512m", 60, "verify", "--cases", cases.toString(),
                "--results", results.toString(), "--name", "hostile", "--report-dir", "rep", "--format", "md");
        System.out.printf("BoundedReadsTest: hostile result verify took %.1f s in a -Xmx512m JVM%n", v.seconds());
        assertThat(v.exit()).as(v.out() + v.err()).isEqualTo(1);
        Map<String, String[]> t = KitCliTest.table(tmp.resolve("rep/hostile.md"));
        assertThat(t.values()).allSatisfy(row -> assertThat(row[0]).isEqualTo("ERROR"));
        assertThat(t.get(CASES[0])[1]).contains("c0_output_0.npy").contains("not a regular file");
        assertThat(t.get(CASES[1])[1]).contains("unsupported.txt").contains("not a regular file");
        assertThat(t.get(CASES[2])[1]).contains("error.txt").contains("has " + FIFTY_MB + " bytes");
        assertThat(t.get(CASES[3])[1]).startsWith("the implementation reported an error: Traceback")
                .hasSizeLessThan(KitReport.MAX_REASON_CHARS + 40).contains("… (59037 more characters)");

        mkfifo(cases.resolve("export.json"));
        ChildJvm.Result fifoIndex = ChildJvm.rnnkit(tmp, Map.of(), "512m", 60, "verify", "--cases", cases.toString(),
                "--results", results.toString(), "--report-dir", "rep2");
        assertThat(fifoIndex.exit()).isEqualTo(2);
        assertThat(fifoIndex.err()).contains("export.json").contains("not a regular file");
    }
}
