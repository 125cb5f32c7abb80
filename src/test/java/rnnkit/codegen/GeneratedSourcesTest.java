package rnnkit.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every generated source file is exactly what {@link SourceGenerator} makes now (not stale, not edited by hand),
 * and every file that says it is generated is one the generator makes (none orphaned by a deleted or renamed
 * source).
 */
class GeneratedSourcesTest {

    private static final Path PROJECT = Path.of(System.getProperty("rnnkit.project.dir", "."));

    @Test
    void everyGeneratedFileIsUpToDateAndEveryMarkedFileIsGenerated() throws IOException {
        Map<Path, String> expected = SourceGenerator.generate(PROJECT);
        List<Path> stale = new ArrayList<>();
        for (Map.Entry<Path, String> e : expected.entrySet()) {
            Path file = PROJECT.resolve(e.getKey());
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(e.getValue())) {
                stale.add(e.getKey());
            }
        }
        assertThat(stale).as("stale or hand-edited generated files; run %s", SourceGenerator.COMMAND).isEmpty();
        assertThat(SourceGenerator.filesMarkedGenerated(PROJECT))
                .as("files marked GENERATED that the generator does not make")
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        System.out.println("[generated sources] " + expected.size() + " files up to date");
    }

    @Test
    void theFloatTwinSubstitutesThePrecisionAndHonoursTheEscapes() {
        String source = SourceGenerator.sourceHeader("DoubleThing.java") + "\n"
                + "/** In float64. */\n"
                + "final class DoubleThing {\n"
                + "    static final double C = /*(float)*/ 0.1;\n"
                + "    double f(/**/double[] data, PackedDoubleMatrix m) { return /*(float)*/ Math.exp(data[0]); }\n"
                + "    void g() { gemm.dgemm(); ws.doubles(MR_DOUBLE); random./**/nextDouble(); }\n"
                + "}\n";
        assertThat(SourceGenerator.floatTwin("DoubleThing.java", source)).isEqualTo(
                "// GENERATED from DoubleThing.java by " + SourceGenerator.LOCATION + ": do not edit.\n"
                        + "/** In float32. */\n"
                        + "final class FloatThing {\n"
                        + "    static final float C = (float) 0.1;\n"
                        + "    float f(double[] data, PackedFloatMatrix m) { return (float) Math.exp(data[0]); }\n"
                        + "    void g() { gemm.sgemm(); ws.floats(MR_FLOAT); random.nextDouble(); }\n"
                        + "}\n");
        assertThat(SourceGenerator.twinName("PackedDoubleMatrix.java")).isEqualTo("PackedFloatMatrix.java");
    }

    @Test
    void aSourceWithoutItsHeaderIsRefused() {
        assertThatThrownBy(() -> SourceGenerator.floatTwin("DoubleThing.java", "package x;\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DoubleThing.java does not start with its source header");
    }
}
