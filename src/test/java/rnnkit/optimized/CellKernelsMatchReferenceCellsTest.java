package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.DType;
import rnnkit.testing.CaseRecipe;
import rnnkit.testing.DropoutPattern;
import rnnkit.testing.LayerKind;
import rnnkit.testing.MaskPattern;

/**
 * Each optimized cell kernel against the reference cell it implements ({@code rnnkit.reference.SimpleRnnCell},
 * {@code LstmCell}, {@code GruCell} with and without reset_after), one test per kernel named after it: forward
 * outputs, final states and every gradient, under the options that reach all of the kernel's code paths (a fully
 * masked row, per-gate and shared dropout masks, initial states, go_backwards, with and without bias, non-default
 * activations), and twice with more units than one gate-interleaved chunk of the forward step holds (once under
 * per-gate dropout masks). The variant registry itself ({@link KernelVariant}) is checked by KernelVariantRegistryTest.
 */
class CellKernelsMatchReferenceCellsTest {

    private static OptimizedRnn optimized;

    @BeforeAll
    static void start() {
        optimized = new OptimizedRnn(2);
    }

    @AfterAll
    static void stop() {
        optimized.close();
    }

    @Test
    void doubleSimpleRnnKernelMatchesReferenceSimpleRnnCell() {
        check(KernelVariant.SIMPLE_RNN_FLOAT64);
    }

    @Test
    void doubleLstmKernelMatchesReferenceLstmCell() {
        check(KernelVariant.LSTM_FLOAT64);
    }

    @Test
    void doubleGruKernelMatchesReferenceGruCellResetAfter() {
        check(KernelVariant.GRU_FLOAT64);
    }

    @Test
    void doubleGruResetBeforeKernelMatchesReferenceGruCellResetBefore() {
        check(KernelVariant.GRU_RESET_BEFORE_FLOAT64);
    }

    @Test
    void floatSimpleRnnKernelMatchesReferenceSimpleRnnCell() {
        check(KernelVariant.SIMPLE_RNN_FLOAT32);
    }

    @Test
    void floatLstmKernelMatchesReferenceLstmCell() {
        check(KernelVariant.LSTM_FLOAT32);
    }

    @Test
    void floatGruKernelMatchesReferenceGruCellResetAfter() {
        check(KernelVariant.GRU_FLOAT32);
    }

    @Test
    void floatGruResetBeforeKernelMatchesReferenceGruCellResetBefore() {
        check(KernelVariant.GRU_RESET_BEFORE_FLOAT32);
    }

    /** One test above per kernel: a method whose name starts with the kernel's class name (lower camel case). */
    @Test
    void everyKernelHasItsTestHere() {
        List<String> tests = Arrays.stream(getClass().getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class))
                .map(Method::getName).toList();
        for (KernelVariant v : KernelVariant.values()) {
            String kernel = v.kernelClassName();
            String prefix = Character.toLowerCase(kernel.charAt(0)) + kernel.substring(1) + "Matches";
            assertThat(tests).as("a test for %s", kernel).anyMatch(t -> t.startsWith(prefix));
        }
        assertThat(tests).hasSize(KernelVariant.values().length + 1);
    }

    /**
     * The variant's kernel (asserted to be the one the factory picks for the case) against the reference on every
     * dropout pattern, forward and go_backwards, all under a mask with a fully masked row and initial states.
     */
    private static void check(KernelVariant variant) {
        int cases = 0;
        for (DropoutPattern dropout : DropoutPattern.values()) {
            for (boolean backwards : new boolean[] {false, true}) {
                CaseRecipe r = CaseRecipe.of(variant.cell().type(), 17L * variant.ordinal() + dropout.ordinal())
                        .withKind(LayerKind.SINGLE).withResetAfter(variant.cell().resetAfter())
                        .withSizes(9, 5, 7, 6).withReturnSequences(true).withReturnState(true)
                        .withGoBackwards(backwards).withMask(MaskPattern.FULLY_MASKED_ROW)
                        .withInitialStates(true).withDropout(dropout).withUseBias(!backwards)
                        .withActivations(Activation.SOFTSIGN, Activation.HARD_SIGMOID);
                assertThat(KernelVariant.of(r.firstCell(), variant.dtype())).isEqualTo(variant);
                ReferenceComparison.assertMatchesReference(optimized, r.build(), variant.dtype());
                cases++;
            }
        }
        // More units than one gate-interleaved chunk holds, so the forward step runs chunk by chunk (offsets u0 > 0);
        // every cell's U then has enough entries for the column-split recurrence on a batch of 2, and 2 × 5 rows are
        // more than one row-aligned slice, so its input projection is split over the two threads as well
        CaseRecipe wide = CaseRecipe.of(variant.cell().type(), 5L * variant.ordinal())
                .withResetAfter(variant.cell().resetAfter()).withSizes(2, 5, 3, DoubleCellWeights.CHUNK_COLUMNS + 3)
                .withReturnSequences(true).withReturnState(true).withMask(MaskPattern.FULLY_MASKED_ROW)
                .withInitialStates(true);
        ReferenceComparison.assertMatchesReference(optimized, wide.build(), variant.dtype());
        cases++;
        // Two chunks per gate under per-gate dropout masks: the masked operands and GRU reset_before's r ∘ h ∘ m_h
        // are indexed at chunk offsets u0 > 0 (one chunk holds CHUNK_COLUMNS / gates units at most)
        CaseRecipe wideDropout = CaseRecipe.of(variant.cell().type(), 7L * variant.ordinal())
                .withResetAfter(variant.cell().resetAfter())
                .withSizes(2, 3, 3, DoubleCellWeights.CHUNK_COLUMNS / variant.cell().type().gates() + 3)
                .withReturnSequences(true).withReturnState(true).withMask(MaskPattern.FULLY_MASKED_ROW)
                .withInitialStates(true).withDropout(DropoutPattern.BOTH_PER_GATE);
        ReferenceComparison.assertMatchesReference(optimized, wideDropout.build(), variant.dtype());
        cases++;
        assertThat(cases).isEqualTo(2 * DropoutPattern.values().length + 2);
    }
}
