package rnnkit.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes every generated source file of the project; {@code GeneratedSourcesTest} fails when any of them differs
 * from what this class makes. Run from the project root (no build needed, plain JDK 17):
 * <pre>  java src/test/java/rnnkit/codegen/SourceGenerator.java           writes the generated files
 *  java src/test/java/rnnkit/codegen/SourceGenerator.java --check   lists the stale ones, exit code 1 if any</pre>
 *
 * <p><b>float32 twins.</b> A hand-written float64 source whose first line is the {@linkplain #sourceHeader source
 * header} gets a float32 twin: the same file with {@code Double → Float}, {@code double → float},
 * {@code DOUBLE → FLOAT}, {@code dgemm → sgemm} and {@code float64 → float32} everywhere (code and prose), and its
 * first line replaced by the {@linkplain #GENERATED GENERATED header}. The float64 source stays plain Java; two typed
 * escapes say what the substitution cannot know:
 * <ul>
 *   <li>{@code /*(float)*}{@code /} before an expression: the twin narrows it there, {@code (float) expr} (a
 *       {@code Math} result, a decimal literal); the float64 file has no cast.</li>
 *   <li>{@code /**}{@code /word} (as in EJML's 64→32 generator): {@code word} is kept as written in the twin, e.g.
 *       {@code /**}{@code /double[]} for an array that is double in both, {@code random./**}{@code /nextDouble()}.</li>
 * </ul>
 * Prose in a float64 source is written so that it reads right after the substitution: "float64" (not "double
 * precision") for the working precision, "64-bit" for what stays 64-bit in both.
 */
public final class SourceGenerator {

    /** Where the generator is, as the headers name it. */
    static final String LOCATION = "src/test/java/rnnkit/codegen/SourceGenerator.java";
    /** The command that rewrites every generated file. */
    static final String COMMAND = "java " + LOCATION;
    /** First line of every generated file; {@code %s} says from what. */
    static final String GENERATED = "// GENERATED %s by " + LOCATION + ": do not edit.";
    /** The source trees scanned for float64 sources with a twin. */
    static final List<String> SOURCE_ROOTS = List.of("src/main/java", "src/test/java");

    private static final String NARROW = "/*(float)*/";
    private static final Pattern KEEP = Pattern.compile("/\\*\\*/([A-Za-z_$][A-Za-z0-9_$]*)");
    private static final String[][] TO_FLOAT = {
            {"Double", "Float"}, {"double", "float"}, {"DOUBLE", "FLOAT"}, {"dgemm", "sgemm"}, {"float64", "float32"}};

    private SourceGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path project = Path.of(".");
        boolean check = List.of(args).contains("--check");
        Map<Path, String> files = generate(project);
        List<Path> stale = new ArrayList<>();
        for (Map.Entry<Path, String> e : files.entrySet()) {
            Path file = project.resolve(e.getKey());
            boolean current = Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(e.getValue());
            if (!current) {
                stale.add(e.getKey());
                if (!check) {
                    Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
                }
            }
        }
        for (Path p : stale) {
            System.out.println((check ? "stale: " : "wrote: ") + p);
        }
        System.out.println(files.size() + " generated files, " + stale.size() + (check ? " stale" : " rewritten"));
        if (check && !stale.isEmpty()) {
            System.exit(1);
        }
    }

    /** Every generated file (path relative to the project root) and its content. */
    static Map<Path, String> generate(Path project) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        for (Path source : twinSources(project)) {
            String text = Files.readString(project.resolve(source), StandardCharsets.UTF_8);
            out.put(source.resolveSibling(twinName(source.getFileName().toString())),
                    floatTwin(source.getFileName().toString(), text));
        }
        return out;
    }

    /** The float64 sources that have a float32 twin: files under {@link #SOURCE_ROOTS} starting with their source header. */
    static List<Path> twinSources(Path project) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String root : SOURCE_ROOTS) {
            try (Stream<Path> files = Files.walk(project.resolve(root))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    String first = firstLine(p);
                    if (first.equals(sourceHeader(p.getFileName().toString()))) {
                        sources.add(project.relativize(p));
                    }
                }
            }
        }
        return sources;
    }

    /** Files under {@link #SOURCE_ROOTS} whose first line says they are generated. */
    static List<Path> filesMarkedGenerated(Path project) throws IOException {
        List<Path> marked = new ArrayList<>();
        for (String root : SOURCE_ROOTS) {
            try (Stream<Path> files = Files.walk(project.resolve(root))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    if (firstLine(p).startsWith("// GENERATED")) {
                        marked.add(project.relativize(p));
                    }
                }
            }
        }
        return marked;
    }

    private static String firstLine(Path p) {
        try (Stream<String> lines = Files.lines(p, StandardCharsets.UTF_8)) {
            return lines.findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** First line of a float64 source that has a float32 twin. */
    static String sourceHeader(String doubleFileName) {
        return "// " + twinName(doubleFileName) + " is generated from this file: edit here, then run " + COMMAND;
    }

    static String twinName(String doubleFileName) {
        return toFloat(doubleFileName);
    }

    /** The float32 twin of a float64 source. */
    static String floatTwin(String doubleFileName, String doubleSource) {
        String header = sourceHeader(doubleFileName) + "\n";
        if (!doubleSource.startsWith(header)) {
            throw new IllegalArgumentException(doubleFileName + " does not start with its source header; expected: "
                    + header);
        }
        return String.format(GENERATED, "from " + doubleFileName) + "\n"
                + toFloat(doubleSource.substring(header.length()));
    }

    /** The double → float substitution with the two escapes (see the class comment). */
    static String toFloat(String text) {
        List<String> kept = new ArrayList<>();
        Matcher m = KEEP.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            kept.add(m.group(1));
            m.appendReplacement(sb, "\u0000" + (kept.size() - 1) + "\u0001");
        }
        m.appendTail(sb);
        String s = sb.toString().replace(NARROW, "(float)");
        for (String[] w : TO_FLOAT) {
            s = s.replace(w[0], w[1]);
        }
        for (int i = 0; i < kept.size(); i++) {
            s = s.replace("\u0000" + i + "\u0001", kept.get(i));
        }
        return s;
    }
}
