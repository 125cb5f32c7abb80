package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.DType;
import rnnkit.reference.ReferenceRnn;

/** Long work says it is alive and what it counts: in logs a line when it starts and one per tenth, the unit in every line. */
class ProgressBarTest {

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void logOutputIsOneLinePerTenthNamingTheUnit() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 40, false, "replay steps");
        for (int i = 1; i <= 40; i++) {
            bar.step(i, "step " + i);
        }
        List<String> lines = lines(bytes);
        assertThat(lines).hasSize(11);
        assertThat(lines.get(0)).startsWith("progress: 1/40 replay steps (3%), ");
        assertThat(lines.get(1)).startsWith("progress: 4/40 replay steps (10%), ");
        assertThat(lines.get(10)).startsWith("progress: 40/40 replay steps (100%), ");
    }

    @Test
    void casesIsTheDefaultUnit() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, false);
        bar.step(2, "x");
        assertThat(lines(bytes)).containsExactly(lines(bytes).get(0)).allMatch(l -> l.startsWith("progress: 2/2 cases (100%)"));
    }

    @Test
    void drawingRandomCasesReportsEveryCaseDrawnAlsoTheOnesTheSelectionDrops() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 20, false,
                "random cases drawn");
        List<PlannedCase> plan = RandomCases.plan(3, 20, DType.FLOAT32, new ReferenceRnn(),
                CaseSelection.of(List.of("random/3/00*"), List.of(), null), bar);
        assertThat(plan).hasSize(10);
        List<String> lines = lines(bytes);
        assertThat(lines).hasSize(11);
        assertThat(lines.get(lines.size() - 1)).startsWith("progress: 20/20 random cases drawn (100%)");
    }
}
