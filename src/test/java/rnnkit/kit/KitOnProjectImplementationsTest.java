package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.golden.GoldenCorpus;
import rnnkit.model.DType;
import rnnkit.model.RnnImplementation;
import rnnkit.optimized.OptimizedRnn;
import rnnkit.reference.ReferenceRnn;

/**
 * The kit on rnnkit's own implementations, found through ServiceLoader as a user would find them: the whole golden
 * corpus with gradients plus seeded random cases (float32 and float64, expected values from the reference) must pass.
 */
class KitOnProjectImplementationsTest {
    static List<ConformanceCase> cases;
    static int goldenCount;

    @BeforeAll
    static void load() {
        cases = new ArrayList<>(GoldenCases.load(GoldenCorpus.open(GoldenCorpus.defaultRoot()), CaseSelection.all()));
        goldenCount = cases.size();
        cases.addAll(RandomCases.generate(11, 40, DType.FLOAT32, new ReferenceRnn()));
        cases.addAll(RandomCases.generate(12, 40, DType.FLOAT64, new ReferenceRnn()));
    }

    static List<CaseResult> run(RnnImplementation impl) {
        return new KitRunner(new ToleranceCheck(), ExpectedFailures.none(), 60, true).run(impl, cases, null);
    }

    @Test
    void theRegisteredImplementationsAreFoundByName() {
        assertThat(Implementations.resolve("reference")).isInstanceOf(ReferenceRnn.class);
        assertThat(Implementations.resolve("optimized")).isInstanceOf(OptimizedRnn.class);
        assertThat(Implementations.resolve("onnxruntime").name()).isEqualTo("onnxruntime");
        assertThat(Implementations.resolve(OptimizedRnn.class.getName())).isInstanceOf(OptimizedRnn.class);
    }

    @Test
    void referencePassesEveryGoldenAndRandomCaseWithGradients() {
        List<CaseResult> r = run(Implementations.resolve("reference"));
        assertThat(goldenCount).isGreaterThan(600);
        assertThat(r).hasSize(cases.size()).allSatisfy(c -> {
            assertThat(c.outcome()).as(c.caseName() + ": " + c.reason()).isEqualTo(Outcome.PASS);
            assertThat(c.reason()).as(c.caseName()).isEmpty(); // no note
            assertThat(c.gradientsChecked()).as(c.caseName() + ": gradients checked").isTrue();
        });
    }

    @Test
    void optimizedPassesEveryGoldenAndRandomCaseWithGradients() {
        List<CaseResult> r = run(Implementations.resolve("optimized"));
        assertThat(r).hasSize(cases.size()).allSatisfy(c -> {
            assertThat(c.outcome()).as(c.caseName() + ": " + c.reason()).isEqualTo(Outcome.PASS);
            assertThat(c.reason()).as(c.caseName()).isEmpty();
            assertThat(c.gradientsChecked()).as(c.caseName() + ": gradients checked").isTrue();
        });
    }
}
