package rnnkit.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import rnnkit.model.DType;
import rnnkit.report.Charts;
import rnnkit.report.ReportDocument;
import rnnkit.report.ReportDocument.Column;
import rnnkit.report.ReportDocument.Row;

/**
 * The sections of a conformance report, computed once from a {@link KitReport}: the same content goes into the
 * Markdown/HTML document and, suite by suite, into the JUnit XML.
 */
final class KitReportContent {
    /** Sequences at least this long get a line in the error-over-time chart. */
    static final int LONG_SEQUENCE = 100;
    /** Most failing cases listed with their located detail under "Wrong answers" (all are in the table). */
    static final int MAX_LISTED_FAILURES = 100;
    /** Ratios below this are drawn at it on the log-scale chart (an exact match has ratio 0). */
    static final double CHART_FLOOR = 1e-6;
    /** Cell-kind columns of the coverage matrix, in this order (others after them). */
    static final List<String> CELL_ORDER = List.of("SimpleRNN", "LSTM", "GRU", "GRU(reset_after=False)");

    static final String TOLERANCE_MODEL = "golden cases: worst element error |actual − expected| / max(|expected|, "
            + "rms(expected), floor) ≤ c · eps(dtype) · n(case), c = 8 for outputs and states, 32 for gradients "
            + "(floor = rms of the cotangents), n = Σ T·(D+U+B); random cases: normwise relative error against the "
            + "double-precision reference ≤ 8·T·(D+U+8)·2^-24 (float32) or 1e-12 (float64); rnnkit.conformance.Tolerance";

    private final KitReport report;
    private final List<String> implementations;
    private final boolean multi;
    private final List<String> suites;

    KitReportContent(KitReport report) {
        this.report = report;
        this.implementations = report.implementations();
        this.multi = implementations.size() > 1;
        LinkedHashSet<String> s = new LinkedHashSet<>();
        for (CaseResult r : report.results()) {
            s.add(r.suite());
        }
        this.suites = new ArrayList<>(s);
    }

    List<String> suites() {
        return suites;
    }

    List<CaseResult> of(String implementation, String suite) {
        List<CaseResult> out = new ArrayList<>();
        for (CaseResult r : report.results()) {
            if (r.implementation().equals(implementation) && (suite == null || r.suite().equals(suite))) {
                out.add(r);
            }
        }
        return out;
    }

    static String ratio(QuantityError q) {
        double r = q.ratio();
        return Double.isNaN(r) ? "" : KitReport.fmt(r);
    }

    static String where(QuantityError q) {
        return q.worst() == null ? "" : q.worst().where();
    }

    ReportDocument document(String baseName, boolean withCharts) {
        String base = baseName == null ? "report" : baseName;
        ReportDocument d = new ReportDocument(report.title());
        if (!report.complete()) {
            d.warning("INCOMPLETE RUN: only " + report.results().size() + " of " + report.planned()
                    + " planned cases ran. Do not read this report as a full result.");
        }
        StringBuilder head = new StringBuilder();
        head.append("- Implementation").append(multi ? "s" : "").append(": ");
        List<String> names = new ArrayList<>();
        for (String i : implementations) {
            names.add("`" + i.replace("`", "'") + "`");
        }
        head.append(String.join(", ", names)).append('\n');
        head.append("- Corpus: ").append(KitReport.md(report.corpus())).append('\n');
        head.append("- Selection: ").append(KitReport.md(report.selection())).append('\n');
        head.append("- Verdict: **").append(report.verdictText()).append("** — ").append(report.summaryLine()).append('\n');
        if (multi) {
            for (String i : implementations) {
                KitReport one = single(i);
                head.append("  - `").append(i.replace("`", "'")).append("`: ").append(one.verdictText()).append(" — ")
                        .append(one.summaryLine()).append('\n');
            }
        }
        head.append("- Tolerances: ").append(KitReport.md(TOLERANCE_MODEL)).append('\n');
        d.markdown(head.toString());
        for (String n : report.notes()) {
            d.markdown(n);
        }
        if (!report.staleExpectedFailures().isEmpty()) {
            d.heading(2, "Stale expected-failure entries (they match no selected case)");
            StringBuilder sb = new StringBuilder();
            for (String e : report.staleExpectedFailures()) {
                sb.append("- ").append(KitReport.md(e)).append('\n');
            }
            d.markdown(sb.toString());
        }
        if (!report.coverage().isEmpty()) {
            d.heading(2, "What the random cases covered");
            List<Row> rows = new ArrayList<>();
            report.coverage().forEach((k, v) -> rows.add(new Row(List.of(k, v), null)));
            d.table(List.of(Column.text("aspect"), Column.text("cases")), rows);
        }
        summary(d);
        if (withCharts) {
            charts(d, base);
        }
        coverage(d);
        worstErrors(d);
        wrongAnswers(d);
        groups(d, Outcome.ERROR, "Errors (unusable output)");
        groups(d, Outcome.UNEXPECTED_PASS, "Unexpected passes (expected-failure list out of date)");
        groups(d, Outcome.EXPECTED_FAIL, "Expected failures (known differences)");
        groups(d, Outcome.UNSUPPORTED, "Unsupported (cannot be expressed by this implementation)");
        allCases(d);
        return d;
    }

