package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every float32 kernel source is exactly what {@link FloatTwinGenerator} makes from its float64 source. */
class FloatTwinsAreGeneratedTest {

    @Test
    void everyFloatTwinIsUpToDate() throws IOException {
        Path project = Path.of(System.getProperty("rnnkit.project.dir", "."));
        List<Path> sources = FloatTwinGenerator.doubleSources(project);
        assertThat(sources).hasSize(8);
        for (Path p : sources) {
            Path twin = FloatTwinGenerator.sourceDir(project).resolve(FloatTwinGenerator.twinName(p));
            assertThat(twin).as("twin of " + p.getFileName()).exists();
            String expected = FloatTwinGenerator.twin(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            assertThat(Files.readString(twin, StandardCharsets.UTF_8))
                    .as(twin.getFileName() + " is out of date: run java src/test/java/rnnkit/optimized/FloatTwinGenerator.java .")
                    .isEqualTo(expected);
        }
    }
}
