package rnnkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SequenceMaskTest {
    private final SequenceMask mask = SequenceMask.fromInts(new int[][] {{1, 1, 0, 1}, {1, 0, 0, 0}});

    @Test
    void reversedInTimeReversesEveryRow() {
        assertThat(mask.reversedInTime()).isEqualTo(SequenceMask.fromInts(new int[][] {{1, 0, 1, 1}, {0, 0, 0, 1}}));
        assertThat(mask.reversedInTime().reversedInTime()).isEqualTo(mask);
    }

    @Test
    void sliceKeepsStepsFromInclusiveToExclusive() {
        assertThat(mask.slice(1, 3)).isEqualTo(SequenceMask.fromInts(new int[][] {{1, 0}, {0, 0}}));
        assertThat(mask.slice(1, 3).time()).isEqualTo(2);
    }

    @Test
    void ofCopiesItsArrayAndToArrayReturnsACopy() {
        boolean[][] values = {{true, false}};
        SequenceMask m = SequenceMask.of(values);
        values[0][0] = false;
        m.toArray()[0][1] = true;
        assertThat(m.get(0, 0)).isTrue();
        assertThat(m.get(0, 1)).isFalse();
    }

    @Test
    void raggedRowsAreRejectedNamingTheRow() {
        assertThatThrownBy(() -> SequenceMask.of(new boolean[][] {{true, true}, {true}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 has 1 steps; expected 2");
    }

    @Test
    void allTrueIsDetected() {
        assertThat(SequenceMask.allTrue(2, 3).isAllTrue()).isTrue();
        assertThat(mask.isAllTrue()).isFalse();
        assertThat(SequenceMask.allTrue(2, 3).batch()).isEqualTo(2);
        assertThat(SequenceMask.allTrue(2, 3).time()).isEqualTo(3);
    }
}