    private KitReport single(String implementation) {
        List<CaseResult> rs = of(implementation, null);
        int planned = report.planned() / Math.max(1, implementations.size());
        return new KitReport(report.title(), implementation, report.corpus(), report.selection(), planned, rs,
                List.of(), List.of(), Map.of(), Map.of(), report.startedAt(), report.hostname());
    }

    /** One summary row per implementation and suite (and a total row per implementation). */
    List<List<String>> summaryRows() {
        List<List<String>> rows = new ArrayList<>();
        for (String impl : implementations) {
            for (String suite : suites) {
                rows.add(summaryRow(impl, suite));
            }
            rows.add(summaryRow(impl, null));
        }
        return rows;
    }

    /** The summary row of one implementation and suite (null: all suites), cells as {@link #summaryColumns()}. */
    List<String> summaryRow(String impl, String suite) {
        List<CaseResult> rs = of(impl, suite);
        Map<Outcome, Integer> c = KitReport.counts(rs);
        int grads = 0;
        CaseResult worst = null;
        for (CaseResult r : rs) {
            grads += r.gradientsChecked() ? 1 : 0;
            if (r.worst() != null && (worst == null || CaseResult.severity(r.worst()) > CaseResult.severity(worst.worst()))) {
                worst = r;
            }
        }
        List<String> row = new ArrayList<>();
        row.add(suite == null ? "total" : suite);
        if (multi) {
            row.add(impl);
        }
        row.add(String.valueOf(rs.size()));
        for (Outcome o : Outcome.values()) {
            row.add(String.valueOf(c.get(o)));
        }
        row.add(String.valueOf(grads));
        row.add(worst == null ? "" : ratio(worst.worst()));
        row.add(worst == null ? "" : worst.caseName());
        return row;
    }

    List<Column> summaryColumns() {
        List<Column> cols = new ArrayList<>(List.of(Column.text("suite")));
        if (multi) {
            cols.add(Column.text("implementation"));
        }
        cols.add(Column.number("cases"));
        for (Outcome o : Outcome.values()) {
            cols.add(Column.number(o.label()));
        }
        cols.add(Column.number("gradients checked"));
        cols.add(Column.number("worst error ÷ tolerance"));
        cols.add(Column.text("in case"));
        return cols;
    }

    private void summary(ReportDocument d) {
        d.heading(2, "Summary per suite");
        List<Row> rows = new ArrayList<>();
        for (List<String> r : summaryRows()) {
            rows.add(new Row(r, r.get(0).equals("total") ? "total" : null));
        }
        d.table(summaryColumns(), rows);
    }

    // ---- charts

