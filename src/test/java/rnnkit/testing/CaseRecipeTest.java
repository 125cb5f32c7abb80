package rnnkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellType;
import rnnkit.model.LayerCall;
import rnnkit.model.MergeMode;
import rnnkit.model.SequenceMask;

/** The case generators themselves: reproducible, valid, and really covering the edge cases they promise. */
class CaseRecipeTest {
    private static long trialsBefore;

    @BeforeAll
    static void countTrialsFromHere() {
        trialsBefore = PropertyTrials.total();
    }

    @AfterAll
    static void reportTrials() {
        System.out.println(PropertyTrials.report("CaseRecipeTest", trialsBefore));
    }

    @Test
    void theSameRecipeBuildsTheSameCase() {
        CaseRecipe r = CaseRecipe.of(CellType.LSTM, 42).withMergeMode(MergeMode.SUM).withMask(MaskPattern.HOLES)
                .withInitialStates(true).withDropout(DropoutPattern.BOTH_PER_GATE).withReturnState(true);
        RnnCase a = r.build();
        RnnCase b = r.build();
        assertThat(a.call().weights()).isEqualTo(b.call().weights());
        assertThat(a.call().inputs()).isEqualTo(b.call().inputs());
        assertThat(a.call().mask()).isEqualTo(b.call().mask());
        assertThat(a.call().dropoutMasks()).isEqualTo(b.call().dropoutMasks());
        assertThat(a.cotangent()).isEqualTo(b.cotangent());
        assertThat(r.withSeed(43).build().call().inputs()).isNotEqualTo(a.call().inputs());
    }

    @Test
    void maskPatternsHaveTheirEdgeCases() {
        RandomTensors random = new RandomTensors(1);
        for (int i = 0; i < 50; i++) {
            SequenceMask first = random.mask(MaskPattern.FIRST_STEP_MASKED, 3, 4);
            SequenceMask fully = random.mask(MaskPattern.FULLY_MASKED_ROW, 3, 4);
            SequenceMask holes = random.mask(MaskPattern.HOLES, 3, 4);
            int fullyMaskedRows = 0;
            for (int b = 0; b < 3; b++) {
                assertThat(first.get(b, 0)).isFalse();
                assertThat(anyTrue(first, b)).as("FIRST_STEP_MASKED row %d keeps a real step", b).isTrue();
                assertThat(anyTrue(holes, b)).as("HOLES row %d keeps a real step", b).isTrue();
                fullyMaskedRows += anyTrue(fully, b) ? 0 : 1;
            }
            assertThat(fullyMaskedRows).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void dropoutMasksFollowKerasCountsAndValues() {
        RnnCase perGate = CaseRecipe.of(CellType.GRU, 7).withDropout(DropoutPattern.BOTH_PER_GATE).build();
        assertThat(perGate.call().dropoutMasks().get(0).inputMasks()).hasSize(3);
        assertThat(perGate.call().dropoutMasks().get(0).recurrentMasks()).hasSize(3);
        RnnCase shared = CaseRecipe.of(CellType.LSTM, 7).withDropout(DropoutPattern.BOTH_SHARED).build();
        assertThat(shared.call().dropoutMasks().get(0).inputMasks()).hasSize(1);
        double keep = 1 / (1 - DropoutPattern.BOTH_SHARED.inputRate());
        assertThat(shared.call().dropoutMasks().get(0).inputMasks().get(0).data()).containsOnly(0.0, keep);
    }

    @Test
    void generatedCasesAreValidCallsCoveringEveryStructure() {
        List<LayerKind> seen = new ArrayList<>();
        qt().withFixedSeed(9L).withExamples(300).forAll(CaseGenerators.cases(CaseSpace.everything()))
                .checkAssert(PropertyTrials.counted((RnnCase c) -> {
                    assertThat(c.call()).isNotNull();
                    assertThat(c.cotangent().states()).hasSize(c.recipe().returnState()
                            ? LayerCall.stateShapes(c.call().layer(), c.call().batch()).size() : 0);
                    seen.add(c.recipe().kind());
                }));
        assertThat(seen).contains(LayerKind.values());
    }

    /** The builder copies every field: any recipe rebuilt from its builder is equal to it. */
    @Test
    void aRecipeRebuiltFromItsBuilderIsTheSameRecipe() {
        qt().withFixedSeed(10L).withExamples(300).forAll(CaseGenerators.recipes(CaseSpace.everything()))
                .checkAssert(PropertyTrials.counted((CaseRecipe r) -> assertThat(r.toBuilder().recipe()).isEqualTo(r)));
        CaseRecipe r = CaseRecipe.of(CellType.GRU, 3);
        assertThat(r.withGoBackwards(true)).isEqualTo(new CaseRecipe(LayerKind.SINGLE, CellType.GRU, 3,
                r.activation(), r.recurrentActivation(), true, true, CellType.GRU, 2, 2, 4, 3, false, false, true,
                null, MaskPattern.NONE, false, DropoutPattern.NONE, 3));
    }

    private static boolean anyTrue(SequenceMask m, int b) {
        for (int t = 0; t < m.time(); t++) {
            if (m.get(b, t)) {
                return true;
            }
        }
        return false;
    }
}
