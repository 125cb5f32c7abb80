package rnnkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Absurd sizes are refused with the limit named, before any arithmetic can overflow or memory be allocated. */
class SizeLimitsTest {
    @Test
    void unitsWhoseGateColumnsOverflowAreRefusedNamingTheLimit() {
        // 4 gates x 2^30 units is 2^32, which wraps to 0 in int arithmetic: zero-size weights, then an 8 GB state
        assertThatThrownBy(() -> CellSpec.lstm(1 << 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LSTM units is 1073741824").hasMessageContaining("at most 23170");
        assertThatThrownBy(() -> CellSpec.gru(1 << 30)).hasMessageContaining("at most 26754");
        assertThatThrownBy(() -> CellSpec.simpleRnn(Integer.MAX_VALUE)).hasMessageContaining("at most 46340");
        assertThat(CellSpec.lstm(CellSpec.maxUnits(CellType.LSTM)).weightShapes(3).get(1))
                .containsExactly(23170, 4 * 23170);
        assertThatThrownBy(() -> CellSpec.lstm(CellSpec.maxUnits(CellType.LSTM) + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
