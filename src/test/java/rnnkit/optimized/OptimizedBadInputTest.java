package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.LayerOutputs;
import rnnkit.model.Tensor;
import rnnkit.testing.CaseRecipe;
import rnnkit.testing.RnnCase;

/** Bad arguments are rejected with an IllegalArgumentException that names the problem and the expectation. */
class OptimizedBadInputTest {
    private static final OptimizedRnn OPTIMIZED = new OptimizedRnn(2);

    @AfterAll
    static void close() {
        OPTIMIZED.close();
    }

    @Test
    void constructorRejectsNonPositiveThreadsAndAlignmentAndNullGemm() {
        assertThatThrownBy(() -> new OptimizedRnn(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("thread count is 0");
        assertThatThrownBy(() -> new OptimizedRnn(1, null, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gemm is null");
        assertThatThrownBy(() -> new OptimizedRnn(1, OptimizedRnn.defaultGemm(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row alignment is 0");
    }

    @Test
    void cotangentsOfTheWrongCountOrShapeAreRejected() {
        RnnCase c = CaseRecipe.of(CellType.LSTM, 3).withReturnState(true).build();
        for (DType d : DType.values()) {
            var call = c.call().withDtype(d);
            assertThatThrownBy(() -> OPTIMIZED.backward(call, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cotangent is null");
            assertThatThrownBy(() -> OPTIMIZED.backward(call, new LayerOutputs(List.of(), List.of())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cotangent has 0 outputs; expected 1");
            assertThatThrownBy(() -> OPTIMIZED.backward(call, new LayerOutputs(List.of(Tensor.zeros(2, 5)), List.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cotangent output 0 has shape [2, 5]; expected [2, 3]");
            assertThatThrownBy(() -> OPTIMIZED.backward(call,
                    new LayerOutputs(List.of(Tensor.zeros(2, 3)), List.of(Tensor.zeros(2, 3)))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cotangent has 1 states; expected 0 or 2");
            assertThatThrownBy(() -> OPTIMIZED.backward(call,
                    new LayerOutputs(List.of(Tensor.zeros(2, 3)), List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 3)))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cotangent state 1 has shape [3, 3]; expected [2, 3]");
        }
    }
}
