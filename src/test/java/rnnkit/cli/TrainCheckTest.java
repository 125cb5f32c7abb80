package rnnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.MiniCorpus;
import rnnkit.training.TrajectoryReport;

/**
 * {@code rnnkit train-check} writes its report as the kit writes every report: never through a file or symbolic
 * link planted in the report folder, and not into a chart folder that is a link.
 */
class TrainCheckTest {
    static final String TRAJECTORY = "trajectories/reuters_simple_rnn50_dense46_softmax_sgd__float64";

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
        String md = Files.readString(dir.resolve(TrajectoryReport.FILE));
        assertThat(md).contains("**FAIL**").contains("1 of 1 replays within tolerance").contains("1 ERROR")
                .contains("## Errors").contains(bad + ": ERROR, cannot load the trajectory").contains("SHA-256")
                .contains("## " + TRAJECTORY);
        assertThat(r.out()).contains("FAIL (1 ERROR)");
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
        assertThat(Files.readString(dir.resolve(TrajectoryReport.FILE))).contains("**FAIL**")
                .contains("ERROR, cannot replay");
    }

    /** An adapter whose backward never returns (and ignores interrupts). */
    public static final class NeverReturns extends rnnkit.kit.NamedReference {
        public NeverReturns() {
            super("never-returns");
        }

        @Override
        public rnnkit.model.LayerGradients backward(rnnkit.model.LayerCall call, rnnkit.model.LayerOutputs cotangent) {
            while (true) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    @Test
    void aReplayOverItsTimeLimitIsThatReplaysErrorAndTheReportIsWritten(@TempDir Path dir) throws IOException {
        long start = System.nanoTime();

        Run r = trainCheck("--impl", NeverReturns.class.getName(), "--include", TRAJECTORY, "--timeout", "4",
                "--report-dir", dir.toString());

        assertThat((System.nanoTime() - start) / 1e9).as("the replay given up after 4 s").isLessThan(60);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(KitCommands.FAILURES);
        String md = Files.readString(dir.resolve(TrajectoryReport.FILE));
        assertThat(md).contains("**FAIL**").contains("## Errors")
                .contains(TRAJECTORY + " (never-returns): ERROR, timed out after 4 s (--timeout)")
                .doesNotContain("(reference): ERROR");
        assertThat(r.out()).contains("FAIL (1 ERROR)");
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
        assertThat(Files.readString(dir.resolve(TrajectoryReport.FILE))).contains("## Errors")
                .contains(TRAJECTORY + " (throws-error): ERROR, the replay threw java.lang.AssertionError: internal "
                        + "invariant broken (an implementation error)");
    }

    @Test
    void plantedSymbolicLinksInTheReportFolderAreNeverWrittenThrough(@TempDir Path tmp) throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dir = Files.createDirectories(tmp.resolve("reports"));
        Path charts = Files.createDirectories(dir.resolve(TrajectoryReport.CHARTS));
        List<Path> victims = new ArrayList<>();
        List<Path> planted = List.of(dir.resolve("." + TrajectoryReport.FILE + ".tmp"), dir.resolve(TrajectoryReport.FILE),
                charts.resolve(TrajectoryReport.chartFile(TRAJECTORY)),
                charts.resolve(TrajectoryReport.errorChartFile(TRAJECTORY)));
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
        assertThat(Files.readString(dir.resolve(TrajectoryReport.FILE))).contains(TRAJECTORY).contains("**PASS**");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp") && !f.equals(
                    "." + TrajectoryReport.FILE + ".tmp"));
        }
    }

    @Test
    void aChartFolderThatIsASymbolicLinkIsRefusedAndNothingIsWrittenThrough(@TempDir Path tmp) throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dir = Files.createDirectories(tmp.resolve("reports"));
        Files.createSymbolicLink(dir.resolve(TrajectoryReport.CHARTS), outside);

        Run r = trainCheck(dir);

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(KitCommands.USAGE_ERROR);
        assertThat(r.err()).contains("symbolic link");
        try (var s = Files.list(outside)) {
            assertThat(s).as("files written through the link").isEmpty();
        }
    }
}
