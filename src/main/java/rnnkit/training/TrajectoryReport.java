package rnnkit.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import rnnkit.golden.TrajectoryCase;
import rnnkit.kit.KitReport;
import rnnkit.kit.ReportSet;
import rnnkit.report.ReportDocument;

/**
 * The training-trajectory report: for each golden trajectory, the loss curves of Keras and of every replaying
 * implementation in one chart (PNG, XChart), the worst loss and weight errors against their tolerances, and per step
 * the loss error and, after the recorded steps, the worst weight error of each implementation.
 *
 * <p>Written as {@code training.md} plus {@code training/<case>.png} into the report folder; the Markdown is written
 * to a temporary file and moved into place last, so a failed run never leaves a report that looks complete.
 */
public final class TrajectoryReport {
    /** The Markdown file name. */
    public static final String FILE = "training.md";
    /** The folder (next to the Markdown) of the charts. */
    public static final String CHARTS = "training";

    /** All replays of one trajectory, one check per implementation in column order. */
    public record Row(List<TrajectoryCheck> checks) {
        public Row {
            checks = List.copyOf(checks);
            if (checks.isEmpty()) {
                throw new IllegalArgumentException("a report row needs at least one replay");
            }
        }
    }

    private final Map<String, String> versions;
    private final List<String> implementations;
    private final List<Row> rows;
    private final String command;
    private final List<String> errors;

    public TrajectoryReport(Map<String, String> versions, List<String> implementations, List<Row> rows, String command) {
        this(versions, implementations, rows, command, List.of());
    }

    /**
     * @param errors trajectories that could not be checked, one line each ("name (implementation): reason"): a
     *     trajectory that cannot be loaded, a replay that threw; the report lists them and does not pass
     */
    public TrajectoryReport(Map<String, String> versions, List<String> implementations, List<Row> rows, String command,
                            List<String> errors) {
        this.versions = Map.copyOf(versions);
        this.implementations = List.copyOf(implementations);
        this.rows = List.copyOf(rows);
        this.command = command;
        this.errors = List.copyOf(errors);
    }

    /** True if every replay of every trajectory passes, there is at least one, and no trajectory was an error. */
    public boolean passed() {
        return !rows.isEmpty() && errors.isEmpty()
                && rows.stream().allMatch(r -> r.checks().stream().allMatch(TrajectoryCheck::pass));
    }

