package rnnkit.optimized;

import static org.quicktheories.QuickTheory.qt;
import static rnnkit.testing.PropertyTrials.counted;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.DType;
import rnnkit.testing.CaseGenerators;
import rnnkit.testing.CaseSpace;
import rnnkit.testing.FiniteDifferenceChecker;
import rnnkit.testing.PropertyTrials;
import rnnkit.testing.RnnCase;

/**
 * The float64 optimized backward equals central finite differences of the optimized forward, for every input,
 * weight and initial-state entry, over random cases of every structure, cell, smooth activation, mask and dropout
 * pattern (activations with kinks are covered against the reference's gradients in
 * {@link OptimizedMatchesReferenceTest}: a finite difference straddling a kink is meaningless).
 */
class FiniteDifferenceGradientTest {
    private static OptimizedRnn optimized;
    private static long trialsBefore;
    private static int entries;

    @BeforeAll
    static void start() {
        optimized = new OptimizedRnn(2);
        trialsBefore = PropertyTrials.total();
    }

    @AfterAll
    static void stop() {
        optimized.close();
        System.out.println(PropertyTrials.report("FiniteDifferenceGradientTest", trialsBefore) + "; " + entries
                + " gradient entries checked");
    }

    @Test
    void float64GradientsEqualFiniteDifferencesOfTheForward() {
        List<Activation> smooth = List.of(Activation.TANH, Activation.SIGMOID, Activation.SOFTSIGN, Activation.GELU,
                Activation.SILU, Activation.MISH, Activation.SOFTPLUS, Activation.LOG_SIGMOID, Activation.LINEAR);
        CaseSpace space = CaseSpace.everything().withActivations(smooth,
                List.of(Activation.SIGMOID, Activation.TANH, Activation.SOFTSIGN)).withMaxSizes(3, 4, 3, 3);
        FiniteDifferenceChecker checker = new FiniteDifferenceChecker();
        qt().withFixedSeed(777L).withExamples(60).forAll(CaseGenerators.cases(space))
                .checkAssert(counted((RnnCase c) -> {
                    FiniteDifferenceChecker.GradientCheck check =
                            checker.check(optimized, c.call().withDtype(DType.FLOAT64), c.cotangent());
                    synchronized (FiniteDifferenceGradientTest.class) {
                        entries += check.entriesChecked();
                    }
                    if (!check.passes()) {
                        throw new AssertionError(check + "\n  case: " + c);
                    }
                }));
    }
}
