package rnnkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The untimed pause between the calls of an interleaved pair: its default and its system property. */
class PairPauseTest {

    @Test
    void theDefaultIs100MillisecondsAndThePropertySetsIt() {
        assertThat(PairedTimes.pairPauseMillis(null)).isEqualTo(100);
        assertThat(PairedTimes.pairPauseMillis(" ")).isEqualTo(100);
        assertThat(PairedTimes.pairPauseMillis("0")).isEqualTo(0);
        assertThat(PairedTimes.pairPauseMillis(" 250 ")).isEqualTo(250);
    }

    @Test
    void aPauseThatIsNotAWholeNumberOfMillisecondsIsRefused() {
        for (String bad : new String[] {"-1", "1.5", "fast"}) {
            assertThatThrownBy(() -> PairedTimes.pairPauseMillis(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bench.pairPauseMs is '" + bad + "'")
                    .hasMessageContaining("expected a whole number of milliseconds, 0 or more");
        }
    }
}
