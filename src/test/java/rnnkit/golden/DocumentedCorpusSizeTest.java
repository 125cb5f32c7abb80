package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The corpus size the README and the validation guide state is the one corpus.json lists, so that the text does not
 * go stale when the generator adds cases.
 */
class DocumentedCorpusSizeTest {
    static final GoldenCorpus CORPUS = GoldenCorpus.open(GoldenCorpus.defaultRoot());

    static Matcher find(String file, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(Path.of(file), StandardCharsets.UTF_8));
        assertThat(m.find()).as("%s states the corpus size (/%s/)", file, regex).isTrue();
        return m;
    }

    @Test
    void theReadmeStatesTheCasesPerDtypeAndTheTrajectoriesOfTheCorpus() throws IOException {
        Matcher m = find("README.md", "\\| `golden/` \\| (\\d+) cases \\((\\d+) × float32/float64\\) and (\\d+) training trajectories");
        int cases = CORPUS.caseNames().size();
        assertThat(Integer.parseInt(m.group(1))).as("README cases").isEqualTo(cases);
        assertThat(Integer.parseInt(m.group(2)) * 2).as("README cases per dtype × 2").isEqualTo(cases);
        assertThat(Integer.parseInt(m.group(3))).as("README trajectories").isEqualTo(CORPUS.trajectoryNames().size());
    }

    @Test
    void theValidationGuideStatesTheCasesOfTheCorpus() throws IOException {
        Matcher m = find("docs/validating-an-implementation.md", "\\(`golden/`, (\\d+) cases");
        assertThat(Integer.parseInt(m.group(1))).as("docs/validating-an-implementation.md cases")
                .isEqualTo(CORPUS.caseNames().size());
    }
}
