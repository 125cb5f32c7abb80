package rnnkit.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import rnnkit.golden.TrajectoryCase;
import rnnkit.kit.KitReport;
import rnnkit.kit.ReportSet;
import rnnkit.report.Charts;
import rnnkit.report.ReportDocument;
import rnnkit.report.ReportDocument.Column;

/**
 * The training-trajectory report: for each golden trajectory, the loss curves of Keras and of every replaying
 * implementation in one chart, the errors against their tolerances in another, the worst loss and weight errors
 * against their tolerances, and per step the loss error and, after the recorded steps, the worst weight error of each
 * implementation.
 *
 * <p>Built as a {@link ReportDocument} and written as the kit writes its reports, one {@link ReportSet}:
 * {@code training.md} and/or {@code training.html}, the charts {@code training.<chart>.png} (Charts, XChart), and
 * the manifest {@code training.report.json}. Markdown and HTML are a pure function of the replays (no clock, no host
 * name), so rerunning the same replays rewrites the same bytes.
 */
public final class TrajectoryReport implements ReportSet.Source {
    /** The base name of the report's files. */
    public static final String BASE_NAME = "training";
    /** The formats the report is written in, by the names {@code --format} takes; the default is both. */
    public static final List<String> FORMATS = List.of("md", "html");

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

    /** How many replays ran and how many of them stayed within tolerance at every step. */
    private int[] replaysAndPasses() {
        int replays = 0;
        int passed = 0;
        for (Row r : rows) {
            for (TrajectoryCheck c : r.checks()) {
                replays++;
                passed += c.pass() ? 1 : 0;
            }
        }
        return new int[] {replays, passed};
    }

    /** "PASS: N of M replays within tolerance at every step", with the errors when there are any. */
    @Override
    public String verdictText() {
        int[] n = replaysAndPasses();
        int replays = n[0];
        int passed = n[1];
        return (passed() ? "PASS" : "FAIL") + ": " + passed + " of " + replays + " replays within tolerance at every step"
                + (errors.isEmpty() ? "" : "; " + errors.size() + " ERROR");
    }

