package rnnkit.optimized.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --add-modules jdk.incubator.vector} the package must still work: a child JVM started without the
 * module picks the scalar kernel, and its products are bit-identical to the vector kernel's here.
 */
class VectorApiFallbackTest {

    @Test
    void withoutTheVectorModuleTheScalarKernelGivesTheSameBits() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                FallbackProbe.class.getName()))
                .redirectErrorStream(true)
                .start();
        String output;
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } finally {
            child.destroyForcibly(); // never left running, also when it timed out
            child.waitFor();
        }
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("vector=false fastest=scalar-blocked " + FallbackProbe.fingerprint(
                GemmVariants.fastestSingleThreaded()));
        assertThat(GemmVariants.fastestSingleThreaded().name()).startsWith("vector");
    }
}
