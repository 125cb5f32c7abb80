package rnnkit.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A report as a sequence of blocks — headings, Markdown paragraphs, tables, charts, warnings — rendered to Markdown
 * and to HTML from the same blocks, so both formats always carry the same sections, tables and charts. Markdown
 * blocks (the report's own sentences, and notes given by the user) are Markdown source: written as they are into
 * the Markdown file and rendered by commonmark-java into the HTML one (raw HTML in them is escaped, unsafe link
 * targets removed). Table cells and headings are plain text, escaped for each format. Charts are PNG bytes: linked
 * from the Markdown (the files are written beside it) and embedded in the HTML.
 */
public final class ReportDocument {
    /** A block of the report. */
    public sealed interface Block permits Heading, Markdown, Table, Chart, Warning {
    }

    /** A heading of level 1 to 6; plain text. */
    public record Heading(int level, String text) implements Block {
    }

    /** Markdown source (one or more paragraphs, lists). */
    public record Markdown(String source) implements Block {
    }

    /** A table; {@code numeric} columns never wrap in HTML. */
    public record Table(List<Column> columns, List<Row> rows) implements Block {
    }

    /** A table column. */
    public record Column(String header, boolean numeric) {
        public static Column text(String header) {
            return new Column(header, false);
        }

        public static Column number(String header) {
            return new Column(header, true);
        }
    }

    /**
     * A table row of plain-text cells; {@code kind} (e.g. an outcome name) is the row's CSS class in HTML, or null.
     */
    public record Row(List<String> cells, String kind) {
    }

    /** A chart: a PNG written as {@code file} beside the Markdown, embedded in the HTML. */
    public record Chart(String file, String caption, byte[] png) implements Block {
    }

    /** A warning that must not be overlooked (an incomplete run); plain text. */
    public record Warning(String text) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public ReportDocument(String title) {
        this.title = title;
        blocks.add(new Heading(1, title));
    }

    public ReportDocument heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    public ReportDocument markdown(String source) {
        blocks.add(new Markdown(source));
        return this;
    }

    public ReportDocument warning(String text) {
        blocks.add(new Warning(text));
        return this;
    }

    public ReportDocument table(List<Column> columns, List<Row> rows) {
        blocks.add(new Table(List.copyOf(columns), List.copyOf(rows)));
        return this;
    }

    public ReportDocument chart(String file, String caption, byte[] png) {
        blocks.add(new Chart(file, caption, png));
        return this;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    /** The chart files (name to PNG bytes), in report order. */
    public Map<String, byte[]> charts() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Block b : blocks) {
            if (b instanceof Chart c) {
                out.put(c.file(), c.png());
            }
        }
        return out;
    }

    /**
     * Plain text made inert in Markdown: one line, and every character that could start markup (emphasis, code,
     * links, HTML, table cells, headings) backslash-escaped.
     */
    public static String escapeMarkdown(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : oneLine(s).toCharArray()) {
            switch (c) {
                case '\\', '`', '*', '[', ']', '|', '#', '~', '<' -> sb.append('\\').append(c);
                default -> sb.append(c < 0x20 ? ' ' : c);
            }
        }
        return sb.toString();
    }

    /** Text on one line: line and paragraph separators become spaces. */
    public static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t\\u000B\\f\\u0085\\u2028\\u2029]+", " ");
    }

    public static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Markdown; {@code comment} (e.g. the report-set id) goes first as an HTML comment, or nothing when null. */
    public String toMarkdown(String comment) {
        StringBuilder sb = new StringBuilder();
        if (comment != null) {
            sb.append("<!-- ").append(comment.replace("--", "- -")).append(" -->\n");
        }
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("#".repeat(h.level())).append(' ').append(escapeMarkdown(h.text())).append("\n\n");
            } else if (b instanceof Markdown m) {
                sb.append(m.source().strip()).append("\n\n");
            } else if (b instanceof Warning w) {
                sb.append("> **").append(escapeMarkdown(w.text())).append("**\n\n");
            } else if (b instanceof Chart c) {
                sb.append("![").append(escapeMarkdown(c.caption())).append("](").append(c.file()).append(")\n\n");
            } else if (b instanceof Table t) {
                {
                    sb.append('|');
                    for (Column c : t.columns()) {
                        sb.append(' ').append(escapeMarkdown(c.header())).append(" |");
                    }
                    sb.append("\n|");
                    for (Column c : t.columns()) {
                        sb.append(c.numeric() ? "---:|" : "---|");
                    }
                    sb.append('\n');
                    for (Row r : t.rows()) {
                        sb.append('|');
                        for (String cell : r.cells()) {
                            sb.append(' ').append(escapeMarkdown(cell)).append(" |");
                        }
                        sb.append('\n');
                    }
                    sb.append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    /** Markdown source as an HTML fragment (commonmark-java; raw HTML escaped). */
    public static String markdownToHtml(String source) {
        return HTML.render(PARSER.parse(source));
    }

    /**
     * A self-contained HTML page; {@code metaName}/{@code metaContent} (e.g. the report-set id) become a meta tag when
     * not null. Charts are embedded as data URIs; numbers in tables do not wrap.
     */
    public String toHtml(String metaName, String metaContent) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        if (metaName != null) {
            sb.append("<meta name=\"").append(escapeHtml(metaName)).append("\" content=\"").append(escapeHtml(metaContent))
                    .append("\">");
        }
        sb.append("<title>").append(escapeHtml(title)).append("</title>\n<style>body{font-family:sans-serif;margin:2em;"
                + "max-width:110em}table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;"
                + "padding:2px 6px;font-size:13px;vertical-align:top}th{background:#eee}.num{white-space:nowrap;"
                + "text-align:right}.FAIL,.ERROR,.UNEXPECTED_PASS{background:#fdd}.PASS{background:#dfd}"
                + ".UNSUPPORTED,.EXPECTED_FAIL{background:#eee}.warn{color:#b00;font-weight:bold}"
                + "figure{margin:1em 0}figcaption{font-size:13px;color:#444}</style></head><body>\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("<h").append(h.level()).append('>').append(escapeHtml(h.text())).append("</h").append(h.level())
                        .append(">\n");
            } else if (b instanceof Markdown m) {
                sb.append(markdownToHtml(m.source()));
            } else if (b instanceof Warning w) {
                sb.append("<p class=\"warn\">").append(escapeHtml(oneLine(w.text()))).append("</p>\n");
            } else if (b instanceof Chart c) {
                sb.append("<figure><img alt=\"").append(escapeHtml(c.caption())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(c.png())).append("\"><figcaption>")
                        .append(escapeHtml(c.caption())).append("</figcaption></figure>\n");
            } else if (b instanceof Table t) {
                {
                    sb.append("<table>\n<tr>");
                    for (Column c : t.columns()) {
                        sb.append("<th>").append(escapeHtml(c.header())).append("</th>");
                    }
                    sb.append("</tr>\n");
                    for (Row r : t.rows()) {
                        sb.append(r.kind() == null ? "<tr>" : "<tr class=\"" + escapeHtml(r.kind()) + "\">");
                        for (int i = 0; i < r.cells().size(); i++) {
                            boolean num = i < t.columns().size() && t.columns().get(i).numeric();
                            sb.append(num ? "<td class=\"num\">" : "<td>").append(escapeHtml(oneLine(r.cells().get(i))))
                                    .append("</td>");
                        }
                        sb.append("</tr>\n");
                    }
                    sb.append("</table>\n");
                }
            }
        }
        return sb.append("</body></html>\n").toString();
    }
}
