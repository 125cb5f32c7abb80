package example.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import rnnkit.golden.GoldenCorpus;
import rnnkit.kit.Implementations;

/**
 * What the two rnnkit test dependencies bring into this build: the corpus from the golden jar, and not ONNX Runtime
 * (an optional dependency of rnnkit), whose adapter is then listed as unavailable with the reason.
 */
class DependencySetTest {

    @Test
    void theCorpusComesFromTheGoldenJarOnTheClassPath() {
        GoldenCorpus corpus = GoldenCorpus.onClasspath(getClass().getClassLoader()).orElseThrow();
        assertThat(corpus.root().toUri().getScheme()).isEqualTo("jar");
        assertThat(corpus.root().toUri().toString()).containsPattern("/rnnkit-[^/]+-golden\\.jar!/");
        assertThat(corpus.caseNames()).isNotEmpty().allMatch(n -> n.contains("/"));
        assertThat(corpus.versions()).containsKeys("keras", "tensorflow");
    }

    @Test
    void onnxRuntimeIsNotForcedOnDependentsAndItsAdapterSaysWhyItIsAbsent() {
        assertThatThrownBy(() -> Class.forName("ai.onnxruntime.OrtEnvironment"))
                .isInstanceOf(ClassNotFoundException.class);
        Implementations.Registry registry = Implementations.registry(getClass().getClassLoader());
        assertThat(registry.available()).extracting(i -> i.name()).contains("reference").doesNotContain("onnxruntime");
        assertThat(registry.unavailable()).anySatisfy(u -> {
            assertThat(u.provider()).isEqualTo("rnnkit.peers.onnx.OnnxRuntimeRnn");
            assertThat(u.reason()).contains("not on the class path").contains("com.microsoft.onnxruntime:onnxruntime");
        });
    }
}
