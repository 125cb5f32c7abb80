package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellType;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.reference.ReferenceRnn;

class RandomCasesTest {
    private static final RnnImplementation REFERENCE = new ReferenceRnn();

    /** The reference with its forward outputs edited by {@code edit} (gradients unchanged). */
    static RnnImplementation oracle(String name, java.util.function.BiConsumer<LayerCall, LayerOutputs> edit) {
        return new RnnImplementation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public LayerOutputs forward(LayerCall call) {
                LayerOutputs o = REFERENCE.forward(call);
                edit.accept(call, o);
                return o;
            }

            @Override
            public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
                return REFERENCE.backward(call, cotangent);
            }
        };
    }

    @Test
    void everyRandomCaseHasFiniteExpectedValues() {
        // seed 1 draws cases whose exact answer overflows (exponential activations); they must be redrawn
        List<ConformanceCase> cases = RandomCases.generate(1, 200, DType.FLOAT32, REFERENCE);
        assertThat(cases).hasSize(200);
        for (ConformanceCase c : cases) {
            ConformanceCase.Step s = c.steps().get(0);
            assertThat(s.expected().outputs()).as(c.name()).allMatch(Tensor::allFinite);
            assertThat(s.expectedGradients().weights()).as(c.name()).allMatch(Tensor::allFinite);
        }
    }

    @Test
    void sameSeedSameCasesAndNamesSayLengthAndPadding() {
        List<ConformanceCase> a = RandomCases.generate(7, 40, DType.FLOAT64, REFERENCE);
        List<ConformanceCase> b = RandomCases.generate(7, 40, DType.FLOAT64, REFERENCE);
        assertThat(a).extracting(ConformanceCase::name).isEqualTo(b.stream().map(ConformanceCase::name).toList());
        for (int i = 0; i < a.size(); i++) {
            LayerCall call = a.get(i).steps().get(0).call();
            assertThat(call.inputs()).isEqualTo(b.get(i).steps().get(0).call().inputs());
            String name = a.get(i).name();
            assertThat(name).contains("_t" + call.time() + "_").endsWith("_float64");
            assertThat(name.contains("_padded_")).isEqualTo(call.mask() != null && !call.mask().isAllTrue());
        }
    }

    @Test
    void neighbouringSeedsSpreadOverBatchSizesCellKindsAndMaskKinds() {
        for (long seed : new long[] {1, 11, 100}) {
            Map<Integer, Integer> batches = new TreeMap<>();
            Map<CellType, Integer> cells = new TreeMap<>();
            Map<RandomCoverage.MaskKind, Integer> masks = new TreeMap<>();
            for (ConformanceCase c : RandomCases.generate(seed, 200, DType.FLOAT32, REFERENCE)) {
                LayerCall call = c.steps().get(0).call();
                batches.merge(call.batch(), 1, Integer::sum);
                RnnLayerSpec l = call.layer() instanceof BidirectionalSpec b ? b.forward() : (RnnLayerSpec) call.layer();
                cells.merge(l.cells().get(0).type(), 1, Integer::sum);
                masks.merge(RandomCoverage.maskKind(call.mask()), 1, Integer::sum);
            }
            // a fair share: at least half of what a uniform draw gives each value
            assertThat(batches).as("seed %d batch sizes", seed).containsOnlyKeys(1, 2, 3, 4)
                    .allSatisfy((k, n) -> assertThat(n).isGreaterThanOrEqualTo(200 / 4 / 2));
            assertThat(cells).as("seed %d first-cell kinds", seed).containsOnlyKeys(CellType.values())
                    .allSatisfy((k, n) -> assertThat(n).isGreaterThanOrEqualTo(200 / 3 / 2));
            assertThat(masks).as("seed %d mask kinds", seed).containsKeys(RandomCoverage.MaskKind.RIGHT_PADDED,
                    RandomCoverage.MaskKind.HOLES).allSatisfy((k, n) -> assertThat(n).isGreaterThanOrEqualTo(200 / 3 / 2));
        }
    }

    @Test
    void drawsNearFloat32OverflowAreRedrawn() {
        int[] blownUp = {0};
        RnnImplementation nearOverflow = oracle("near-overflow", (call, o) -> {
            if (call.batch() % 2 == 0) { // every draw with an even batch reaches 5.1e37, as one real case did
                o.output().data()[0] = 5.1e37;
                blownUp[0]++;
            }
        });
        List<ConformanceCase> cases = RandomCases.generate(5, 60, DType.FLOAT32, nearOverflow);
        assertThat(blownUp[0]).as("the oracle produced near-overflow draws").isPositive();
        assertThat(cases).hasSize(60).allSatisfy(c -> {
            assertThat(c.steps().get(0).call().batch() % 2).as(c.name()).isOne();
            for (double v : c.steps().get(0).expected().output().data()) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(RandomCases.MAX_MAGNITUDE);
            }
        });
    }

    @Test
    void theReportShowsWhatTheRandomCasesCovered(@TempDir Path dir) throws IOException {
        KitCliTest.Run r = KitCliTest.cli("run", "--impl", "reference", "--no-golden", "--random", "30", "--seed", "3",
                "--report-dir", dir.toString(), "--format", "md,html");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        String md = Files.readString(dir.resolve("reference.md"));
        assertThat(md).contains("## What the random cases covered").contains("| random cases | 30 |")
                .contains("| cell kinds (cases with the kind) | ").containsPattern("batch [1-4]–[1-4]")
                .contains("right-padded").contains("holes");
        assertThat(Files.readString(dir.resolve("reference.html"))).contains("What the random cases covered");
    }

    @Test
    void aHugeRandomCountIsAUsageErrorNamingTheBoundNotAnOutOfMemoryError(@TempDir Path dir) {
        KitCliTest.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> KitCliTest.cli("run", "--impl",
                "reference", "--no-golden", "--random", "1000000000", "--report-dir", dir.toString()));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--random is 1000000000").contains("0 to " + RandomCases.MAX_COUNT);
        // the plan of the largest allowed count holds names only: each case is drawn again when it runs
        List<PlannedCase> plan = RandomCases.plan(2, 300, DType.FLOAT32, REFERENCE, CaseSelection.all());
        assertThat(plan).hasSize(300);
        assertThat(plan.get(7).loader().get().name()).isEqualTo(plan.get(7).name());
    }

    @Test
    void anOracleThatAlwaysOverflowsIsReportedNotLoopedOn() {
        RnnImplementation overflowing = oracle("overflowing", (call, o) -> o.output().data()[0] = Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> RandomCases.generate(3, 1, DType.FLOAT64, overflowing))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overflowed");
    }
}
