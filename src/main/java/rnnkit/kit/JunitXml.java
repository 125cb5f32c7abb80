package rnnkit.kit;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link KitReport} as JUnit XML in the shape CI systems read (the Jenkins xUnit/Ant schema; the test resources
 * hold the XSD it is validated against): {@code <testsuites>} holding a {@code <testsuite>} per implementation and
 * corpus suite named {@code rnnkit.<implementation>.<suite>}, a {@code <testcase>} per case with that classname,
 * {@code <failure>}/{@code <error>} with a type, the one-line detail as message and the located detail (and an
 * implementation's stack trace) as body, {@code <skipped>} with the reason, and per suite the properties CI shows:
 * corpus, Keras versions, tolerance model, verdict, and the suite's summary, coverage and worst errors.
 */
final class JunitXml {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private JunitXml() {
    }

    static String xml(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\n' -> sb.append("&#10;");
                case '\t' -> sb.append("&#9;");
                case '\r' -> sb.append("&#13;");
                default -> {
                    if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF && !(Character.isSurrogate(c) && !validPair(s, i))) {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** Element text (line breaks kept as they are). */
    private static String text(String s) {
        return xml(s).replace("&#10;", "\n").replace("&#9;", "\t");
    }

    static String render(KitReport report, KitReportContent content, String setId) {
        Map<Outcome, Integer> all = report.counts();
        boolean complete = report.complete();
        double total = 0;
        for (CaseResult r : report.results()) {
            total += r.seconds();
        }
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">%n",
                xml(report.title()), report.results().size() + (complete ? 0 : 1),
                all.get(Outcome.FAIL) + all.get(Outcome.UNEXPECTED_PASS) + (complete ? 0 : 1), all.get(Outcome.ERROR), total));
        Map<String, String> common = new LinkedHashMap<>();
        common.put("rnnkit.verdict", report.verdictText());
        if (setId != null) {
            common.put("rnnkit.report.set", setId);
        }
        common.put("rnnkit.corpus", report.corpus());
        common.put("rnnkit.selection", report.selection());
        report.properties().forEach((k, v) -> common.put(k, v));
        common.put("rnnkit.tolerance.model", KitReportContent.TOLERANCE_MODEL);
        for (int i = 0; i < report.staleExpectedFailures().size(); i++) {
            common.put("rnnkit.stale.xfail." + (i + 1), KitReport.capped(report.staleExpectedFailures().get(i)));
        }
        for (String impl : report.implementations()) {
            for (String suite : content.suites()) {
                List<CaseResult> rs = content.of(impl, suite);
                if (rs.isEmpty()) {
                    continue;
                }
                suite(sb, report, content, impl, suite, rs, common);
            }
        }
        if (!complete) {
            String name = "rnnkit." + report.implementation() + ".run";
            sb.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" "
                    + "time=\"0.000\" timestamp=\"%s\" hostname=\"%s\">%n", xml(name), TIMESTAMP.format(report.startedAt()),
                    xml(report.hostname())));
            sb.append("    <testcase classname=\"").append(xml(name)).append("\" name=\"run-complete\">\n")
                    .append("      <failure type=\"rnnkit.INCOMPLETE\" message=\"only ").append(report.results().size())
                    .append(" of ").append(report.planned()).append(" planned cases ran\"/>\n    </testcase>\n  </testsuite>\n");
        }
        return sb.append("</testsuites>\n").toString();
    }

    private static void suite(StringBuilder sb, KitReport report, KitReportContent content, String impl, String suite,
                              List<CaseResult> rs, Map<String, String> common) {
        Map<Outcome, Integer> c = KitReport.counts(rs);
        double time = 0;
        for (CaseResult r : rs) {
            time += r.seconds();
        }
        String name = "rnnkit." + impl + "." + suite;
        sb.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                        + "skipped=\"%d\" time=\"%.3f\" timestamp=\"%s\" hostname=\"%s\" package=\"%s\">%n", xml(name), rs.size(),
                c.get(Outcome.FAIL) + c.get(Outcome.UNEXPECTED_PASS), c.get(Outcome.ERROR),
                c.get(Outcome.UNSUPPORTED) + c.get(Outcome.EXPECTED_FAIL), time, TIMESTAMP.format(report.startedAt()),
                xml(report.hostname()), xml("rnnkit." + impl)));
        sb.append("    <properties>\n");
        Map<String, String> props = new LinkedHashMap<>(common);
        List<String> header = new ArrayList<>();
        content.summaryColumns().forEach(col -> header.add(col.header()));
        List<String> row = content.summaryRow(impl, suite);
        List<String> parts = new ArrayList<>();
        for (int i = 1; i < row.size(); i++) {
            if (!row.get(i).isEmpty() && !header.get(i).equals("implementation")) {
                parts.add(header.get(i) + " " + row.get(i));
            }
        }
        props.put("rnnkit.suite.summary", String.join(", ", parts));
        List<String> wh = new ArrayList<>();
        content.worstColumns().forEach(col -> wh.add(col.header()));
        for (List<String> w : content.worstRows(suite)) {
            int off = wh.get(0).equals("implementation") ? 1 : 0;
            if (off == 1 && !w.get(0).equals(impl)) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (int i = off + 2; i < w.size(); i++) {
                cells.add(wh.get(i) + " " + w.get(i));
            }
            props.put("rnnkit.worst." + w.get(off) + "." + w.get(off + 1).replace(' ', '_').replace('/', '_'),
                    String.join(", ", cells));
        }
        KitReportContent suiteContent = new KitReportContent(new KitReport(report.title(), impl, report.corpus(),
                report.selection(), rs.size(), rs, List.of(), List.of(), Map.of(), Map.of(), report.startedAt(),
                report.hostname()));
        KitReportContent.Matrix m = suiteContent.matrix();
        for (int o = 0; o < m.options().size(); o++) {
            List<String> cells = new ArrayList<>();
            for (int k = 0; k < m.columns().size(); k++) {
                String cell = KitReportContent.matrixCell(m, o, k);
                if (!cell.isEmpty()) {
                    cells.add(m.columns().get(k) + " " + cell);
                }
            }
            props.put("rnnkit.coverage." + m.options().get(o), String.join(", ", cells));
        }
        props.forEach((k, v) -> sb.append("      <property name=\"").append(xml(k)).append("\" value=\"").append(xml(v))
                .append("\"/>\n"));
        sb.append("    </properties>\n");
        for (CaseResult r : rs) {
            sb.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", xml(name),
                    xml(r.caseName()), r.seconds()));
            String detail = r.detail();
            switch (r.outcome()) {
                case PASS -> sb.append("/>\n");
                case FAIL, UNEXPECTED_PASS -> sb.append(">\n      <failure type=\"rnnkit.").append(r.outcome().name())
                        .append("\" message=\"").append(xml(detail)).append("\">").append(text(body(r)))
                        .append("</failure>\n    </testcase>\n");
                case ERROR -> sb.append(">\n      <error type=\"").append(xml(errorType(r))).append("\" message=\"")
                        .append(xml(detail)).append("\">").append(text(body(r))).append("</error>\n    </testcase>\n");
                default -> sb.append(">\n      <skipped message=\"").append(xml(r.outcome().label() + ": " + detail))
                        .append("\"/>\n    </testcase>\n");
            }
        }
        sb.append("  </testsuite>\n");
    }

    /** The failure or error body: each quantity over tolerance located on its own line, then a stack trace if any. */
    static String body(CaseResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(KitReport.capped(r.reason())).append('\n');
        for (QuantityError q : r.overTolerance()) {
            sb.append(q.located()).append('\n');
        }
        if (!r.trace().isEmpty()) {
            sb.append(r.trace());
        }
        return sb.toString();
    }

    /** The exception class an implementation threw ("forward threw java.lang.X: ..."), else rnnkit.ERROR. */
    static String errorType(CaseResult r) {
        String t = r.trace();
        if (!t.isEmpty()) {
            int end = 0;
            while (end < t.length() && t.charAt(end) != ':' && !Character.isWhitespace(t.charAt(end))) {
                end++;
            }
            return t.substring(0, end);
        }
        return "rnnkit.ERROR";
    }
}
