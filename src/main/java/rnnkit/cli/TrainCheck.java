package rnnkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.TrajectoryCase;
import rnnkit.kit.CaseSelection;
import rnnkit.kit.Implementations;
import rnnkit.kit.ProgressBar;
import rnnkit.model.RnnImplementation;
import rnnkit.model.UnsupportedCaseException;
import rnnkit.reference.ReferenceRnn;
import rnnkit.training.TrajectoryCheck;
import rnnkit.training.TrajectoryReport;
import rnnkit.training.TrajectoryRun;

/**
 * {@code rnnkit train-check}: replays the golden training trajectories with the reference and an implementation,
 * compares both with Keras step by step and writes the trajectory report with its charts.
 */
@Command(name = "train-check", mixinStandardHelpOptions = true,
        description = {"Replays the golden training trajectories (SGD and Adam runs recorded in Keras) with the "
                + "reference and an implementation's own gradients, compares loss and weights with Keras at every "
                + "recorded step, and writes the training report (training.md, training.html, their charts and the "
                + "manifest training.report.json) with a loss chart and an error chart per trajectory.",
                "Exit code: 0 every replay within tolerance, 1 failures, 2 usage error."})
final class TrainCheck implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--impl", paramLabel = "NAME|CLASS",
            description = "implementation to replay besides the reference (default optimized); it must compute gradients")
    String impl = "optimized";

    @Option(names = "--classpath", split = "[:;,]", paramLabel = "JARS", description = "extra jars/folders holding the adapter")
    List<Path> classpath = new ArrayList<>();

    @Option(names = "--corpus", paramLabel = "DIR", description = "golden corpus root (default: the checkout's golden/)")
    Path corpus;

    @Option(names = "--include", split = ",", paramLabel = "GLOB",
            description = "only trajectories whose name matches one of these globs, e.g. 'trajectories/*adam*'")
    List<String> include = new ArrayList<>();

    @Option(names = "--report-dir", paramLabel = "DIR",
            description = "where the training report goes (default: ./target/rnnkit-reports; the committed report"
                    + " is written with --report-dir reports)")
    Path reportDir = KitCommands.ReportOptions.DEFAULT_REPORT_DIR;

    @Option(names = "--format", split = ",", paramLabel = "FMT", description = "md, html (default: md,html)")
    List<String> formats = new ArrayList<>(TrajectoryReport.FORMATS);

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "time limit of one replay (one trajectory, one implementation; default: 600); a replay still "
                    + "running then is that replay's ERROR and the others still run")
    long timeout = 600;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (timeout < 1) {
            throw new IllegalArgumentException("--timeout is " + timeout + "; expected at least 1 second");
        }
        GoldenCorpus golden = GoldenCorpus.open(corpus != null ? corpus : GoldenCorpus.defaultRoot());
        List<String> names = CaseSelection.of(include, List.of(), null).select(golden.trajectoryNames());
        TrajectoryReport.checkWritable(reportDir, formats);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no trajectory selected: the corpus lists " + golden.trajectoryNames().size()
                    + (golden.trajectoryNames().size() == 1 ? " trajectory " : " trajectories ") + golden.trajectoryNames()
                    + "; check --include");
        }
        List<RnnImplementation> impls = new ArrayList<>();
        impls.add(new ReferenceRnn());
        RnnImplementation other = Implementations.resolve(impl, KitCommands.classLoader(classpath));
        if (!(other instanceof ReferenceRnn)) { // by class: an adapter that calls itself "reference" is replayed too
            impls.add(other);
        }
        List<TrajectoryCase> cases = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        PrintWriter err = spec.commandLine().getErr();
        int totalSteps = 0;
        for (String n : names) {
            try {
                TrajectoryCase c = golden.loadTrajectory(n);
                cases.add(c);
                totalSteps += c.steps() * impls.size();
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                // one bad trajectory is one ERROR: the others still run
                errors.add(n + ": ERROR, cannot load the trajectory: " + e.getMessage());
                err.println("ERROR " + n + ": " + e.getMessage());
                err.flush();
            }
        }
        ProgressBar bar = ProgressBar.forStderr(totalSteps, "replay steps");
        int[] done = {0};
        List<TrajectoryReport.Row> rows = new ArrayList<>();
        ExecutorService worker = newWorker();
        try {
            for (TrajectoryCase c : cases) {
                List<TrajectoryCheck> checks = new ArrayList<>();
                for (RnnImplementation i : impls) {
                    String label = c.name() + " (" + i.name() + ")";
                    TrajectoryRun.Result r;
                    AtomicBoolean current = new AtomicBoolean(true); // a replay given up on no longer moves the bar
                    Future<TrajectoryRun.Result> replay = worker.submit(() -> TrajectoryRun.replay(i, c, c.dtype(), step -> {
                        if (current.get()) {
                            bar.step(++done[0], label);
                        }
                    }));
                    try {
                        r = replay.get(timeout, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        current.set(false);
                        replay.cancel(true);
                        worker.shutdownNow(); // a replay that ignores the interrupt keeps only its daemon thread
                        worker = newWorker();
                        errors.add(label + ": ERROR, timed out after " + timeout + " s (--timeout)");
                        break;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while replaying " + label, e);
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof UnsupportedCaseException) {
                            errors.add(label + ": ERROR, cannot replay: " + cause.getMessage()
                                    + " (train-check needs an implementation that computes gradients)");
                        } else {
                            // an adapter's exception or Error is that replay's ERROR, never a crash of the command
                            errors.add(label + ": ERROR, the replay threw " + cause + " (an implementation error)");
                        }
                        break;
                    }
                    TrajectoryCheck check = TrajectoryCheck.of(c, r);
                    checks.add(check);
                    TrajectoryCheck.StepError wl = check.worstLoss();
                    TrajectoryCheck.StepError ww = check.worstWeights();
                    out.printf(Locale.ROOT, "%-58s %-10s %s  loss %.2e/%.2e  weights %s%n", c.name(), i.name(),
                            check.pass() ? "pass" : "FAIL", wl.error(), wl.tolerance(),
                            ww == null ? "-" : String.format(Locale.ROOT, "%.2e/%.2e", ww.error(), ww.tolerance()));
                    out.flush();
                }
                if (checks.size() == impls.size()) {
                    rows.add(new TrajectoryReport.Row(checks));
                } else {
                    out.printf(Locale.ROOT, "%-58s %-10s ERROR  %s%n", c.name(), impls.get(checks.size()).name(),
                            errors.get(errors.size() - 1));
                    out.flush();
                }
            }
        } finally {
            worker.shutdownNow();
        }
        List<String> implNames = impls.stream().map(RnnImplementation::name).toList();
        // the command that replays what this report shows: the selection and the corpus included
        String command = "./rnnkit train-check --impl " + impl
                + (classpath.isEmpty() ? "" : " --classpath " + String.join(":", classpath.stream().map(Path::toString).toList()))
                + (corpus == null ? "" : " --corpus " + corpus)
                + (include.isEmpty() ? "" : " --include '" + String.join(",", include) + "'")
                + " --report-dir " + reportDir
                + (formats.equals(TrajectoryReport.FORMATS) ? "" : " --format " + String.join(",", formats));
        TrajectoryReport report = new TrajectoryReport(golden.versions(), implNames, rows, command, errors);
        List<Path> files = report.write(reportDir, formats);
        for (Path f : files) {
            out.println("report: " + f);
        }
        out.println(report.passed() ? "PASS: every replay within tolerance" : "FAIL" + (errors.isEmpty() ? ""
                : " (" + errors.size() + " ERROR)") + ": see " + files.get(0));
        out.flush();
        return report.passed() ? KitCommands.SUCCESS : KitCommands.FAILURES;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rnnkit-replay");
            t.setDaemon(true);
            return t;
        });
    }
}