    private void charts(ReportDocument d, String base) {
        d.heading(2, "Charts");
        d.markdown("Error ÷ tolerance is the worst quantity's error divided by its tolerance (above 1: over "
                + "tolerance); cases without a compared quantity (unsupported, errors before a comparison) are not drawn; "
                + "an exact match is drawn at " + KitReport.fmt(CHART_FLOOR) + ".");
        List<Charts.Series> points = new ArrayList<>();
        String[][] kinds = {{"pass", "PASS"}, {"FAIL", "FAIL"}, {"expected fail", "EXPECTED_FAIL"}, {"other", "other"}};
        for (String[] k : kinds) {
            List<double[]> xy = new ArrayList<>();
            for (int g = 0; g < suites.size(); g++) {
                List<CaseResult> rs = new ArrayList<>();
                for (CaseResult r : report.results()) {
                    if (r.suite().equals(suites.get(g))) {
                        rs.add(r);
                    }
                }
                for (int i = 0; i < rs.size(); i++) {
                    CaseResult r = rs.get(i);
                    QuantityError w = r.worst();
                    if (w == null || Double.isNaN(w.ratio()) || !kindOf(r).equals(k[1])) {
                        continue;
                    }
                    double x = g - 0.38 + 0.76 * (i + 0.5) / rs.size();
                    xy.add(new double[] {x, Math.max(CHART_FLOOR, Math.min(1e30, w.ratio()))});
                }
            }
            double[] xs = new double[xy.size()];
            double[] ys = new double[xy.size()];
            for (int i = 0; i < xy.size(); i++) {
                xs[i] = xy.get(i)[0];
                ys[i] = xy.get(i)[1];
            }
            java.awt.Color color = switch (k[1]) {
                case "PASS" -> Charts.PASS;
                case "FAIL" -> Charts.FAIL;
                case "EXPECTED_FAIL" -> Charts.EXPECTED;
                default -> Charts.ERROR;
            };
            points.add(new Charts.Series(k[0], color, xs, ys));
        }
        d.chart(base + ".ratio-by-suite.png", "worst error ÷ tolerance per case, by suite (log scale)",
                Charts.groupedPoints("Worst error ÷ tolerance per case", "error ÷ tolerance", suites, points, true, 1,
                        "tolerance"));
        List<String> categories = new ArrayList<>();
        for (String impl : implementations) {
            for (String s : suites) {
                categories.add(multi ? s + " · " + impl : s);
            }
        }
        List<Charts.Series> bars = new ArrayList<>();
        Object[][] outcomes = {{Outcome.PASS, Charts.PASS}, {Outcome.FAIL, Charts.FAIL}, {Outcome.ERROR, Charts.ERROR},
            {Outcome.UNEXPECTED_PASS, java.awt.Color.BLACK}, {Outcome.EXPECTED_FAIL, Charts.EXPECTED},
            {Outcome.UNSUPPORTED, Charts.SKIPPED}};
        for (Object[] o : outcomes) {
            double[] y = new double[categories.size()];
            int k = 0;
            for (String impl : implementations) {
                for (String s : suites) {
                    y[k++] = KitReport.counts(of(impl, s)).get((Outcome) o[0]);
                }
            }
            bars.add(new Charts.Series(((Outcome) o[0]).label(), (java.awt.Color) o[1], new double[y.length], y));
        }
        d.chart(base + ".outcomes-by-suite.png", "pass, fail, unsupported per suite",
                Charts.stackedBars("Outcomes per suite", "cases", categories, bars));
        Matrix m = matrix();
        double[][] share = new double[m.options.size()][m.columns.size()];
        for (int r = 0; r < m.options.size(); r++) {
            for (int c = 0; c < m.columns.size(); c++) {
                int[] pn = m.counts[r][c];
                share[r][c] = pn[1] == 0 ? Double.NaN : (double) pn[0] / pn[1];
            }
        }
        if (!m.options.isEmpty() && !m.columns.isEmpty()) { // cases without tags (e.g. unreadable ones) cover nothing
            d.chart(base + ".coverage.png", "coverage matrix: share of cases passing per option × cell × dtype",
                    Charts.heatMap("Coverage: share of cases passing", m.columns, m.options, share, 0, 1, "0.##"));
        }
        List<Charts.Series> lines = new ArrayList<>();
        for (CaseResult r : report.results()) {
            for (QuantityError q : r.errors()) {
                if (q.worst() != null && q.worst().stepRatios().length >= LONG_SEQUENCE && lines.size() < 16) {
                    double[] y = q.worst().stepRatios().clone();
                    double[] x = new double[y.length];
                    for (int t = 0; t < y.length; t++) {
                        x[t] = t;
                        y[t] = Math.max(CHART_FLOOR, Math.min(1e30, y[t]));
                    }
                    lines.add(new Charts.Series(r.caseName() + (multi ? " [" + r.implementation() + "]" : "") + " "
                            + q.quantity(), null, x, y));
                }
            }
        }
        if (!lines.isEmpty()) {
            d.chart(base + ".error-over-time.png", "error ÷ tolerance per time step, sequences of at least "
                            + LONG_SEQUENCE + " steps (log scale)",
                    Charts.lines("Error ÷ tolerance per time step (long sequences)", "time step", "error ÷ tolerance",
                            lines, true, 1, "tolerance"));
        }
    }

    private static String kindOf(CaseResult r) {
        return switch (r.outcome()) {
            case PASS -> "PASS";
            case FAIL, UNEXPECTED_PASS -> "FAIL";
            case EXPECTED_FAIL -> "EXPECTED_FAIL";
            default -> "other";
        };
    }

    // ---- coverage matrix

