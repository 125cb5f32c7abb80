package rnnkit.kit;

import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rnnkit.report.ReportDocument;

/**
 * A conformance run's results — for one implementation, or for several side by side (the results then name their
 * implementations) — and the one place that turns them into reports: the same sections ({@link KitReportContent})
 * rendered as Markdown and HTML by {@link ReportDocument}, with charts, and as JUnit XML ({@link JunitXml}); written
 * as one set by {@link ReportSet}. The report states how many cases were planned and how many ran; a run that did
 * not finish says INCOMPLETE at the top, so a partial report never looks complete. The verdict says exactly how much
 * was verified ({@link Verdict}): never PASS for a run in which nothing passed, and never a plain PASS when gradients
 * were not checked.
 *
 * <p>Markdown and HTML are a pure function of the results (no clock, no host name: committed reports regenerate
 * byte for byte); only the JUnit XML carries {@code startedAt} and {@code hostname}, as CI systems expect.
 *
 * @param title e.g. "rnnkit conformance: onnxruntime"
 * @param implementation the implementation's name (or the names of those compared, e.g. "reference, optimized")
 * @param corpus where the cases came from and which Keras made them
 * @param selection include/exclude/shard description
 * @param planned number of case runs the run set out to do (cases × implementations)
 * @param results one per case run that ran, in run order
 * @param notes Markdown paragraphs shown under the summary (e.g. what the adapter maps and how)
 * @param staleExpectedFailures expected-failure entries that matched no case of the run
 * @param coverage what the random cases covered, aspect by aspect (empty when the run had none)
 * @param properties facts of the run for CI (JUnit XML properties), e.g. {@code keras.version}
 * @param startedAt when the run started (JUnit XML only)
 * @param hostname where it ran (JUnit XML only)
 */
