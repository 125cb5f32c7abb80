package rnnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.MiniCorpus;
import rnnkit.kit.ReportSet;
import rnnkit.training.TrajectoryReport;

/**
 * {@code rnnkit train-check} writes its report as the kit writes every report, one report set (Markdown, HTML, charts,
 * manifest): never through a file or symbolic link planted in the report folder.
 */
class TrainCheckTest {
    static final String TRAJECTORY = "trajectories/reuters_simple_rnn50_dense46_softmax_sgd__float64";
    static final String MD = TrajectoryReport.BASE_NAME + ".md";
    static final String HTML = TrajectoryReport.BASE_NAME + ".html";
    static final String LOSS_CHART = TrajectoryReport.BASE_NAME + "." + TrajectoryReport.chartName(TRAJECTORY) + ".png";
    static final String ERROR_CHART = TrajectoryReport.BASE_NAME + "." + TrajectoryReport.chartName(TRAJECTORY)
            + "-errors.png";

    record Run(int exit, String out, String err) {
    }

    static Run trainCheck(Path reportDir) {
        return trainCheck("--impl", "reference", "--include", TRAJECTORY, "--report-dir", reportDir.toString());
    }

    static Run trainCheck(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("train-check"));
        all.addAll(List.of(args));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** A corpus of two committed trajectories (and no call cases), its manifest hashed from the files. */
    static Path twoTrajectories(Path root, String... names) throws IOException {
        Path real = GoldenCorpus.defaultRoot();
        for (String n : names) {
            Files.createDirectories(root.resolve(n));
            try (var s = Files.list(real.resolve(n))) {
                for (Path p : s.toList()) {
                    Files.copy(p, root.resolve(n).resolve(p.getFileName()));
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode corpus = (ObjectNode) json.readTree(real.resolve("corpus.json").toFile());
        corpus.putArray("cases");
        corpus.put("case_count", 0);
        ArrayNode t = corpus.putArray("trajectories");
        for (String n : names) {
            t.add(n);
        }
        corpus.put("trajectory_count", names.length);
        Files.writeString(root.resolve("corpus.json"), json.writeValueAsString(corpus));
        MiniCorpus.rehash(root);
        return root;
    }

    @Test
    void aCorruptTrajectoryIsOneErrorAndTheOthersAreReplayedAndReported(@TempDir Path tmp) throws IOException {
        String bad = "trajectories/mnist_lstm50_dense10_softmax_sgd__float64";
        Path corpus = twoTrajectories(tmp.resolve("golden"), bad, TRAJECTORY);
        Path losses = corpus.resolve(bad).resolve("losses.npy");
        byte[] b = Files.readAllBytes(losses);
        b[b.length - 1] ^= 1; // after the manifest was hashed: the hash check refuses it
        Files.write(losses, b);
        Path dir = tmp.resolve("reports");

        Run r = trainCheck("--impl", "reference", "--corpus", corpus.toString(), "--report-dir", dir.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(KitCommands.FAILURES);
        String md = Files.readString(dir.resolve(MD));
        assertThat(md).contains("**FAIL**").contains("1 of 1 replays within tolerance").contains("1 ERROR")
                .contains("## Errors").contains(bad + ": ERROR, cannot load the trajectory").contains("SHA-256")
                .contains("## " + TRAJECTORY);
        assertThat(r.out()).contains("FAIL (1 ERROR)");
        Map<String, String> set = ReportSet.read(dir, TrajectoryReport.BASE_NAME);
        assertThat(set.get(MD)).isEqualTo(md);
        assertThat(new ObjectMapper().readTree(dir.resolve("training" + ReportSet.MANIFEST_SUFFIX).toFile())
                .get("verdict").asText()).isEqualTo("FAIL: 1 of 1 replays within tolerance at every step; 1 ERROR");
        assertThat(set.get(HTML)).contains("<strong>FAIL</strong>").contains("1 of 1 replays within tolerance")
                .contains("<h2>Errors</h2>").contains(bad + ": ERROR, cannot load the trajectory")
                .contains("<h2>" + TRAJECTORY + "</h2>").doesNotContain("<h2>" + bad + "</h2>");
    }

    @Test
    void theReportIsOneTrustedSetOfMarkdownHtmlChartsAndManifest(@TempDir Path dir) throws IOException {
        Run r = trainCheck(dir);

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("report: " + dir.resolve(MD)).contains("report: " + dir.resolve(HTML));
        Map<String, String> set = ReportSet.read(dir, TrajectoryReport.BASE_NAME); // every file matches its SHA-256
        assertThat(set.keySet()).containsExactly(MD, HTML);
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("training" + ReportSet.MANIFEST_SUFFIX).toFile());
        assertThat(manifest.get("verdict").asText()).isEqualTo("PASS: 1 of 1 replays within tolerance at every step");
        List<String> charts = new ArrayList<>();
        manifest.get("charts").fieldNames().forEachRemaining(charts::add);
        assertThat(charts).containsExactly(LOSS_CHART, ERROR_CHART);
        String id = manifest.get("report_set").asText();
        String md = set.get(MD);
        assertThat(md).startsWith("<!-- rnnkit report set " + id + " -->")
                .as("the command the report names selects what was replayed")
                .contains("- Command: `./rnnkit train-check --impl reference --include '" + TRAJECTORY + "' --report-dir ")
                .contains("), 1 trajectory\n").contains("**PASS** — 1 of 1 replays within tolerance")
                .contains("(" + LOSS_CHART + ")")
                .contains("(" + ERROR_CHART + ")");
        String html = set.get(HTML);
        assertThat(html).contains("<meta name=\"rnnkit-report-set\" content=\"" + id + "\">")
                .contains("<strong>PASS</strong> — 1 of 1 replays within tolerance").contains("<h2>" + TRAJECTORY + "</h2>")
                .contains("<th>reference loss error</th>");
        for (String chart : charts) {
            byte[] png = Files.readAllBytes(dir.resolve(chart));
            assertThat(rnnkit.report.Charts.pngChunks(png)).as(chart).startsWith("IHDR").endsWith("IEND");
            assertThat(html).as("the HTML embeds " + chart).contains("base64," + Base64.getEncoder().encodeToString(png));
        }
        assertThat(html).contains("alt=\"loss per step: Keras and the replays\"")
                .contains("alt=\"errors per step against their tolerances\"");

        // the committed report is regenerated and compared: the same replays rewrite the same bytes
        Map<String, String> first = sha256s(dir);
        assertThat(trainCheck(dir).exit()).isZero();
        assertThat(sha256s(dir)).as("the folder's files (SHA-256) after a second run").isEqualTo(first);
    }

    /** File name to SHA-256 of every file in the folder. */
    static Map<String, String> sha256s(Path dir) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), rnnkit.golden.CorpusManifest.sha256(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    @Test
    void aFormatTheTrainingReportHasNotIsAUsageErrorBeforeAnyReplay(@TempDir Path dir) throws IOException {
        Run r = trainCheck("--impl", "reference", "--include", TRAJECTORY, "--format", "md,junit", "--report-dir",
                dir.toString());

        assertThat(r.exit()).isEqualTo(KitCommands.USAGE_ERROR);
        assertThat(r.err()).contains("unknown report format 'junit' for the training report; expected md or html");
        assertThat(r.out()).doesNotContain("pass");
        try (var s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }

    /** An adapter that calls itself "reference" and cannot compute gradients. */
    public static final class CalledReference extends rnnkit.kit.NamedReference {
        public CalledReference() {
            super("reference");
        }
    }

    @Test
    void anAdapterNamedReferenceIsReplayedNotSkipped(@TempDir Path dir) throws IOException {
        Run r = trainCheck("--impl", CalledReference.class.getName(), "--include", TRAJECTORY, "--report-dir",
                dir.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(KitCommands.FAILURES);
        assertThat(Files.readString(dir.resolve(MD))).contains("**FAIL**")
                .contains("ERROR, cannot replay");
    }

    /** An adapter whose backward does not return (and ignores interrupts) until the test releases it. */
    public static final class NeverReturns extends rnnkit.kit.NamedReference {
        static volatile boolean released;

        public NeverReturns() {
            super("never-returns");
        }

        @Override
        public rnnkit.model.LayerGradients backward(rnnkit.model.LayerCall call, rnnkit.model.LayerOutputs cotangent) {
            while (!released) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
            throw new IllegalStateException("released by the test");
        }
    }

    /** An adapter whose every backward takes 300 ms whatever the interrupt status (a slow computation), counted. */
    public static final class SlowGradients extends rnnkit.kit.NamedReference {
        static final java.util.concurrent.atomic.AtomicInteger BACKWARDS = new java.util.concurrent.atomic.AtomicInteger();
        private final rnnkit.reference.ReferenceRnn reference = new rnnkit.reference.ReferenceRnn();

        public SlowGradients() {
            super("slow-gradients");
        }

        @Override
        public rnnkit.model.LayerGradients backward(rnnkit.model.LayerCall call, rnnkit.model.LayerOutputs cotangent) {
            BACKWARDS.incrementAndGet();
            long end = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < end) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
            return reference.backward(call, cotangent);
        }
    }

    /**
     * A replay given up on stops at its next step instead of running on beside the next replay (its steps would
     * take the cores the next replay is timed on); here 20 steps of 300 ms each, given up after 3 s.
     */
    @Test
    void aReplayOverItsTimeLimitStopsAtItsNextStep(@TempDir Path dir) throws Exception {
        Run r = trainCheck("--impl", SlowGradients.class.getName(), "--include", TRAJECTORY, "--timeout", "3",
                "--report-dir", dir.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(KitCommands.FAILURES);
        assertThat(r.out()).contains("(slow-gradients): ERROR, timed out after 3 s (--timeout)");
        Thread.sleep(1000); // the step under way when the time ran out ends within 300 ms
        int stopped = SlowGradients.BACKWARDS.get();
        Thread.sleep(1000);
        assertThat(SlowGradients.BACKWARDS.get()).as("backward calls of the replay given up on, 1 s apart")
                .isEqualTo(stopped).isLessThan(20);
    }

    @Test
    void aReplayOverItsTimeLimitIsThatReplaysErrorAndTheReportIsWritten(@TempDir Path dir) throws IOException {
        long start = System.nanoTime();

        Run r;
        try {
            r = trainCheck("--impl", NeverReturns.class.getName(), "--include", TRAJECTORY, "--timeout", "4",
                    "--report-dir", dir.toString());
        } finally {
            NeverReturns.released = true; // its thread ends: no test leaves a thread running
        }

        assertThat((System.nanoTime() - start) / 1e9).as("the replay given up after 4 s").isLessThan(60);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(KitCommands.FAILURES);
        String md = Files.readString(dir.resolve(MD));
        assertThat(md).contains("**FAIL**").contains("## Errors")
                .contains(TRAJECTORY + " (never-returns): ERROR, timed out after 4 s (--timeout)")
                .doesNotContain("(reference): ERROR");
        assertThat(r.out()).contains("FAIL (1 ERROR)");
    }

    /** The reference with every weight gradient doubled. */
    public static final class DoubledGradients extends rnnkit.kit.NamedReference {
        private final rnnkit.reference.ReferenceRnn reference = new rnnkit.reference.ReferenceRnn();

        public DoubledGradients() {
            super("doubled-gradients");
        }

        @Override
        public rnnkit.model.LayerGradients backward(rnnkit.model.LayerCall call, rnnkit.model.LayerOutputs cotangent) {
            rnnkit.model.LayerGradients g = reference.backward(call, cotangent);
            List<rnnkit.model.Tensor> w = new ArrayList<>();
            for (rnnkit.model.Tensor t : g.weights()) {
                double[] d = t.data().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] *= 2;
                }
                w.add(rnnkit.model.Tensor.of(d, t.shape()));
            }
            return new rnnkit.model.LayerGradients(g.inputs(), w, g.initialStates());
        }
    }

    /**
     * What the report says a replay can miss is so: gradients all doubled pass the float32 Adam replay and fail the
     * float64 Adam and both SGD replays.
     */
    @Test
    void aFloat32AdamReplayCannotSeeUniformlyScaledGradientsTheOtherReplaysCan(@TempDir Path dir) throws IOException {
        String adam32 = "trajectories/reuters_simple_rnn50_dense46_softmax_adam__float32";
        String adam64 = "trajectories/reuters_simple_rnn50_dense46_softmax_adam__float64";
        String sgd32 = "trajectories/reuters_simple_rnn50_dense46_softmax_sgd__float32";
        Run r = trainCheck("--impl", DoubledGradients.class.getName(), "--include", String.join(",", TRAJECTORY,
                adam32, adam64, sgd32), "--report-dir", dir.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(KitCommands.FAILURES);
        assertThat(r.out()).containsPattern(verdictLine(adam32, "pass")).containsPattern(verdictLine(adam64, "FAIL"))
                .containsPattern(verdictLine(sgd32, "FAIL")).containsPattern(verdictLine(TRAJECTORY, "FAIL"));
        assertThat(Files.readString(dir.resolve(MD))).contains("a float32 Adam replay, whose tolerance is wider than "
                + "that change, passes gradients that are all scaled alike");
    }

    private static String verdictLine(String trajectory, String verdict) {
        return "(?m)^" + java.util.regex.Pattern.quote(trajectory) + "\\s+doubled-gradients\\s+" + verdict + "\\s";
    }

    @Test
    void aTimeLimitBelowOneSecondIsAUsageError(@TempDir Path dir) {
        Run r = trainCheck("--impl", "reference", "--include", TRAJECTORY, "--timeout", "0", "--report-dir",
                dir.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--timeout is 0; expected at least 1 second");
    }

    @Test
    void anAdapterThatThrowsAnErrorIsThatReplaysErrorNotACrash(@TempDir Path dir) throws IOException {
        Run r = trainCheck("--impl", "rnnkit.kit.BrokenRegistrationTest$ThrowsError", "--include", TRAJECTORY,
                "--report-dir", dir.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(KitCommands.FAILURES);
        assertThat(Files.readString(dir.resolve(MD))).contains("## Errors")
                .contains(TRAJECTORY + " (throws-error): ERROR, the replay threw java.lang.AssertionError: internal "
                        + "invariant broken (an implementation error)");
    }

    @Test
    void plantedSymbolicLinksInTheReportFolderAreNeverWrittenThrough(@TempDir Path tmp) throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dir = Files.createDirectories(tmp.resolve("reports"));
        List<Path> victims = new ArrayList<>();
        List<Path> planted = List.of(dir.resolve("." + MD + ".tmp"), dir.resolve(MD), dir.resolve(HTML),
                dir.resolve("training" + ReportSet.MANIFEST_SUFFIX), dir.resolve(LOSS_CHART), dir.resolve(ERROR_CHART));
        for (Path link : planted) {
            Path victim = Files.writeString(outside.resolve("victim" + victims.size() + ".txt"), "keep me");
            victims.add(victim);
            Files.createSymbolicLink(link, victim);
        }

        Run r = trainCheck(dir);

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        for (Path victim : victims) {
            assertThat(Files.readString(victim)).as(victim.toString()).isEqualTo("keep me");
        }
        for (Path p : planted.subList(1, planted.size())) {
            assertThat(Files.isSymbolicLink(p)).as(p + " replaced by the report's own file").isFalse();
            assertThat(Files.size(p)).isPositive();
        }
        assertThat(Files.readString(dir.resolve(MD))).contains(TRAJECTORY).contains("**PASS**");
        assertThat(ReportSet.read(dir, TrajectoryReport.BASE_NAME)).containsOnlyKeys(MD, HTML);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp") && !f.equals(
                    "." + MD + ".tmp"));
        }
    }

    @Test
    void aTrainingEntryThatIsASymbolicLinkIsNeverWrittenThrough(@TempDir Path tmp) throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dir = Files.createDirectories(tmp.resolve("reports"));
        Path link = Files.createSymbolicLink(dir.resolve(TrajectoryReport.BASE_NAME), outside);

        Run r = trainCheck(dir);

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        try (var s = Files.list(outside)) {
            assertThat(s).as("files written through the link").isEmpty();
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.exists(dir.resolve(LOSS_CHART))).isTrue();
    }
}
