package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import rnnkit.model.Activation;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * Every optimized kernel variant is known and selected for its cell; counts what it found, so a new kernel cannot
 * slip past. Each kernel's comparison with its reference cell is in CellKernelsMatchReferenceCellsTest.
 */
class KernelVariantRegistryTest {
    /** 4 cell variants (simple_rnn, lstm, gru, gru_reset_before) × 2 precisions. */
    private static final int EXPECTED_VARIANTS = 8;

    @Test
    void registryListsEightKernels() {
        assertThat(KernelVariant.values()).hasSize(EXPECTED_VARIANTS);
    }

    @Test
    void everyKernelSourceFileIsInTheRegistry() throws IOException {
        Path dir = Path.of(System.getProperty("rnnkit.project.dir", ".")).resolve("src/main/java/rnnkit/optimized");
        Set<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("(Double|Float)\\w+Kernel\\.java") && !n.endsWith("CellKernel.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> registered = new TreeSet<>();
        for (KernelVariant v : KernelVariant.values()) {
            registered.add(v.kernelClassName());
        }
        assertThat(files).hasSize(EXPECTED_VARIANTS).isEqualTo(registered);
    }

    @Test
    void eachVariantIsTheClassTheFactoryBuildsForItsCell() {
        int checked = 0;
        try (ParallelRunner runner = new ParallelRunner(1)) {
            for (KernelVariant v : KernelVariant.values()) {
                CellSpec cell = new CellSpec(v.cell().type(), 3, Activation.TANH, Activation.SIGMOID, true, v.cell().resetAfter(),
                        false, 0, 0);
                List<Tensor> w = cell.weightShapes(2).stream().map(Tensor::zeros).toList();
                Gemm gemm = OptimizedRnn.defaultGemm();
                Object kernel = v.dtype() == DType.FLOAT64
                        ? DoubleCellKernel.create(new DoubleCellWeights(cell, w, gemm, runner, false), 2, 1, 1,
                                CellDropoutMasks.none(), gemm, runner, 1, false, new Workspace())
                        : FloatCellKernel.create(new FloatCellWeights(cell, w, gemm, runner, false), 2, 1, 1,
                                CellDropoutMasks.none(), gemm, runner, 1, false, new Workspace());
                assertThat(kernel.getClass().getSimpleName()).as(v.name()).isEqualTo(v.kernelClassName());
                assertThat(KernelVariant.of(cell, v.dtype())).isEqualTo(v);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(EXPECTED_VARIANTS);
    }
}
