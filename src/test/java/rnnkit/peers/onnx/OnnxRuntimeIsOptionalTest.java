package rnnkit.peers.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import rnnkit.kit.Implementations;

/**
 * ONNX Runtime is an optional dependency: on a class path without it (as in a build that depends on rnnkit) the
 * CLI still runs, lists the other implementations, and says why the onnxruntime adapter is absent; with it (this
 * JVM) the adapter is registered.
 */
class OnnxRuntimeIsOptionalTest {

    static String cli(List<String> classpath, String... args) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
                String.join(File.pathSeparator, classpath), "rnnkit.cli.Main"));
        command.addAll(Arrays.asList(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static List<String> classPathWithoutOnnxRuntime() {
        List<String> kept = new ArrayList<>();
        boolean removed = false;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("onnxruntime")) {
                removed = true;
            } else {
                kept.add(entry);
            }
        }
        assertThat(removed).as("this JVM's class path holds ONNX Runtime").isTrue();
        return kept;
    }

    @Test
    void withoutOnnxRuntimeTheAdapterIsListedAsUnavailableWithTheReason() throws Exception {
        String out = cli(classPathWithoutOnnxRuntime(), "list-implementations");
        assertThat(out).contains("reference\trnnkit.reference.ReferenceRnn")
                .contains("optimized\trnnkit.optimized.OptimizedRnn")
                .contains("(unavailable)\trnnkit.peers.onnx.OnnxRuntimeRnn\tONNX Runtime is not on the class path")
                .contains("add " + OnnxRuntimeRnn.ONNX_RUNTIME_ARTIFACT)
                .doesNotContain("onnxruntime\trnnkit.peers.onnx.OnnxRuntimeRnn");

        String run = cli(classPathWithoutOnnxRuntime(), "run", "--impl", "onnxruntime", "--include", "lstm/*");
        assertThat(run).contains("no implementation named 'onnxruntime'")
                .contains("registered but unavailable: rnnkit.peers.onnx.OnnxRuntimeRnn (ONNX Runtime is not on the class path");
    }

    @Test
    void withOnnxRuntimeTheAdapterIsRegistered() {
        Implementations.Registry r = Implementations.registry(Implementations.class.getClassLoader());
        assertThat(r.available()).extracting(i -> i.name()).contains("reference", "optimized", "onnxruntime");
        assertThat(r.unavailable()).isEmpty();
    }
}
