package rnnkit.optimized;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rnnkit.model.RnnImplementation;
import rnnkit.reference.ReferenceRnn;
import rnnkit.testing.FiniteDifferenceChecker;
import rnnkit.testing.FiniteDifferenceChecker.GradientCheck;
import rnnkit.testing.GradientCorruption;
import rnnkit.testing.ModelLayerCases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gradients of the model layers (Dense with every Keras activation, the Activation, Dropout and Masking layers, and
 * Sequential models of them with recurrent layers) against central finite differences of the same implementation's
 * forward pass, in float64, for the reference and for the optimized path: every input entry (but the features of
 * masked steps, where Masking is not differentiable) and every weight entry.
 */
class ModelLayerGradientTest {
    private static final OptimizedRnn OPTIMIZED = new OptimizedRnn(2);
    private static final AtomicLong CHECKS = new AtomicLong();
    private static final AtomicLong ENTRIES = new AtomicLong();

    static Stream<Arguments> cases() {
        List<Arguments> args = new ArrayList<>();
        List<ModelLayerCases.Case> all = new ArrayList<>(ModelLayerCases.activations(9100));
        all.addAll(ModelLayerCases.layers(9200));
        for (ModelLayerCases.Case c : all) {
            args.add(Arguments.of("reference", c));
            args.add(Arguments.of("optimized", c));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void gradientsEqualFiniteDifferencesOfTheForward(String implementation, ModelLayerCases.Case c) {
        RnnImplementation impl = implementation.equals("reference") ? new ReferenceRnn() : OPTIMIZED;
        GradientCheck check = new FiniteDifferenceChecker().onlyInputEntries(c.differentiableInputs())
                .check(impl, c.call(), c.cotangent());
        CHECKS.incrementAndGet();
        ENTRIES.addAndGet(check.entriesChecked());
        check.assertPasses();
    }

    /** The checker sees a wrong model-layer gradient: one weight entry of Dense(softmax) off by 1e-3. */
    @Test
    void aPerturbedDenseSoftmaxGradientFails() {
        ModelLayerCases.Case c = ModelLayerCases.activations(9100).stream()
                .filter(x -> x.name().equals("Dense(6, activation=softmax)")).findFirst().orElseThrow();
        GradientCheck check = new FiniteDifferenceChecker().check(
                GradientCorruption.perturbWeightEntry(new ReferenceRnn(), 0, 5, 1e-3), c.call(), c.cotangent());
        assertThat(check.passes()).isFalse();
    }

    @AfterAll
    static void report() {
        OPTIMIZED.close();
        System.out.println("[ModelLayerGradientTest] " + CHECKS.get() + " finite-difference checks, " + ENTRIES.get()
                + " gradient entries");
    }
}
