package rnnkit.optimized;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the float32 twins of the float64 kernels: every {@code src/main/java/rnnkit/optimized/Double*.java}
 * except the hand-written {@code DoublePrecision} becomes {@code Float*.java} by replacing double with float
 * (Double/double/dgemm/float64 to Float/float/sgemm/float32). The double sources are written so that this
 * textual substitution compiles: literals are integers or {@code (double)} casts, Math results are cast.
 * {@code FloatTwinsAreGeneratedTest} fails when a twin is out of date. Run: {@code java FloatTwinGenerator.java [projectDir]}.
 */
public final class FloatTwinGenerator {
    static final String HEADER = "// GENERATED from %s by src/test/java/rnnkit/optimized/FloatTwinGenerator.java: do not edit.\n";

    private FloatTwinGenerator() {
    }

    static Path sourceDir(Path project) {
        return project.resolve("src/main/java/rnnkit/optimized");
    }

    /** The double sources that have a generated twin. */
    static List<Path> doubleSources(Path project) throws IOException {
        try (Stream<Path> files = Files.list(sourceDir(project))) {
            List<Path> out = new ArrayList<>();
            files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("Double") && n.endsWith(".java") && !n.equals("DoublePrecision.java");
            }).sorted().forEach(out::add);
            return out;
        }
    }

    static String twinName(Path doubleSource) {
        return "Float" + doubleSource.getFileName().toString().substring("Double".length());
    }

    static String twin(String fileName, String doubleSource) {
        String body = doubleSource.replace("Double", "Float").replace("double", "float").replace("dgemm", "sgemm")
                .replace("float64", "float32");
        return String.format(HEADER, fileName) + body;
    }

    public static void main(String[] args) throws IOException {
        Path project = Path.of(args.length > 0 ? args[0] : ".");
        for (Path p : doubleSources(project)) {
            String src = Files.readString(p, StandardCharsets.UTF_8);
            Path out = sourceDir(project).resolve(twinName(p));
            Files.writeString(out, twin(p.getFileName().toString(), src), StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
        }
    }
}
