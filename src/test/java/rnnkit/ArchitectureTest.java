package rnnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reference ({@code reference/}, package rnnkit.reference) and the optimized path ({@code src/main/java/rnnkit/
 * optimized}) share no code, so that one bug cannot hide in both: neither may mention the other's package, by
 * import, static import or fully qualified name. Comments and string literals are ignored (a javadoc may say
 * "shares nothing with rnnkit.optimized").
 */
class ArchitectureTest {

    private static Path projectDir() {
        return Paths.get(System.getProperty("rnnkit.project.dir", System.getProperty("user.dir")));
    }

    @Test
    void referenceMentionsNothingFromTheOptimizedPackage() {
        List<Path> files = javaFiles(projectDir().resolve("reference"));
        assertThat(files).as("reference sources scanned").isNotEmpty();
        assertThat(violations(files, "rnnkit.optimized")).isEmpty();
    }

    @Test
    void optimizedMentionsNothingFromTheReferencePackage() {
        List<Path> files = javaFiles(projectDir().resolve("src/main/java/rnnkit/optimized"));
        assertThat(files).as("optimized sources scanned").isNotEmpty();
        assertThat(violations(files, "rnnkit.reference")).isEmpty();
    }

    @Test
    void scannerFindsImportsStaticImportsAndQualifiedNamesButNotComments() {
        String source = """
                package rnnkit.reference;
                import rnnkit.model.Tensor;
                import rnnkit.optimized.gemm.Gemm;
                import static rnnkit.optimized.gemm.NaiveGemm.multiply;
                import rnnkit.optimized.*;
                // rnnkit.optimized.gemm.Gemm is mentioned in a comment only
                /* rnnkit.optimized.parallel.ParallelRunner, also a comment */
                /** javadoc: shares nothing with {@link rnnkit.optimized.gemm.Gemm} */
                class LstmCell {
                    String s = "rnnkit.optimized.Foo in a string";
                    Object o = new rnnkit . optimized.parallel.ParallelRunner(2);
                    rnnkit.optimizedness.Other notAViolation;
                }
                """;
        assertThat(mentions(source, "rnnkit.optimized")).containsExactly(
                "line 3: rnnkit.optimized.gemm.Gemm",
                "line 4: rnnkit.optimized.gemm.NaiveGemm.multiply",
                "line 5: rnnkit.optimized.*",
                "line 11: rnnkit . optimized.parallel.ParallelRunner");
    }

    private static List<Path> javaFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> violations(List<Path> files, String forbiddenPackage) {
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            try {
                for (String m : mentions(Files.readString(f, StandardCharsets.UTF_8), forbiddenPackage)) {
                    found.add(projectDir().relativize(f.toAbsolutePath()) + " " + m);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /** Every code (not comment, not string) mention of {@code pkg} as a package prefix, with its line number. */
    static List<String> mentions(String source, String pkg) {
        String code = blankCommentsAndStrings(source);
        // Qualified names may have whitespace around the dots; the package must end at a dot (not "optimizedness").
        String[] parts = pkg.split("\\.");
        StringBuilder regex = new StringBuilder("\\b");
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : "\\s*\\.\\s*").append(Pattern.quote(parts[i]));
        }
        regex.append("\\s*\\.\\s*(?:[A-Za-z_$][\\w$]*|\\*)(?:\\s*\\.\\s*(?:[A-Za-z_$][\\w$]*|\\*))*");
        Matcher m = Pattern.compile(regex.toString()).matcher(code);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            int line = 1;
            for (int i = 0; i < m.start(); i++) {
                if (code.charAt(i) == '\n') {
                    line++;
                }
            }
            found.add("line " + line + ": " + m.group());
        }
        return found;
    }

    /** The source with comments, string/char literals and text blocks replaced by spaces (newlines kept). */
    static String blankCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                blank(s, i, end, out);
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
                blank(s, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(s.length(), j + 1);
                blank(s, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String s, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(s.charAt(k) == '\n' ? '\n' : ' ');
        }
    }
}
