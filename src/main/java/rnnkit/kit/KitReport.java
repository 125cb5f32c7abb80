package rnnkit.kit;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A conformance run's results for one implementation, rendered as Markdown, HTML or JUnit XML (written as one set by
 * {@link ReportSet}). The report states how many cases were planned and how many ran; a run that did not finish
 * says INCOMPLETE at the top, so a partial report never looks complete. The verdict says exactly how much was
 * verified ({@link Verdict}): never PASS for a run in which nothing passed, and never a plain PASS when gradients
 * were not checked.
 *
 * @param title e.g. "rnnkit conformance: onnxruntime"
 * @param implementation the implementation's name
 * @param corpus where the cases came from and which Keras made them
 * @param selection include/exclude/shard description
 * @param planned number of cases the run set out to do
 * @param results one per case that ran, in run order
 * @param notes free text paragraphs shown under the summary (e.g. what the adapter maps and how)
 * @param staleExpectedFailures expected-failure entries that matched no selected case
 * @param coverage what the random cases covered, aspect by aspect (empty when the run had none)
 */
public record KitReport(String title, String implementation, String corpus, String selection, int planned,
                        List<CaseResult> results, List<String> notes, List<String> staleExpectedFailures,
                        Map<String, String> coverage) {

    /** Longest reason shown in a report; longer reasons are cut, with the number of characters left out. */
    public static final int MAX_REASON_CHARS = 1000;

    public KitReport {
        results = List.copyOf(results);
        notes = notes == null ? List.of() : List.copyOf(notes);
        staleExpectedFailures = staleExpectedFailures == null ? List.of() : List.copyOf(staleExpectedFailures);
        coverage = coverage == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(coverage));
    }

    public KitReport(String title, String implementation, String corpus, String selection, int planned,
                     List<CaseResult> results, List<String> notes) {
        this(title, implementation, corpus, selection, planned, results, notes, List.of(), Map.of());
    }

    public boolean complete() {
        return results.size() == planned;
    }

    public Map<Outcome, Integer> counts() {
        Map<Outcome, Integer> c = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            c.put(o, 0);
        }
        for (CaseResult r : results) {
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
        Map<String, List<CaseResult>> m = new LinkedHashMap<>();
        for (CaseResult r : results) {
            if (r.outcome() == outcome) {
                m.computeIfAbsent(r.reason(), k -> new ArrayList<>()).add(r);
            }
        }
        return m;
    }

    /** A reason cut to {@link #MAX_REASON_CHARS}, on one line. */
    static String capped(String reason) {
        String one = reason.replaceAll("[\\r\\n\\t\\u000B\\f\\u0085\\u2028\\u2029]+", " ");
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
        StringBuilder sb = new StringBuilder();
        for (char c : capped(s).toCharArray()) {
            switch (c) {
                case '\\', '`', '*', '[', ']', '|', '#', '~', '<' -> sb.append('\\').append(c);
                default -> sb.append(c < 0x20 ? ' ' : c);
            }
        }
        return sb.toString();
    }

    static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    public String toMarkdown() {
        return toMarkdown(null);
    }

    String toMarkdown(String setId) {
        StringBuilder sb = new StringBuilder();
        if (setId != null) {
            sb.append("<!-- rnnkit report set ").append(setId).append(" -->\n");
        }
        sb.append("# ").append(md(title)).append("\n\n");
        if (!complete()) {
            sb.append("> **INCOMPLETE RUN: only ").append(results.size()).append(" of ").append(planned)
                    .append(" planned cases ran. Do not read this report as a full result.**\n\n");
        }
        sb.append("- Implementation: `").append(implementation.replace("`", "'")).append("`\n");
        sb.append("- Corpus: ").append(md(corpus)).append("\n");
        sb.append("- Selection: ").append(md(selection)).append("\n");
        sb.append("- Verdict: **").append(verdictText()).append("** — ").append(summaryLine()).append("\n\n");
        for (String n : notes) {
            sb.append(n).append("\n\n");
        }
        if (!staleExpectedFailures.isEmpty()) {
            sb.append("## Stale expected-failure entries (they match no selected case)\n\n");
            for (String e : staleExpectedFailures) {
                sb.append("- ").append(md(e)).append("\n");
            }
            sb.append("\n");
        }
        if (!coverage.isEmpty()) {
            sb.append("## What the random cases covered\n\n| aspect | cases |\n|---|---|\n");
            coverage.forEach((k, v) -> sb.append("| ").append(md(k)).append(" | ").append(md(v)).append(" |\n"));
            sb.append("\n");
        }
        appendGroups(sb, Outcome.FAIL, "Wrong answers");
        appendGroups(sb, Outcome.ERROR, "Errors (unusable output)");
        appendGroups(sb, Outcome.UNEXPECTED_PASS, "Unexpected passes (expected-failure list out of date)");
        appendGroups(sb, Outcome.EXPECTED_FAIL, "Expected failures (known differences)");
        appendGroups(sb, Outcome.UNSUPPORTED, "Unsupported (cannot be expressed by this implementation)");
        sb.append("## All cases\n\n");
        sb.append("| case | outcome | worst quantity | max abs err | max rel err | tolerance | reason |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (CaseResult r : results) {
            QuantityError w = r.worst();
            sb.append("| ").append(r.caseName()).append(" | ").append(r.outcome().label()).append(" | ")
                    .append(w == null ? "" : w.quantity()).append(" | ")
                    .append(w == null ? "" : fmt(w.maxAbsError())).append(" | ")
                    .append(w == null ? "" : fmt(w.maxRelError())).append(" | ")
                    .append(w == null ? "" : w.tolerance()).append(" | ")
                    .append(md(r.reason())).append(" |\n");
        }
        return sb.toString();
    }

    private void appendGroups(StringBuilder sb, Outcome o, String heading) {
        Map<String, List<CaseResult>> groups = byReason(o);
        if (groups.isEmpty()) {
            return;
        }
        sb.append("## ").append(heading).append("\n\n");
        for (Map.Entry<String, List<CaseResult>> g : groups.entrySet()) {
            List<String> names = new ArrayList<>();
            for (CaseResult r : g.getValue()) {
                names.add("`" + r.caseName() + "`");
            }
            int shown = Math.min(names.size(), 12);
            sb.append("- ").append(g.getKey().isEmpty() ? "(no reason given)" : md(g.getKey())).append(" — ")
                    .append(g.getValue().size()).append(" case(s): ").append(String.join(", ", names.subList(0, shown)));
            if (shown < names.size()) {
                sb.append(", … (").append(names.size() - shown).append(" more in the table below)");
            }
            sb.append("\n");
        }
        sb.append("\n");
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public String toHtml() {
        return toHtml(null);
    }

    String toHtml(String setId) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        if (setId != null) {
            sb.append("<meta name=\"rnnkit-report-set\" content=\"").append(setId).append("\">");
        }
        sb.append("<title>").append(html(title)).append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}.FAIL,.ERROR,.UNEXPECTED_PASS{background:#fdd}"
                        + ".PASS{background:#dfd}.UNSUPPORTED,.EXPECTED_FAIL{background:#eee}.warn{color:#b00;font-weight:bold}"
                        + "</style></head><body>\n");
        sb.append("<h1>").append(html(title)).append("</h1>\n");
        if (!complete()) {
            sb.append("<p class=\"warn\">INCOMPLETE RUN: only ").append(results.size()).append(" of ").append(planned)
                    .append(" planned cases ran.</p>\n");
        }
        sb.append("<ul><li>Implementation: <code>").append(html(implementation)).append("</code></li><li>Corpus: ")
                .append(html(corpus)).append("</li><li>Selection: ").append(html(selection)).append("</li><li>Verdict: <b>")
                .append(html(verdictText())).append("</b> — ").append(html(summaryLine())).append("</li></ul>\n");
        for (String n : notes) {
            sb.append("<p>").append(html(n)).append("</p>\n");
        }
        if (!staleExpectedFailures.isEmpty()) {
            sb.append("<h2>Stale expected-failure entries (they match no selected case)</h2><ul>");
            for (String e : staleExpectedFailures) {
                sb.append("<li>").append(html(capped(e))).append("</li>");
            }
            sb.append("</ul>\n");
        }
        if (!coverage.isEmpty()) {
            sb.append("<h2>What the random cases covered</h2><table><tr><th>aspect</th><th>cases</th></tr>");
            coverage.forEach((k, v) -> sb.append("<tr><td>").append(html(k)).append("</td><td>").append(html(v)).append("</td></tr>"));
            sb.append("</table>\n");
        }
        sb.append("<table><tr><th>case</th><th>outcome</th><th>worst quantity</th><th>max abs err</th><th>max rel err</th>"
                + "<th>tolerance</th><th>reason</th></tr>\n");
        for (CaseResult r : results) {
            QuantityError w = r.worst();
            sb.append("<tr class=\"").append(r.outcome().name()).append("\"><td>").append(html(r.caseName())).append("</td><td>")
                    .append(html(r.outcome().label())).append("</td><td>").append(w == null ? "" : html(w.quantity()))
                    .append("</td><td>").append(w == null ? "" : fmt(w.maxAbsError())).append("</td><td>")
                    .append(w == null ? "" : fmt(w.maxRelError())).append("</td><td>").append(w == null ? "" : html(w.tolerance()))
                    .append("</td><td>").append(html(capped(r.reason()))).append("</td></tr>\n");
        }
        sb.append("</table>\n</body></html>\n");
        return sb.toString();
    }

    static String xml(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** JUnit XML (the Surefire/Ant schema CI systems read): failures, errors, and skips for unsupported cases. */
    public String toJunitXml() {
        return toJunitXml(null);
    }

    String toJunitXml(String setId) {
        Map<Outcome, Integer> c = counts();
        int failures = c.get(Outcome.FAIL) + c.get(Outcome.UNEXPECTED_PASS) + (complete() ? 0 : 1);
        int errors = c.get(Outcome.ERROR);
        int skipped = c.get(Outcome.UNSUPPORTED) + c.get(Outcome.EXPECTED_FAIL);
        double total = 0;
        for (CaseResult r : results) {
            total += r.seconds();
        }
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                xml("rnnkit." + implementation), results.size() + (complete() ? 0 : 1), failures, errors, skipped, total));
        sb.append("  <properties>\n    <property name=\"rnnkit.verdict\" value=\"").append(xml(verdictText())).append("\"/>\n");
        if (setId != null) {
            sb.append("    <property name=\"rnnkit.report.set\" value=\"").append(setId).append("\"/>\n");
        }
        for (String e : staleExpectedFailures) {
            sb.append("    <property name=\"rnnkit.stale.xfail\" value=\"").append(xml(capped(e))).append("\"/>\n");
        }
        sb.append("  </properties>\n");
        for (CaseResult r : results) {
            sb.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                    xml("rnnkit." + implementation), xml(r.caseName()), r.seconds()));
            String detail = r.detail();
            switch (r.outcome()) {
                case PASS -> sb.append("/>\n");
                case FAIL, UNEXPECTED_PASS -> sb.append(">\n    <failure message=\"").append(xml(detail)).append("\"/>\n  </testcase>\n");
                case ERROR -> sb.append(">\n    <error message=\"").append(xml(detail)).append("\"/>\n  </testcase>\n");
                default -> sb.append(">\n    <skipped message=\"").append(xml(r.outcome().label() + ": " + detail))
                        .append("\"/>\n  </testcase>\n");
            }
        }
        if (!complete()) {
            sb.append("  <testcase classname=\"rnnkit.run\" name=\"run-complete\">\n    <failure message=\"only ")
                    .append(results.size()).append(" of ").append(planned).append(" planned cases ran\"/>\n  </testcase>\n");
        }
        sb.append("</testsuite>\n");
        return sb.toString();
    }

    /** Renders one format ("md"/"markdown", "html", "junit"/"xml") of this report, tagged with a report-set id. */
    String render(String format, String setId) {
        return switch (format) {
            case "md", "markdown" -> toMarkdown(setId);
            case "html" -> toHtml(setId);
            case "junit", "xml" -> toJunitXml(setId);
            default -> throw new IllegalArgumentException("unknown report format '" + format + "'; expected md, html or junit");
        };
    }

    /**
     * Writes {@code <base>.md}, {@code .html} and/or {@code .xml} (JUnit) as one set, see {@link ReportSet#write}.
     * Formats: md, html, junit.
     */
    public List<java.nio.file.Path> write(java.nio.file.Path directory, String baseName, List<String> formats) {
        return ReportSet.write(this, directory, baseName, formats);
    }
}
