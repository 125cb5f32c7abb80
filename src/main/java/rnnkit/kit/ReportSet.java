package rnnkit.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import rnnkit.golden.BoundedFiles;
import rnnkit.golden.CorpusManifest;
import rnnkit.golden.StrictJson;
import rnnkit.report.ReportDocument;

/**
 * The files of one report, {@code <base>.md}, {@code .html} and {@code .xml}, written as one set with a manifest
 * {@code <base>.report.json} that names the set's id (derived from its content) and the SHA-256 of each file; every
 * file carries the id too (an HTML comment in Markdown, a meta tag in HTML, a property in JUnit XML).
 *
 * <p>Separate files cannot all be replaced by one rename, so the order is what makes a set trustworthy: every new
 * file is first written in full (fresh random temporary name, created with CREATE_NEW, so a planted file or symbolic
 * link is never followed or overwritten) and forced to disk; then the old manifest is removed; then each file is
 * renamed over its target (a rename replaces the entry, never what a symbolic link points to), older files of
 * formats not written are removed, and the new manifest is renamed in last. So whenever {@code <base>.report.json}
 * exists, the files it lists are exactly that set; a run killed between the two manifest steps leaves no manifest
 * (the set is then not trusted by {@link #read}). Leftover temporary files of a killed run are removed by the next.
 */
public final class ReportSet {
    /** Suffix of the manifest file. */
    public static final String MANIFEST_SUFFIX = ".report.json";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> EXTENSIONS = Map.of("md", ".md", "markdown", ".md", "html", ".html",
            "junit", ".xml", "xml", ".xml");

    private ReportSet() {
    }