public record KitReport(String title, String implementation, String corpus, String selection, int planned,
                        List<CaseResult> results, List<String> notes, List<String> staleExpectedFailures,
                        Map<String, String> coverage, Map<String, String> properties, Instant startedAt,
                        String hostname) implements ReportSet.Source {

    /** Longest reason shown in a report; longer reasons are cut, with the number of characters left out. */
    public static final int MAX_REASON_CHARS = 1000;

    public KitReport {
        results = List.copyOf(results);
        notes = notes == null ? List.of() : List.copyOf(notes);
        staleExpectedFailures = staleExpectedFailures == null ? List.of() : List.copyOf(staleExpectedFailures);
        coverage = coverage == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(coverage));
        properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        startedAt = (startedAt == null ? Instant.now() : startedAt).truncatedTo(ChronoUnit.SECONDS);
        hostname = hostname == null ? localHostname() : hostname;
    }

    /** A report started now, on this host. */
    public KitReport(String title, String implementation, String corpus, String selection, int planned,
                     List<CaseResult> results, List<String> notes, List<String> staleExpectedFailures,
                     Map<String, String> coverage, Map<String, String> properties) {
        this(title, implementation, corpus, selection, planned, results, notes, staleExpectedFailures, coverage,
                properties, null, null);
    }

    public KitReport(String title, String implementation, String corpus, String selection, int planned,
                     List<CaseResult> results, List<String> notes, List<String> staleExpectedFailures,
                     Map<String, String> coverage) {
        this(title, implementation, corpus, selection, planned, results, notes, staleExpectedFailures, coverage, Map.of());
    }

    public KitReport(String title, String implementation, String corpus, String selection, int planned,
                     List<CaseResult> results, List<String> notes) {
        this(title, implementation, corpus, selection, planned, results, notes, List.of(), Map.of());
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            return "localhost";
        }
    }

    /** The implementations whose results this report holds, in order of first appearance. */
    public List<String> implementations() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (CaseResult r : results) {
            names.add(r.implementation());
        }
        if (names.isEmpty()) {
            names.add(implementation);
        }
        return new ArrayList<>(names);
    }

    public boolean complete() {
        return results.size() == planned;
    }

    public Map<Outcome, Integer> counts() {
        return counts(results);
    }

    static Map<Outcome, Integer> counts(List<CaseResult> rs) {
        Map<Outcome, Integer> c = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            c.put(o, 0);
        }
        for (CaseResult r : rs) {
            c.merge(r.outcome(), 1, Integer::sum);
        }
        return c;
    }

    /** Passing cases whose gradients were not checked. */
    public int forwardOnlyPasses() {
        int n = 0;
        for (CaseResult r : results) {
            n += r.outcome() == Outcome.PASS && !r.gradientsChecked() ? 1 : 0;
        }
        return n;
    }

    public Verdict verdict() {
        Map<Outcome, Integer> c = counts();
        for (CaseResult r : results) {
            if (r.outcome().isBad()) {
                return Verdict.FAIL;
            }
        }
        if (!complete()) {
            return Verdict.INCOMPLETE;
        }
        int passed = c.get(Outcome.PASS);
        if (passed == 0) {
            return Verdict.NOTHING_VERIFIED;
        }
        int forwardOnly = forwardOnlyPasses();
        return forwardOnly == 0 ? Verdict.PASS : forwardOnly == passed ? Verdict.PASS_FORWARD_ONLY
                : Verdict.PASS_PARTLY_FORWARD_ONLY;
    }

    /** The verdict with what it rests on, e.g. "PASS, partly forward only: gradients not checked in 3 of 200 passing cases". */
    @Override
    public String verdictText() {
        Verdict v = verdict();
        return switch (v) {
            case PASS_PARTLY_FORWARD_ONLY -> v.label() + ": gradients not checked in " + forwardOnlyPasses() + " of "
                    + counts().get(Outcome.PASS) + " passing cases";
            case NOTHING_VERIFIED -> v.label() + ": no case passed (" + counts().get(Outcome.UNSUPPORTED)
                    + " unsupported, " + counts().get(Outcome.EXPECTED_FAIL) + " expected failures)";
            case INCOMPLETE -> v.label() + ": only " + results.size() + " of " + planned + " planned cases ran";
            default -> v.label();
        };
    }

    /** True if the verdict is a PASS of some kind (exit code 0). */
    public boolean success() {
        return verdict().isSuccess();
    }

    /** One line: "412 of 412 cases ran: 380 pass, 0 FAIL, 32 unsupported, ..." */
    public String summaryLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(results.size()).append(" of ").append(planned).append(" cases ran: ");
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Outcome, Integer> e : counts().entrySet()) {
            parts.add(e.getValue() + " " + e.getKey().label());
        }
        sb.append(String.join(", ", parts));
        return sb.toString();
    }

    /**
     * The line the command line prints last: "380 passed, 0 failed, 0 errors, 32 unsupported, 0 expected failures,
     * 0 unexpected passes: PASS".
     */
    public String printedSummary() {
        Map<Outcome, Integer> c = counts();
        return String.format(Locale.ROOT, "%d passed, %d failed, %d errors, %d unsupported, %d expected failures, "
                        + "%d unexpected passes: %s", c.get(Outcome.PASS), c.get(Outcome.FAIL), c.get(Outcome.ERROR),
                c.get(Outcome.UNSUPPORTED), c.get(Outcome.EXPECTED_FAIL), c.get(Outcome.UNEXPECTED_PASS), verdictText());
    }

    /** Cases that are not passes, grouped by reason (the behaviour differences, each with its cases). */
    public Map<String, List<CaseResult>> byReason(Outcome outcome) {
        Map<String, String> shown = new LinkedHashMap<>();
        Map<String, List<CaseResult>> byCause = new LinkedHashMap<>();
        for (CaseResult r : results) {
            if (r.outcome() == outcome) {
                String key = cause(r.reason());
                shown.putIfAbsent(key, firstLine(r.reason()));
                byCause.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, List<CaseResult>> m = new LinkedHashMap<>();
        byCause.forEach((key, cases) -> m.put(shown.get(key), cases));
        return m;
    }

    /**
     * What groups results in the report: the first non-blank line of the reason with every number replaced by
     * {@code #}, so one cause whose message names shapes, versions, indices or dtypes ("[2, 3] is at version 2",
     * "float64[3,3]", "call4/output") is one group, not one per variant. The group shows its first case's line.
     */
    static String cause(String reason) {
        return firstLine(reason).replaceAll("[0-9]+", "#");
    }

    static String firstLine(String reason) {
        for (String line : reason.split("\\R")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return "";
    }

    private static final java.util.regex.Pattern TERMINAL_ESCAPE =
            java.util.regex.Pattern.compile("\\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\\u0007\\u001B]*(?:\\u0007|\\u001B\\\\)?|[@-Z\\\\-_])");

    /**
     * Text as a reader should see it: terminal escape sequences (colours and bold of a Python traceback, OSC titles)
     * removed, and other control characters but line breaks and tabs dropped.
     */
    public static String plain(String s) {
        String t = TERMINAL_ESCAPE.matcher(s).replaceAll("");
        StringBuilder sb = new StringBuilder(t.length());
        for (char c : t.toCharArray()) {
            if (c >= 0x20 && c != 0x7f || c == '\n' || c == '\t' || c == '\r') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A reason cut to {@link #MAX_REASON_CHARS}, on one line. */
    static String capped(String reason) {
        String one = ReportDocument.oneLine(reason);
        if (one.length() <= MAX_REASON_CHARS) {
            return one;
        }
        return one.substring(0, MAX_REASON_CHARS) + "… (" + (one.length() - MAX_REASON_CHARS) + " more characters)";
    }

    /**
     * Text from outside (reasons, paths, globs) made inert in Markdown: one line, capped, and every character that
     * could start markup (emphasis, code, links, HTML, table cells) backslash-escaped, so it can neither break the
     * table nor add a heading or a verdict line.
     */
    static String md(String s) {
        return ReportDocument.escapeMarkdown(capped(s));
    }

    static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    /** The report as blocks (sections, tables, charts), for Markdown and HTML. */
    @Override
    public ReportDocument document(String baseName, boolean withCharts) {
        return new KitReportContent(this).document(baseName, withCharts);
    }

    public String toMarkdown() {
        return toMarkdown(null);
    }

    String toMarkdown(String setId) {
        return document(null, false).toMarkdown(setId == null ? null : "rnnkit report set " + setId);
    }

    public String toHtml() {
        return toHtml(null);
    }

    String toHtml(String setId) {
        return document(null, true).toHtml(setId == null ? null : "rnnkit-report-set", setId);
    }

    /**
     * JUnit XML shaped for CI (the Jenkins/Ant schema): a testsuite per implementation and corpus suite, classname
     * {@code rnnkit.<implementation>.<suite>}, failures and errors with type, message and the located detail, skips
     * with their reason, properties with the corpus, versions, tolerance model and the suite's summary, coverage and
     * worst errors.
     */
    public String toJunitXml() {
        return toJunitXml(null);
    }

    String toJunitXml(String setId) {
        return JunitXml.render(this, new KitReportContent(this), setId);
    }

    /**
     * Renders one format ("md"/"markdown", "html", "junit"/"xml") of this report, tagged with a report-set id;
     * {@code baseName} names the chart files the Markdown links to (null: no charts).
     */
    String render(String format, String setId, String baseName) {
        return switch (format) {
            case "md", "markdown" -> document(baseName, baseName != null)
                    .toMarkdown(setId == null ? null : "rnnkit report set " + setId);
            case "html" -> document(baseName, true).toHtml(setId == null ? null : "rnnkit-report-set", setId);
            case "junit", "xml" -> toJunitXml(setId);
            default -> throw new IllegalArgumentException("unknown report format '" + format + "'; expected md, html or junit");
        };
    }

    @Override
    public String render(String format, String setId) {
        return render(format, setId, null);
    }

    /**
     * Writes {@code <base>.md}, {@code .html} and/or {@code .xml} (JUnit) as one set, see {@link ReportSet#write};
     * with Markdown, also the charts it links to ({@code <base>.<chart>.png}). Formats: md, html, junit.
     */
    public List<java.nio.file.Path> write(java.nio.file.Path directory, String baseName, List<String> formats) {
        return ReportSet.write(this, directory, baseName, formats);
    }
}
