package rnnkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.Tensor;

class WorkloadTest {

    @Test
    void forwardWorkIsTheGemmWorkOfTheIssueFormula() {
        // 2·B·T·(D+H)·k·H by hand: LSTM (64,50,256,256): 2·64·50·512·4·256 = 3 355 443 200
        assertThat(Workload.of("lstm", "64x50x256x256").forwardFlops()).isEqualTo(3_355_443_200.0);
        // GRU k=3 on (32,100,512,512): 2·32·100·1024·3·512 = 10 066 329 600
        assertThat(Workload.of("gru", "32x100x512x512").forwardFlops()).isEqualTo(10_066_329_600.0);
        assertThat(Workload.of("gru_reset_before", "32x100x512x512").forwardFlops()).isEqualTo(10_066_329_600.0);
        // SimpleRNN k=1, D != H: 2·1·100·(32+64)·1·64 = 1 228 800
        assertThat(Workload.of("simple_rnn", "1x100x32x64").forwardFlops()).isEqualTo(1_228_800.0);
    }

    @Test
    void forwardBackwardIsCountedAsThreeForwards() {
        assertThat(Workload.of("lstm", "64x50x256x256").forwardBackwardFlops()).isEqualTo(3 * 3_355_443_200.0);
    }

    @Test
    void gruLabelsSelectTheKerasResetMode() {
        assertThat(Workload.of("gru", "1x1x1x1").layer().cell().resetAfter()).isTrue();
        assertThat(Workload.of("gru_reset_before", "1x1x1x1").layer().cell().resetAfter()).isFalse();
    }

    @Test
    void callValuesAreFloat32NumbersAndSeeded() {
        Workload w = Workload.of("lstm", "2x3x4x5");
        LayerCall a = w.call(DType.FLOAT32, 42);
        LayerCall b = w.call(DType.FLOAT64, 42);
        assertThat(a.inputs().data()).containsExactly(b.inputs().data());
        for (Tensor t : a.weights()) {
            for (double v : t.data()) {
                assertThat((double) (float) v).isEqualTo(v);
            }
        }
        assertThat(a.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(a.layer().describe()).isEqualTo("LSTM(units=5)");
    }

    @Test
    void badShapesAndCellsAreRejectedWithTheExpectation() {
        assertThatThrownBy(() -> Workload.of("lstm", "64x50x256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BxTxDxH");
        assertThatThrownBy(() -> Workload.of("lstm", "64x50xabcx256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'abc' is not an integer");
        assertThatThrownBy(() -> Workload.of("lstm", "0x50x256x256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
        assertThatThrownBy(() -> Workload.of("GRU-reset_after", "1x1x1x1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[simple_rnn, lstm, gru, gru_reset_before]");
    }
}