    /** The report formats the kit writes, by the names {@code --format} takes. */
    public static boolean isFormat(String f) {
        return EXTENSIONS.containsKey(f.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks, before a run starts, that the set can be written: the folder exists or can be created, is a folder,
     * takes a new file, and no report file name is taken by a folder.
     */
    public static void checkWritable(Path directory, String baseName, List<String> formats) {
        checkBaseName(baseName);
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--report-dir " + directory + " is not a directory");
        }
        try {
            Files.createDirectories(directory);
            List<Path> probe = new ArrayList<>();
            writeTemp(directory, baseName + ".probe", new byte[0], probe);
            Files.delete(probe.get(0));
        } catch (IOException e) {
            throw new IllegalArgumentException("--report-dir " + directory + " is not writable: " + e);
        }
        for (String f : formats) {
            String ext = EXTENSIONS.get(f.toLowerCase(Locale.ROOT));
            Path target = directory.resolve(baseName + (ext == null ? "" : ext));
            if (ext != null && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("report file " + target + " is a directory; the report cannot replace it");
            }
        }
    }

    /**
     * What a set is written from: the document its Markdown and HTML are rendered from (one document, so both carry
     * the same sections, tables and charts), the verdict the manifest names, and the formats not rendered from the
     * document (JUnit XML). {@link KitReport} and the training-trajectory report are sources.
     */
    public interface Source {
        /**
         * The report's blocks; with charts, chart files are named {@code <baseName>.<chart>.png} (chart names of
         * lower-case letters, digits, '_' and '-').
         */
        ReportDocument document(String baseName, boolean withCharts);

        /** The verdict with what it rests on, as the manifest states it. */
        String verdictText();

        /**
         * A format not rendered from the document (e.g. "junit"), tagged with the set id when not null; throws
         * IllegalArgumentException for a format this report is not written in.
         */
        String render(String format, String setId);
    }

    /**
     * Writes the set — with Markdown also the charts it links to, {@code <base>.<chart>.png} — and returns the report
     * files written (not the charts, not the manifest).
     */
    public static List<Path> write(Source report, Path directory, String baseName, List<String> formats) {
        return write(report, directory, baseName, formats, step -> { });
    }

    /**
     * A set's base name is one plain file name ({@link Implementations#NAME_PATTERN}: letters, digits, '_', '.', '-'),
     * so that no name — an adapter's {@code name()} included — can put a report file outside its folder.
     */
    static void checkBaseName(String baseName) {
        if (baseName == null || !baseName.matches(Implementations.NAME_PATTERN)) {
            throw new IllegalArgumentException("report name " + (baseName == null ? "null" : "'" + baseName + "'")
                    + " is not a plain file name; expected letters, digits, '_', '.' or '-'");
        }
    }

    /** Called after each step that changes the folder (tests stop a write there, as a kill would). */
    interface Steps {
        void done(String step);
    }

    static List<Path> write(Source report, Path directory, String baseName, List<String> formats, Steps steps) {
        checkBaseName(baseName);
        Map<String, String> byExtension = new LinkedHashMap<>();
        for (String f : formats) {
            String ext = EXTENSIONS.get(f.toLowerCase(Locale.ROOT));
            if (ext == null) {
                throw new IllegalArgumentException("unknown report format '" + f + "'; expected md, html or junit");
            }
            byExtension.putIfAbsent(ext, f.toLowerCase(Locale.ROOT));
        }
        // One document for Markdown and HTML: its charts are drawn once, linked from the one and embedded in the other.
        boolean document = byExtension.containsKey(".md") || byExtension.containsKey(".html");
        ReportDocument doc = document ? report.document(baseName, true) : null;
        StringBuilder unsigned = new StringBuilder();
        for (String f : byExtension.values()) {
            // what the id is derived from: the Markdown without chart links, the HTML with its charts, other formats
            String text = switch (f) {
                case "md", "markdown" -> report.document(null, false).toMarkdown(null);
                case "html" -> doc.toHtml(null, null);
                default -> report.render(f, null);
            };
            unsigned.append(text).append('\0');
        }
        String setId = idOf(unsigned.toString());
        List<Path> temps = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            removeLeftovers(directory, baseName);
            ObjectNode manifest = StrictJson.mapper().createObjectNode();
            manifest.put("report_set", setId);
            manifest.put("verdict", report.verdictText());
            ObjectNode files = manifest.putObject("files");
            ObjectNode charts = manifest.putObject("charts");
            Map<Path, Path> renames = new LinkedHashMap<>();
            Map<String, byte[]> contents = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : byExtension.entrySet()) {
                String text = switch (e.getValue()) {
                    case "md", "markdown" -> doc.toMarkdown("rnnkit report set " + setId);
                    case "html" -> doc.toHtml("rnnkit-report-set", setId);
                    default -> report.render(e.getValue(), setId);
                };
                contents.put(baseName + e.getKey(), text.getBytes(StandardCharsets.UTF_8));
            }
            if (byExtension.containsKey(".md")) {
                contents.putAll(doc.charts());
            }
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                Path target = directory.resolve(e.getKey());
                renames.put(writeTemp(directory, e.getKey(), e.getValue(), temps), target);
                (e.getKey().endsWith(".png") ? charts : files).put(e.getKey(), CorpusManifest.sha256(e.getValue()));
            }
            byte[] m = StrictJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
            Path manifestTemp = writeTemp(directory, baseName + MANIFEST_SUFFIX, m, temps);
            steps.done("temporary files written");
            Path manifestFile = directory.resolve(baseName + MANIFEST_SUFFIX);
            Files.deleteIfExists(manifestFile);
            steps.done("old manifest removed");
            for (Map.Entry<Path, Path> r : renames.entrySet()) {
                Files.move(r.getKey(), r.getValue(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                steps.done("renamed " + r.getValue().getFileName());
            }
            for (String ext : List.of(".md", ".html", ".xml")) {
                if (!byExtension.containsKey(ext)) {
                    Files.deleteIfExists(directory.resolve(baseName + ext));
                    steps.done("removed " + baseName + ext);
                }
            }
            for (Path old : chartFiles(directory, baseName)) {
                if (!contents.containsKey(old.getFileName().toString())) {
                    Files.deleteIfExists(old);
                }
            }
            Files.move(manifestTemp, manifestFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            steps.done("manifest renamed");
            forceDirectory(directory);
            List<Path> reports = new ArrayList<>();
            for (String ext : byExtension.keySet()) {
                reports.add(directory.resolve(baseName + ext));
            }
            return reports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report to " + directory + ": " + e, e);
        } finally {
            for (Path t : temps) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException ignored) {
                    // best effort: the next run removes leftovers
                }
            }
        }
    }

    /**
     * Reads a complete set: the manifest and every file it lists, each checked against its SHA-256. Throws
     * IllegalArgumentException when there is no manifest (no complete set: never written, or a run was killed while
     * replacing it) or a file does not match.
     *
     * The charts the Markdown links to are listed under {@code charts} and checked the same way.
     *
     * @return report file name to content (md, html, xml), in manifest order
     */
    public static Map<String, String> read(Path directory, String baseName) {
        Path mf = directory.resolve(baseName + MANIFEST_SUFFIX);
        if (!Files.exists(mf, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("no complete report set " + baseName + " in " + directory + ": "
                    + mf.getFileName() + " is missing");
        }
        JsonNode m = StrictJson.readObject(mf, "report manifest");
        String setId = StrictJson.text(m, "report_set", "report manifest");
        Map<String, String> out = new LinkedHashMap<>();
        for (String section : List.of("files", "charts")) {
            if (section.equals("charts") && !m.has("charts")) {
                continue;
            }
            var it = StrictJson.object(m, section, "report manifest").fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getKey().startsWith(baseName + ".") || e.getKey().contains("/")) {
                    throw new IllegalArgumentException("report manifest " + mf + " lists " + e.getKey() + ", not a file of set " + baseName);
                }
                byte[] bytes = BoundedFiles.read(directory.resolve(e.getKey()), 1L << 30, "report file");
                if (!CorpusManifest.sha256(bytes).equals(e.getValue().asText())) {
                    throw new IllegalArgumentException("report file " + e.getKey() + " is not the one of report set " + setId
                            + " (its SHA-256 differs from " + mf.getFileName() + ")");
                }
                if (section.equals("files")) {
                    out.put(e.getKey(), new String(bytes, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /** The set's id: from its content, so a set is named by what it says (rewriting the same report changes nothing). */
    static String setId(KitReport report, java.util.Collection<String> formats) {
        StringBuilder all = new StringBuilder();
        for (String f : formats) {
            all.append(report.render(f, null)).append('\0');
        }
        return idOf(all.toString());
    }

    private static String idOf(String unsignedContent) {
        return CorpusManifest.sha256(unsignedContent.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** Chart files of this set's name ({@code <base>.<chart>.png}), regular files only. */
    private static List<Path> chartFiles(Path dir, String baseName) throws IOException {
        Pattern chart = Pattern.compile(Pattern.quote(baseName) + "\\.[a-z0-9_-]+\\.png");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (chart.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static Path writeTemp(Path dir, String name, byte[] content, List<Path> temps) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + HexFormat.of().formatHex(randomBytes(8)) + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                temps.add(tmp);
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Temporary files of this set left by a killed run (regular files of our own name pattern only). */
    private static void removeLeftovers(Path dir, String baseName) throws IOException {
        Pattern ours = Pattern.compile("\\." + Pattern.quote(baseName)
                + "\\.(md|html|xml|report\\.json|probe|[a-z0-9_-]+\\.png)\\.[0-9a-f]{16}\\.tmp");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (ours.matcher(p.getFileName().toString()).matches()
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can sync a directory; the renames are still atomic
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
