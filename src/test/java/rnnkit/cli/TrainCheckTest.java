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
import picocli.CommandLine;
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
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("train-check", "--impl", "reference", "--include", TRAJECTORY, "--report-dir",
                reportDir.toString());
        return new Run(exit, out.toString(), err.toString());
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