    /** Options × (cell, dtype) columns; counts[option][column] = {cases passing, cases}. */
    record Matrix(List<String> options, List<String> columns, int[][][] counts, boolean[][] bad) {
    }

    Matrix matrix() {
        Map<String, List<CaseResult>> byCase = new LinkedHashMap<>();
        for (CaseResult r : report.results()) {
            byCase.computeIfAbsent(r.caseName(), k -> new ArrayList<>()).add(r);
        }
        TreeSet<String> options = new TreeSet<>();
        Set<String> cells = new LinkedHashSet<>(CELL_ORDER);
        Set<String> seenCells = new TreeSet<>();
        Set<DType> dtypes = new TreeSet<>();
        for (List<CaseResult> rs : byCase.values()) {
            CaseTags t = rs.get(0).tags();
            options.addAll(t.options());
            seenCells.addAll(t.cells());
            if (t.dtype() != null) {
                dtypes.add(t.dtype());
            }
        }
        cells.retainAll(seenCells);
        cells.addAll(seenCells);
        List<String> columns = new ArrayList<>();
        List<String[]> keys = new ArrayList<>();
        for (String c : cells) {
            for (DType dt : dtypes) {
                columns.add(c + " " + (dt == DType.FLOAT32 ? "f32" : "f64"));
                keys.add(new String[] {c, dt.name()});
            }
        }
        List<String> opts = new ArrayList<>(options);
        int[][][] counts = new int[opts.size()][columns.size()][2];
        boolean[][] bad = new boolean[opts.size()][columns.size()];
        for (List<CaseResult> rs : byCase.values()) {
            CaseTags t = rs.get(0).tags();
            boolean pass = true;
            boolean anyBad = false;
            for (CaseResult r : rs) {
                pass &= r.outcome() == Outcome.PASS;
                anyBad |= r.outcome().isBad();
            }
            for (int o = 0; o < opts.size(); o++) {
                if (!t.options().contains(opts.get(o))) {
                    continue;
                }
                for (int k = 0; k < keys.size(); k++) {
                    if (t.cells().contains(keys.get(k)[0]) && t.dtype() != null && t.dtype().name().equals(keys.get(k)[1])) {
                        counts[o][k][0] += pass ? 1 : 0;
                        counts[o][k][1]++;
                        bad[o][k] |= anyBad;
                    }
                }
            }
        }
        return new Matrix(opts, columns, counts, bad);
    }

    static String matrixCell(Matrix m, int o, int k) {
        int[] pn = m.counts()[o][k];
        return pn[1] == 0 ? "" : pn[0] + "/" + pn[1] + (m.bad()[o][k] ? " ✗" : "");
    }

    private void coverage(ReportDocument d) {
        d.heading(2, "Coverage: cases per option × cell × dtype");
        d.markdown("From the tags of every case (golden: its case.json; random: derived from its calls). A cell reads "
                + "*passing/cases*" + (multi ? " (a case passes when every implementation passes it)" : "")
                + "; ✗ marks a count that includes a FAIL, ERROR or unexpected pass; empty: no case. A case counts once "
                + "for every cell kind it contains.");
        Matrix m = matrix();
        List<Column> cols = new ArrayList<>(List.of(Column.text("option")));
        for (String c : m.columns()) {
            cols.add(Column.number(c));
        }
        List<Row> rows = new ArrayList<>();
        for (int o = 0; o < m.options().size(); o++) {
            List<String> row = new ArrayList<>(List.of(m.options().get(o)));
            boolean bad = false;
            for (int k = 0; k < m.columns().size(); k++) {
                row.add(matrixCell(m, o, k));
                bad |= m.bad()[o][k];
            }
            rows.add(new Row(row, bad ? "FAIL" : null));
        }
        d.table(cols, rows);
    }

    // ---- worst errors per quantity

