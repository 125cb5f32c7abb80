package rnnkit.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A conformance run's results for one implementation, rendered as Markdown, HTML or JUnit XML. The report states
 * how many cases were planned and how many ran; a run that did not finish says INCOMPLETE at the top, so a partial
 * report never looks complete. Files are written to a temporary name and moved into place.
 *
 * @param title e.g. "rnnkit conformance: onnxruntime"
 * @param implementation the implementation's name
 * @param corpus where the cases came from and which Keras made them
 * @param selection include/exclude/shard description
 * @param planned number of cases the run set out to do
 * @param results one per case that ran, in run order
 * @param notes free text paragraphs shown under the summary (e.g. what the adapter maps and how)
 */
public record KitReport(String title, String implementation, String corpus, String selection, int planned,
                        List<CaseResult> results, List<String> notes) {

    public KitReport {
        results = List.copyOf(results);
        notes = notes == null ? List.of() : List.copyOf(notes);
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

    /** True if the run is complete and no case failed, errored or passed unexpectedly. */
    public boolean success() {
        if (!complete()) {
            return false;
        }
        for (CaseResult r : results) {
            if (r.outcome().isBad()) {
                return false;
            }
        }
        return true;
    }

    /** One line: "412 cases: 380 pass, 0 FAIL, 32 unsupported, ..." */
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
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        if (!complete()) {
            sb.append("> **INCOMPLETE RUN: only ").append(results.size()).append(" of ").append(planned)
                    .append(" planned cases ran. Do not read this report as a full result.**\n\n");
        }
        sb.append("- Implementation: `").append(implementation).append("`\n");
        sb.append("- Corpus: ").append(corpus).append("\n");
        sb.append("- Selection: ").append(selection).append("\n");
        sb.append("- Verdict: **").append(success() ? "PASS" : "FAIL").append("** — ").append(summaryLine()).append("\n\n");
        for (String n : notes) {
            sb.append(n).append("\n\n");
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
                    .append(r.reason().replace("|", "\\|").replace("\n", " ")).append(" |\n");
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
            sb.append("- ").append(g.getKey().isEmpty() ? "(no reason given)" : g.getKey()).append(" — ")
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
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(html(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
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
                .append(success() ? "PASS" : "FAIL").append("</b> — ").append(html(summaryLine())).append("</li></ul>\n");
        for (String n : notes) {
            sb.append("<p>").append(html(n)).append("</p>\n");
        }
        sb.append("<table><tr><th>case</th><th>outcome</th><th>worst quantity</th><th>max abs err</th><th>max rel err</th>"
                + "<th>tolerance</th><th>reason</th></tr>\n");
        for (CaseResult r : results) {
            QuantityError w = r.worst();
            sb.append("<tr class=\"").append(r.outcome().name()).append("\"><td>").append(html(r.caseName())).append("</td><td>")
                    .append(html(r.outcome().label())).append("</td><td>").append(w == null ? "" : html(w.quantity()))
                    .append("</td><td>").append(w == null ? "" : fmt(w.maxAbsError())).append("</td><td>")
                    .append(w == null ? "" : fmt(w.maxRelError())).append("</td><td>").append(w == null ? "" : html(w.tolerance()))
                    .append("</td><td>").append(html(r.reason())).append("</td></tr>\n");
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

    /** Writes {@code <base>.md}, {@code .html} and/or {@code .xml} (JUnit) atomically; formats: md, html, junit. */
    public List<Path> write(Path directory, String baseName, List<String> formats) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (String f : formats) {
                String content;
                String ext;
                switch (f.toLowerCase(Locale.ROOT)) {
                    case "md", "markdown" -> {
                        content = toMarkdown();
                        ext = ".md";
                    }
                    case "html" -> {
                        content = toHtml();
                        ext = ".html";
                    }
                    case "junit", "xml" -> {
                        content = toJunitXml();
                        ext = ".xml";
                    }
                    default -> throw new IllegalArgumentException("unknown report format '" + f + "'; expected md, html or junit");
                }
                Path target = directory.resolve(baseName + ext);
                Path tmp = directory.resolve("." + baseName + ext + ".tmp");
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written.add(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report to " + directory + ": " + e.getMessage(), e);
        }
        return written;
    }
}