    /**
     * The report's blocks. With charts, two per trajectory (loss, errors), named {@code <baseName>.<trajectory>.png}
     * and {@code <baseName>.<trajectory>-errors.png} ({@link #chartName}).
     */
    @Override
    public ReportDocument document(String baseName, boolean withCharts) {
        int[] n = replaysAndPasses();
        int replays = n[0];
        int passed = n[1];
        ReportDocument d = new ReportDocument("rnnkit training trajectories: Keras, " + String.join(", ", implementations));
        d.markdown("- Command: `" + command + "`\n"
                + "- Corpus: golden trajectories (Keras " + versions.getOrDefault("keras", "?") + ", TensorFlow "
                + versions.getOrDefault("tensorflow", "?") + "), " + rows.size() + (rows.size() == 1 ? " trajectory\n" : " trajectories\n")
                + "- Verdict: **" + (passed() ? "PASS" : "FAIL") + "** — " + passed + " of " + replays
                + " replays within tolerance at every step (loss at every step, weights after every recorded step)"
                + (errors.isEmpty() ? "" : "; " + errors.size() + " ERROR (see Errors)"));
        d.markdown("Each replay starts from Keras's initial weights and runs the recorded steps on the recorded batches:"
                + " the implementation computes the logits and, from the cross-entropy's cotangent, its own gradients;"
                + " rnnkit's SGD/Adam (Keras 3 update rules, in the case's dtype) applies them. Only the gradients"
                + " differ between replays, so an error that compounds over steps shows here even when each single"
                + " step is within its tolerance. Loss error: |loss − Keras| / |Keras|. Weight error: the worst"
                + " element error over all weight tensors, |w − w_Keras| / max(|w_Keras|, rms(w_Keras)). Tolerances"
                + " (`rnnkit.conformance.Tolerance.trajectoryLoss`, `trajectoryWeights`) grow linearly with the step."
                + " What a replay can miss: Adam's step m̂ / (√v̂ + ε) changes only through ε when every gradient is"
                + " multiplied by one factor, so a float32 Adam replay, whose tolerance is wider than that change,"
                + " passes gradients that are all scaled alike; the float64 Adam replays and the SGD replays do not"
                + " (and the call cases check every gradient element by itself).");
        List<Column> summary = new ArrayList<>(List.of(Column.text("trajectory"), Column.text("optimizer"),
                Column.number("steps")));
        for (String impl : implementations) {
            summary.add(Column.text(impl + " worst loss error / tol"));
            summary.add(Column.text(impl + " worst weight error / tol"));
        }
        summary.add(Column.text("result"));
        List<ReportDocument.Row> summaryRows = new ArrayList<>();
        for (Row r : rows) {
            TrajectoryCheck first = r.checks().get(0);
            List<String> cells = new ArrayList<>(List.of(first.trajectory().name(),
                    first.trajectory().optimizer().describe(), String.valueOf(first.trajectory().steps())));
            for (TrajectoryCheck c : r.checks()) {
                TrajectoryCheck.StepError wl = c.worstLoss();
                TrajectoryCheck.StepError ww = c.worstWeights();
                cells.add(ratio(wl) + " (step " + wl.step() + ")");
                cells.add(ww == null ? "-" : ratio(ww) + " (step " + ww.step() + ", " + ww.where() + ")");
            }
            boolean pass = r.checks().stream().allMatch(TrajectoryCheck::pass);
            cells.add(pass ? "pass" : "FAIL");
            summaryRows.add(new ReportDocument.Row(cells, pass ? "PASS" : "FAIL"));
        }
        d.table(summary, summaryRows);
        if (!errors.isEmpty()) {
            d.heading(2, "Errors");
            StringBuilder list = new StringBuilder("Trajectories that could not be checked (no row above):\n\n");
            for (String e : errors) {
                list.append("- ").append(ReportDocument.escapeMarkdown(KitReport.plain(e))).append('\n');
            }
            d.markdown(list.toString());
        }
        Set<String> chartNames = new HashSet<>();
        for (Row r : rows) {
            TrajectoryCheck first = r.checks().get(0);
            TrajectoryCase t = first.trajectory();
            d.heading(2, t.name());
            d.markdown(ReportDocument.escapeMarkdown((t.description().isEmpty() ? t.model().describe() : t.description())
                    + ". " + t.optimizer().describe() + ", " + t.batches().size() + " batches of "
                    + t.batches().get(0).inputs().dim(0) + " sequences."));
            if (withCharts) {
                String chart = unique(chartName(t.name()), chartNames);
                d.chart(baseName + "." + chart + ".png", "loss per step: Keras and the replays", lossChart(r));
                d.chart(baseName + "." + unique(chart + "-errors", chartNames) + ".png",
                        "errors per step against their tolerances", errorChart(r));
            }
            List<Column> cols = new ArrayList<>(List.of(Column.number("step"), Column.number("Keras loss")));
            for (String impl : implementations) {
                cols.add(Column.number(impl + " loss error"));
            }
            cols.add(Column.number("loss tolerance"));
            for (String impl : implementations) {
                cols.add(Column.text(impl + " worst weight error"));
            }
            cols.add(Column.number("weight tolerance"));
            List<ReportDocument.Row> steps = new ArrayList<>();
            for (int k = 0; k < first.losses().size(); k++) {
                TrajectoryCheck.StepError l0 = first.losses().get(k);
                List<String> cells = new ArrayList<>(List.of(String.valueOf(l0.step()),
                        String.format(Locale.ROOT, "%.8g", l0.expected())));
                for (TrajectoryCheck c : r.checks()) {
                    cells.add(sci(c.losses().get(k).error()));
                }
                cells.add(sci(l0.tolerance()));
                TrajectoryCheck.StepError w0 = weightsAt(first, l0.step());
                for (TrajectoryCheck c : r.checks()) {
                    TrajectoryCheck.StepError w = weightsAt(c, l0.step());
                    cells.add(w == null ? "" : sci(w.error()) + " (" + w.where() + ")");
                }
                cells.add(w0 == null ? "" : sci(w0.tolerance()));
                steps.add(new ReportDocument.Row(cells, null));
            }
            d.table(cols, steps);
        }
        return d;
    }

