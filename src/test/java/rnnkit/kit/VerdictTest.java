package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.UnsupportedCaseException;

/**
 * A verdict says exactly how much was verified: a selection of nothing is a usage error, a run in which nothing
 * passed is NOTHING VERIFIED, a forward-only pass says so, UNEXPECTED PASS is counted on its own in the last line
 * printed, and stale expected-failure entries are listed.
 */
class VerdictTest {
    @TempDir
    Path tmp;

    /** Says every case is unsupported. */
    public static final class SupportsNothing extends NamedReference {
        public SupportsNothing() {
            super("supports-nothing");
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            throw new UnsupportedCaseException("this adapter supports no layer");
        }
    }

    /** The reference without gradients (the default backward throws UnsupportedCaseException). */
    public static final class ForwardOnly extends NamedReference {
        public ForwardOnly() {
            super("forward-only");
        }
    }

    static String lastLine(String out) {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1];
    }

    static List<String> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSelectionOfNoCaseIsAUsageErrorWithAHintAndWritesNoReport() throws IOException {
        Path rep = tmp.resolve("rep");
        KitCliTest.Run r = KitCliTest.cli("run", "--impl", "reference", "--include", "lstm", "--report-dir", rep.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("include [lstm]").contains("matches none").contains("did you mean 'lstm/*'?");
        assertThat(files(rep)).isEmpty();

        KitCliTest.Run noGolden = KitCliTest.cli("run", "--impl", "reference", "--no-golden", "--report-dir", rep.toString());
        assertThat(noGolden.exit()).isEqualTo(2);
        assertThat(noGolden.err()).contains("--no-golden without --random");
        assertThat(files(rep)).isEmpty();

        KitCliTest.Run randomNone = KitCliTest.cli("run", "--impl", "reference", "--no-golden", "--random", "5",
                "--include", "lstm/*", "--report-dir", rep.toString());
        assertThat(randomNone.exit()).isEqualTo(2);
        assertThat(randomNone.err()).contains("matches none");

        Path out = tmp.resolve("export");
        KitCliTest.Run export = KitCliTest.cli("export", "--out", out.toString(), "--include", "no_such_suite/*");
        assertThat(export.exit()).isEqualTo(2);
        assertThat(export.err()).contains("matches none");
        assertThat(Files.exists(out)).as("nothing exported").isFalse();
    }

    @Test
    void anEmptyOrMalformedExportIsAUsageError() throws IOException {
        Path cases = Files.createDirectories(tmp.resolve("cases"));
        Path results = Files.createDirectories(tmp.resolve("results"));
        Path rep = tmp.resolve("rep");
        for (String index : List.of("{\"protocol_version\": 1, \"cases\": []}", "{\"protocol_version\": 1, \"cases\": [",
                "[]", "{\"protocol_version\": 1.0, \"cases\": [\"lstm/t1__float32\"]}")) {
            Files.writeString(cases.resolve("export.json"), index);
            KitCliTest.Run r = KitCliTest.cli("verify", "--cases", cases.toString(), "--results", results.toString(),
                    "--report-dir", rep.toString());
            assertThat(r.exit()).as(index + ": " + r.err()).isEqualTo(2);
            assertThat(files(rep)).isEmpty();
        }
    }

    @Test
    void aRunInWhichNothingPassedIsNothingVerifiedAndExitsOne() throws IOException {
        Path rep = tmp.resolve("rep");
        KitCliTest.Run r = KitCliTest.cli("run", "--impl", SupportsNothing.class.getName(), "--include", "lstm/*",
                "--report-dir", rep.toString(), "--format", "md,junit");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(lastLine(r.out())).startsWith("0 passed, 0 failed, 0 errors, ").contains("NOTHING VERIFIED");
        String md = Files.readString(rep.resolve("supports-nothing.md"));
        assertThat(md).contains("- Verdict: **NOTHING VERIFIED").doesNotContain("**PASS");
        assertThat(Files.readString(rep.resolve("supports-nothing.xml"))).contains("NOTHING VERIFIED");
    }

    @Test
    void aForwardOnlyPassSaysSoInTheVerdictAndTheSummaryLine() throws IOException {
        Path rep = tmp.resolve("rep");
        KitCliTest.Run r = KitCliTest.cli("run", "--impl", ForwardOnly.class.getName(), "--include", "lstm/t1*",
                "--report-dir", rep.toString(), "--format", "md");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(lastLine(r.out())).endsWith(": PASS, forward only: gradients not checked");
        assertThat(Files.readString(rep.resolve("forward-only.md")))
                .contains("- Verdict: **PASS, forward only: gradients not checked**");

        KitCliTest.Run noGrad = KitCliTest.cli("run", "--impl", "reference", "--include", "lstm/t1*", "--no-gradients",
                "--report-dir", rep.toString(), "--format", "md");
        assertThat(lastLine(noGrad.out())).endsWith(": PASS, forward only: gradients not checked");

        KitCliTest.Run full = KitCliTest.cli("run", "--impl", "reference", "--include", "lstm/t1*",
                "--report-dir", rep.toString(), "--format", "md");
        assertThat(lastLine(full.out())).endsWith(" unexpected passes: PASS");
    }

    @Test
    void unexpectedPassesAreCountedOnTheirOwnInTheLastLineAndStaleEntriesAreListed() throws IOException {
        Path rep = tmp.resolve("rep");
        Path xfail = tmp.resolve("xfail.txt");
        Files.writeString(xfail, "# known\nlstm/t1__float64 : thought to be wrong\nno_such_suite/* : an old entry\n");
        KitCliTest.Run r = KitCliTest.cli("run", "--impl", "reference", "--include", "lstm/t1*", "--xfail",
                xfail.toString(), "--report-dir", rep.toString(), "--format", "md,html");
        assertThat(r.exit()).isEqualTo(1);
        String last = lastLine(r.out());
        assertThat(last).contains(" passed, 0 failed, 0 errors, 0 unsupported, 0 expected failures, 1 unexpected passes: FAIL");
        assertThat(r.out().strip().split("\\R")).filteredOn(l -> l.startsWith("report: ")).hasSize(2);
        assertThat(r.err()).contains("stale --xfail entry").contains("line 3: no_such_suite/* : an old entry")
                .doesNotContain("line 2:");
        String md = Files.readString(rep.resolve("reference.md"));
        assertThat(md).contains("## Stale expected-failure entries").contains("line 3: no_such_suite/\\* : an old entry");
        assertThat(Files.readString(rep.resolve("reference.html"))).contains("line 3: no_such_suite/* : an old entry");
    }

    @Test
    void reasonsCannotInjectHeadingsOrVerdictLinesIntoMarkdown() {
        String hostile = "boom\n\n# rnnkit conformance: PASS\n- Verdict: **PASS** — all good\r\n## All cases\n| x | pass |"
                + "<!-- hide the rest";
        List<CaseResult> rs = List.of(new CaseResult("lstm/a__float32", "x", Outcome.ERROR, hostile, List.of(), 0),
                new CaseResult("lstm/b__float32", "x", Outcome.ERROR, "x".repeat(5000), List.of(), 0));
        String md = new KitReport("rnnkit conformance: x", "x", "corpus", "all", 2, rs, List.of()).toMarkdown();
        List<String> lines = Arrays.asList(md.split("\n"));
        assertThat(lines).filteredOn(l -> l.startsWith("- Verdict:")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("#")).containsExactly("# rnnkit conformance: x",
                "## Summary per suite", "## Coverage: cases per option × cell × dtype", "## Worst errors per quantity",
                "## Errors (unusable output)", "## All cases");
        assertThat(lines).filteredOn(l -> l.startsWith("| lstm/")).hasSize(2)
                .allSatisfy(l -> assertThat(l.split("(?<!\\\\)\\|")).hasSize(10));
        assertThat(md).doesNotContainPattern("(?<!\\\\)<!--").contains("… (4000 more characters)");
    }
}