    /** The Markdown text. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        int replays = 0;
        int passed = 0;
        for (Row r : rows) {
            for (TrajectoryCheck c : r.checks()) {
                replays++;
                passed += c.pass() ? 1 : 0;
            }
        }
        md.append("# rnnkit training trajectories: Keras, ").append(String.join(", ", implementations)).append("\n\n");
        md.append("- Command: `").append(command).append("`\n");
        md.append("- Corpus: golden trajectories (Keras ").append(versions.getOrDefault("keras", "?"))
                .append(", TensorFlow ").append(versions.getOrDefault("tensorflow", "?")).append("), ")
                .append(rows.size()).append(" trajectories\n");
        md.append("- Verdict: **").append(passed() ? "PASS" : "FAIL").append("** — ").append(passed).append(" of ")
                .append(replays).append(" replays within tolerance at every step (loss at every step, weights after")
                .append(" every recorded step)").append(errors.isEmpty() ? "" : "; " + errors.size() + " ERROR (see Errors)")
                .append("\n\n");
        md.append("Each replay starts from Keras's initial weights and runs the recorded steps on the recorded batches:"
                + " the implementation computes the logits and, from the cross-entropy's cotangent, its own gradients;"
                + " rnnkit's SGD/Adam (Keras 3 update rules, in the case's dtype) applies them. Only the gradients"
                + " differ between replays, so an error that compounds over steps shows here even when each single"
                + " step is within its tolerance. Loss error: |loss − Keras| / |Keras|. Weight error: the worst"
                + " element error over all weight tensors, |w − w_Keras| / max(|w_Keras|, rms(w_Keras)). Tolerances"
                + " (`rnnkit.conformance.Tolerance.trajectoryLoss`, `trajectoryWeights`) grow linearly with the step.\n\n");
        md.append("| trajectory | optimizer | steps |");
        for (String impl : implementations) {
            md.append(' ').append(impl).append(" worst loss error / tol | ").append(impl)
                    .append(" worst weight error / tol |");
        }
        md.append(" result |\n|---|---|---|");
        md.append("---|---|".repeat(implementations.size())).append("---|\n");
        for (Row r : rows) {
            TrajectoryCheck first = r.checks().get(0);
            md.append("| ").append(first.trajectory().name()).append(" | ")
                    .append(first.trajectory().optimizer().describe()).append(" | ").append(first.trajectory().steps())
                    .append(" |");
            for (TrajectoryCheck c : r.checks()) {
                TrajectoryCheck.StepError wl = c.worstLoss();
                TrajectoryCheck.StepError ww = c.worstWeights();
                md.append(' ').append(ratio(wl)).append(" (step ").append(wl.step()).append(") | ")
                        .append(ww == null ? "-" : ratio(ww) + " (step " + ww.step() + ", " + ww.where() + ")")
                        .append(" |");
            }
            md.append(' ').append(r.checks().stream().allMatch(TrajectoryCheck::pass) ? "pass" : "**FAIL**").append(" |\n");
        }
        if (!errors.isEmpty()) {
            md.append("\n## Errors\n\nTrajectories that could not be checked (no row above):\n\n");
            for (String e : errors) {
                md.append("- ").append(ReportDocument.escapeMarkdown(ReportDocument.oneLine(KitReport.plain(e)))).append('\n');
            }
        }
        for (Row r : rows) {
            TrajectoryCheck first = r.checks().get(0);
            String name = first.trajectory().name();
            md.append("\n## ").append(name).append("\n\n");
            TrajectoryCase t = first.trajectory();
            md.append(t.description().isEmpty() ? t.model().describe() : t.description()).append(". ")
                    .append(t.optimizer().describe()).append(", ").append(t.batches().size()).append(" batches of ")
                    .append(t.batches().get(0).inputs().dim(0)).append(" sequences.\n\n");
            md.append("![loss per step: Keras and the replays](").append(CHARTS).append('/').append(chartFile(name))
                    .append(")\n");
            md.append("![errors per step against their tolerances](").append(CHARTS).append('/')
                    .append(errorChartFile(name)).append(")\n\n");
            md.append("| step | Keras loss |");
            for (String impl : implementations) {
                md.append(' ').append(impl).append(" loss error |");
            }
            md.append(" loss tolerance |");
            for (String impl : implementations) {
                md.append(' ').append(impl).append(" worst weight error |");
            }
            md.append(" weight tolerance |\n|---|---|");
            md.append("---|".repeat(2 * implementations.size() + 2)).append('\n');
            for (int k = 0; k < first.losses().size(); k++) {
                TrajectoryCheck.StepError l0 = first.losses().get(k);
                md.append("| ").append(l0.step()).append(" | ").append(String.format(Locale.ROOT, "%.8g", l0.expected()))
                        .append(" |");
                for (TrajectoryCheck c : r.checks()) {
                    md.append(' ').append(sci(c.losses().get(k).error())).append(" |");
                }
                md.append(' ').append(sci(l0.tolerance())).append(" |");
                TrajectoryCheck.StepError w0 = weightsAt(first, l0.step());
                for (TrajectoryCheck c : r.checks()) {
                    TrajectoryCheck.StepError w = weightsAt(c, l0.step());
                    md.append(' ').append(w == null ? "" : sci(w.error()) + " (" + w.where() + ")").append(" |");
                }
                md.append(' ').append(w0 == null ? "" : sci(w0.tolerance())).append(" |\n");
            }
        }
        return md.toString();
    }

    private static TrajectoryCheck.StepError weightsAt(TrajectoryCheck c, int step) {
        for (TrajectoryCheck.StepError w : c.weights()) {
            if (w.step() == step) {
                return w;
            }
        }
        return null;
    }

    private static String ratio(TrajectoryCheck.StepError e) {
        return sci(e.error()) + " / " + sci(e.tolerance()) + " = " + String.format(Locale.ROOT, "%.2g", e.ratio());
    }

    private static String sci(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2e", v) : String.valueOf(v);
    }

    /** The loss chart's file name for a trajectory (its name with '/' replaced). */
    public static String chartFile(String trajectory) {
        return trajectory.replace('/', '-') + ".png";
    }

    /** The error chart's file name for a trajectory. */
    public static String errorChartFile(String trajectory) {
        return trajectory.replace('/', '-') + "-errors.png";
    }

