package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import rnnkit.golden.GoldenCorpus;

/** The glob matcher: the meaning of * and ?, and no catastrophic backtracking on any pattern. */
class GlobTest {
    /** The reference meaning: * = .*, ? = ., everything else literal (fine for short inputs only). */
    static boolean regex(String glob, String name) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(name).matches();
    }

    @Test
    void agreesWithTheRegularExpressionMeaningOnSeededRandomPatterns() {
        SplittableRandom r = new SplittableRandom(12);
        String alphabet = "ab/*?";
        for (int trial = 0; trial < 20_000; trial++) {
            StringBuilder g = new StringBuilder();
            StringBuilder n = new StringBuilder();
            for (int i = r.nextInt(7); i > 0; i--) {
                g.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            for (int i = r.nextInt(8); i > 0; i--) {
                n.append("ab/".charAt(r.nextInt(3)));
            }
            assertThat(new Glob(g.toString()).matches(n.toString())).as("'%s' on '%s'", g, n)
                    .isEqualTo(regex(g.toString(), n.toString()));
        }
    }

    @Test
    void pathologicalPatternsTakeMillisecondsNotMinutes() {
        String pattern = "*?*?*?*?*?*?*?*?Z";
        List<String> names = new ArrayList<>(GoldenCorpus.open(GoldenCorpus.defaultRoot()).caseNames());
        names.add("a".repeat(200));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(new Glob(pattern).matches("a".repeat(200))).isFalse();
            assertThat(CaseSelection.of(List.of(pattern), List.of(), null).select(names)).isEmpty();
            assertThat(ExpectedFailures.parse(List.of(pattern + " : pathological"), "xfail").stale(names)).hasSize(1);
        });
        KitCliTest.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                KitCliTest.cli("run", "--impl", "reference", "--include", pattern));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("matches none");
    }
}
