package rnnkit.optimized.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * {@link GemmVariants#all} lists every GEMM variant once (the conformance tests run each of them), named after
 * the kernel this machine's preferred vector species gives: 512 bits with AVX-512, 256 with AVX2 only.
 */
class GemmVariantsTest {

    @Test
    void registryListsEveryVariantExactlyOnceNamedForThisMachinesVectorSize() {
        // The test JVM runs with --add-modules jdk.incubator.vector (pom), so the vector kernel must be there.
        assertThat(GemmVariants.vectorApiAvailable()).isTrue();
        String vector = "vector" + FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertThat(DoubleVector.SPECIES_PREFERRED.vectorBitSize()).isEqualTo(FloatVector.SPECIES_PREFERRED.vectorBitSize());
        try (ParallelRunner runner = new ParallelRunner(GemmVariants.THREADED_VARIANT_THREADS)) {
            List<Gemm> variants = GemmVariants.all(runner);
            assertThat(variants).extracting(Gemm::name).containsExactly("naive", "scalar-blocked",
                    "scalar-blocked-2threads", vector + "-blocked", vector + "-blocked-2threads");
            assertThat(GemmVariants.fastest(runner).name()).isEqualTo(vector + "-blocked-2threads");
        }
    }

    @Test
    void aKernelPairMustShareItsName() {
        assertThatThrownBy(() -> new BlockedGemm.Kernels("scalar", new FloatScalarPanelKernel(),
                new DoubleVectorPanelKernel()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected both named scalar");
    }
}