    /**
     * Writes the charts into {@code dir/training/}, then training.md into {@code dir}; returns the Markdown file. Each
     * file is written in full under a fresh name and renamed into place ({@link ReportSet#replaceFile}), so a planted
     * file or symbolic link is never written through and a killed run never leaves a half-written file; a
     * {@code training} entry that is a symbolic link is refused.
     */
    public Path write(Path dir) {
        checkWritable(dir);
        Path charts = dir.resolve(CHARTS);
        for (Row r : rows) {
            String name = r.checks().get(0).trajectory().name();
            ReportSet.replaceFile(charts, chartFile(name), png(lossChart(r)));
            ReportSet.replaceFile(charts, errorChartFile(name), png(errorChart(r)));
        }
        return ReportSet.replaceFile(dir, FILE, markdown().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks, before a run starts, that the report can be written into {@code dir}: a writable folder whose
     * {@code training} entry, if any, is a folder and not a symbolic link.
     */
    public static void checkWritable(Path dir) {
        ReportSet.checkWritable(dir, "training", List.of("md"));
        Path charts = dir.resolve(CHARTS);
        if (Files.isSymbolicLink(charts) || (Files.exists(charts) && !Files.isDirectory(charts))) {
            throw new IllegalArgumentException("the chart folder " + charts + " is " + (Files.isSymbolicLink(charts)
                    ? "a symbolic link" : "not a directory") + "; expected a folder (or nothing) there: the report is "
                    + "never written through a link");
        }
    }

    private static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart " + chart.getTitle() + ": " + e.getMessage(), e);
        }
    }

    private XYChart lossChart(Row r) {
        TrajectoryCheck first = r.checks().get(0);
        XYChart chart = new XYChartBuilder().width(800).height(420)
                .title("loss per step: " + first.trajectory().name()).xAxisTitle("step").yAxisTitle("loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setAntiAlias(true);
        List<Double> steps = new ArrayList<>();
        List<Double> keras = new ArrayList<>();
        for (TrajectoryCheck.StepError e : first.losses()) {
            steps.add((double) e.step());
            keras.add(e.expected());
        }
        XYSeries k = chart.addSeries("Keras", steps, keras);
        k.setMarker(SeriesMarkers.CIRCLE);
        k.setLineWidth(5f);
        org.knowm.xchart.style.markers.Marker[] markers = {SeriesMarkers.DIAMOND, SeriesMarkers.CROSS, SeriesMarkers.SQUARE};
        for (int i = 0; i < r.checks().size(); i++) {
            List<Double> y = new ArrayList<>();
            for (TrajectoryCheck.StepError e : r.checks().get(i).losses()) {
                y.add(e.actual());
            }
            XYSeries s = chart.addSeries(implementations.get(i), steps, y);
            s.setMarker(markers[i % markers.length]);
            s.setLineWidth(i == 0 ? 3f : 1.5f);
        }
        return chart;
    }

    /** Smallest value drawn on the logarithmic error axis (an error of exactly 0 is drawn there). */
    static final double ERROR_FLOOR = 1e-18;

    /** Loss errors at every step and weight errors after the recorded steps, with both tolerances, log scale. */
    private XYChart errorChart(Row r) {
        TrajectoryCheck first = r.checks().get(0);
        XYChart chart = new XYChartBuilder().width(800).height(420)
                .title("errors and tolerances: " + first.trajectory().caseName() + " " + first.trajectory().dtype().kerasName())
                .xAxisTitle("step").yAxisTitle("relative error, log scale (0 drawn at 1e-18)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setAntiAlias(true);
        addErrors(chart, "loss tolerance", first.losses(), true).setMarker(SeriesMarkers.NONE);
        addErrors(chart, "weight tolerance", first.weights(), true).setMarker(SeriesMarkers.NONE);
        for (int i = 0; i < r.checks().size(); i++) {
            addErrors(chart, implementations.get(i) + " loss", r.checks().get(i).losses(), false);
            addErrors(chart, implementations.get(i) + " weights", r.checks().get(i).weights(), false);
        }
        return chart;
    }

    private static XYSeries addErrors(XYChart chart, String name, List<TrajectoryCheck.StepError> errors, boolean tolerance) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (TrajectoryCheck.StepError e : errors) {
            x.add((double) e.step());
            double v = tolerance ? e.tolerance() : e.error();
            y.add(Double.isFinite(v) ? Math.max(v, ERROR_FLOOR) : Double.MAX_VALUE);
        }
        return chart.addSeries(name, x, y);
    }
}