    /** This report has no format besides those rendered from its document. */
    @Override
    public String render(String format, String setId) {
        throw new IllegalArgumentException("unknown report format '" + format + "' for the training report; expected "
                + String.join(" or ", FORMATS));
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

    /**
     * A trajectory's chart name (the part between the base name and ".png"): its name in lower case with every
     * character but letters, digits, '_' and '-' replaced by '-', e.g. {@code trajectories-mnist_lstm50_..._float32}.
     */
    public static String chartName(String trajectory) {
        return trajectory.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    }

    /** {@code name}, or with "-2", "-3", … when an earlier chart of the report took it (names differing in case). */
    private static String unique(String name, Set<String> taken) {
        String n = name;
        for (int k = 2; !taken.add(n); k++) {
            n = name + "-" + k;
        }
        return n;
    }

    /**
     * Writes the report set into {@code dir} ({@link ReportSet#write}: every file written in full under a fresh name
     * and renamed into place, the manifest last, so a planted file or symbolic link is never written through and a
     * killed run never leaves a set that looks complete); returns the report files written.
     */
    public List<Path> write(Path dir, List<String> formats) {
        checkFormats(formats);
        return ReportSet.write(this, dir, BASE_NAME, formats);
    }

    /** Checks, before a run starts, that the report can be written into {@code dir} in these formats. */
    public static void checkWritable(Path dir, List<String> formats) {
        checkFormats(formats);
        ReportSet.checkWritable(dir, BASE_NAME, formats);
    }

    private static void checkFormats(List<String> formats) {
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("no report format; expected " + String.join(" and/or ", FORMATS));
        }
        for (String f : formats) {
            String lower = f.toLowerCase(Locale.ROOT);
            if (!FORMATS.contains(lower) && !lower.equals("markdown")) {
                throw new IllegalArgumentException("unknown report format '" + f + "' for the training report; expected "
                        + String.join(" or ", FORMATS) + " (the training report has no JUnit XML)");
            }
        }
    }

    private byte[] lossChart(Row r) {
        TrajectoryCheck first = r.checks().get(0);
        List<Charts.Series> series = new ArrayList<>();
        double[] steps = new double[first.losses().size()];
        double[] keras = new double[steps.length];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = first.losses().get(k).step();
            keras[k] = first.losses().get(k).expected();
        }
        series.add(new Charts.Series("Keras", null, steps, keras));
        for (int i = 0; i < r.checks().size(); i++) {
            List<TrajectoryCheck.StepError> losses = r.checks().get(i).losses();
            double[] y = new double[losses.size()];
            for (int k = 0; k < y.length; k++) {
                y[k] = losses.get(k).actual();
            }
            series.add(new Charts.Series(implementations.get(i), null, steps, y));
        }
        return Charts.overlaidLines("loss per step: " + first.trajectory().name(), "step", "loss", series, false);
    }

    /** Smallest value drawn on the logarithmic error axis (an error of exactly 0 is drawn there). */
    static final double ERROR_FLOOR = 1e-18;

    /** Loss errors at every step and weight errors after the recorded steps, with both tolerances, log scale. */
    private byte[] errorChart(Row r) {
        TrajectoryCheck first = r.checks().get(0);
        List<Charts.Series> series = new ArrayList<>();
        series.add(errors("loss tolerance", first.losses(), true));
        series.add(errors("weight tolerance", first.weights(), true));
        for (int i = 0; i < r.checks().size(); i++) {
            series.add(errors(implementations.get(i) + " loss", r.checks().get(i).losses(), false));
            series.add(errors(implementations.get(i) + " weights", r.checks().get(i).weights(), false));
        }
        return Charts.overlaidLines("errors and tolerances: " + first.trajectory().caseName() + " "
                + first.trajectory().dtype().kerasName(), "step", "relative error, log scale (0 drawn at 1e-18)", series,
                true);
    }

    private static Charts.Series errors(String name, List<TrajectoryCheck.StepError> errors, boolean tolerance) {
        double[] x = new double[errors.size()];
        double[] y = new double[errors.size()];
        for (int k = 0; k < x.length; k++) {
            TrajectoryCheck.StepError e = errors.get(k);
            x[k] = e.step();
            double v = tolerance ? e.tolerance() : e.error();
            y[k] = Double.isFinite(v) ? Math.max(v, ERROR_FLOOR) : Double.MAX_VALUE;
        }
        return new Charts.Series(name, null, x, y);
    }
}