    /** Worst error per implementation, dtype and quantity kind: the row cells (see {@link #worstColumns()}). */
    List<List<String>> worstRows(String suite) {
        List<List<String>> rows = new ArrayList<>();
        for (String impl : implementations) {
            for (DType dt : DType.values()) {
                for (QuantityCheck.Kind kind : QuantityCheck.Kind.values()) {
                    int n = 0;
                    double abs = 0;
                    QuantityError w = null;
                    String wc = "";
                    for (CaseResult r : of(impl, suite)) {
                        if (r.tags().dtype() != dt) {
                            continue;
                        }
                        boolean counted = false;
                        for (QuantityError q : r.errors()) {
                            if (q.kind() != kind) {
                                continue;
                            }
                            counted = true;
                            abs = Math.max(abs, q.maxAbsError());
                            if (w == null || CaseResult.severity(q) > CaseResult.severity(w)) {
                                w = q;
                                wc = r.caseName();
                            }
                        }
                        n += counted ? 1 : 0;
                    }
                    if (n == 0) {
                        continue;
                    }
                    List<String> row = new ArrayList<>();
                    if (multi) {
                        row.add(impl);
                    }
                    row.addAll(List.of(dt.kerasName(), kind.label(), String.valueOf(n), KitReport.fmt(abs),
                            KitReport.fmt(w.maxRelError()), KitReport.fmt(w.bound()), ratio(w), wc + " " + w.quantity(),
                            where(w)));
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    List<Column> worstColumns() {
        List<Column> cols = new ArrayList<>();
        if (multi) {
            cols.add(Column.text("implementation"));
        }
        cols.addAll(List.of(Column.text("dtype"), Column.text("quantity"), Column.number("cases"),
                Column.number("worst abs error"), Column.number("worst error (highest ratio)"), Column.number("its tolerance"),
                Column.number("ratio"), Column.text("case and quantity"), Column.text("where")));
        return cols;
    }

    private void worstErrors(ReportDocument d) {
        d.heading(2, "Worst errors per quantity");
        List<Row> rows = new ArrayList<>();
        for (List<String> r : worstRows(null)) {
            rows.add(new Row(r, null));
        }
        d.table(worstColumns(), rows);
    }

    // ---- outcome sections

    private void wrongAnswers(ReportDocument d) {
        List<CaseResult> failed = new ArrayList<>();
        for (CaseResult r : report.results()) {
            if (r.outcome() == Outcome.FAIL) {
                failed.add(r);
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        d.heading(2, "Wrong answers");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(failed.size(), MAX_LISTED_FAILURES); i++) {
            CaseResult r = failed.get(i);
            sb.append("- `").append(r.caseName()).append('`').append(multi ? " (" + r.implementation() + ")" : "")
                    .append(": ").append(KitReport.md(r.detail())).append('\n');
        }
        if (failed.size() > MAX_LISTED_FAILURES) {
            sb.append("- … ").append(failed.size() - MAX_LISTED_FAILURES).append(" more in the table below\n");
        }
        d.markdown(sb.toString());
    }

    private void groups(ReportDocument d, Outcome o, String heading) {
        Map<String, List<CaseResult>> groups = report.byReason(o);
        if (groups.isEmpty()) {
            return;
        }
        d.heading(2, heading);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<CaseResult>> g : groups.entrySet()) {
            List<String> names = new ArrayList<>();
            for (CaseResult r : g.getValue()) {
                names.add("`" + r.caseName() + "`" + (multi ? " (" + r.implementation() + ")" : ""));
            }
            int shown = Math.min(names.size(), 12);
            sb.append("- ").append(g.getKey().isEmpty() ? "(no reason given)" : KitReport.md(g.getKey())).append(" — ")
                    .append(g.getValue().size()).append(" case(s): ").append(String.join(", ", names.subList(0, shown)));
            if (shown < names.size()) {
                sb.append(", … (").append(names.size() - shown).append(" more in the table below)");
            }
            sb.append('\n');
        }
        d.markdown(sb.toString());
    }

    private void allCases(ReportDocument d) {
        d.heading(2, "All cases");
        List<Column> cols = new ArrayList<>(List.of(Column.text("case")));
        if (multi) {
            cols.add(Column.text("implementation"));
        }
        cols.addAll(List.of(Column.text("outcome"), Column.text("worst quantity"), Column.text("where"),
                Column.number("max abs err"), Column.number("worst error"), Column.number("tolerance"),
                Column.number("ratio"), Column.text("reason")));
        List<Row> rows = new ArrayList<>();
        for (CaseResult r : report.results()) {
            QuantityError w = r.worst();
            List<String> row = new ArrayList<>(List.of(r.caseName()));
            if (multi) {
                row.add(r.implementation());
            }
            row.addAll(List.of(r.outcome().label(), w == null ? "" : w.quantity(), w == null ? "" : where(w),
                    w == null ? "" : KitReport.fmt(w.maxAbsError()), w == null ? "" : KitReport.fmt(w.maxRelError()),
                    w == null ? "" : w.tolerance(), w == null ? "" : ratio(w), KitReport.capped(r.reason())));
            rows.add(new Row(row, r.outcome().name()));
        }
        d.table(cols, rows);
    }
}
