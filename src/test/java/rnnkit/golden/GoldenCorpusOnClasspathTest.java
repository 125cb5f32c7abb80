package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The corpus read from the class path, as a build that depends on the {@code golden} artifact reads it: from a jar
 * holding {@value GoldenCorpus#CLASSPATH_PREFIX}/ (or a folder), with the same manifest and hash checks as from a
 * folder. Each jar here holds two cases of the committed corpus under a manifest made of the committed hashes.
 */
class GoldenCorpusOnClasspathTest {
    private static final String LSTM = "lstm/mask_holes_sequences__float64";
    private static final String STATEFUL = "stateful/go_backwards__float32";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The files of a two-case corpus (relative path → bytes): committed case files, a matching corpus.json and manifest. */
    static Map<String, byte[]> twoCaseCorpus() throws IOException {
        Path real = GoldenCorpus.defaultRoot();
        JsonNode realManifest = JSON.readTree(real.resolve("manifest.json").toFile());
        Map<String, byte[]> files = new TreeMap<>();
        ObjectNode hashes = JSON.createObjectNode();
        realManifest.path("files").fields().forEachRemaining(e -> {
            if (e.getKey().startsWith(LSTM + "/") || e.getKey().startsWith(STATEFUL + "/")) {
                hashes.put(e.getKey(), e.getValue().asText());
                try {
                    files.put(e.getKey(), Files.readAllBytes(real.resolve(e.getKey())));
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            }
        });
        ObjectNode corpus = (ObjectNode) JSON.readTree(real.resolve("corpus.json").toFile());
        corpus.putArray("cases").add(LSTM).add(STATEFUL);
        corpus.put("case_count", 2);
        byte[] corpusBytes = JSON.writeValueAsBytes(corpus);
        files.put("corpus.json", corpusBytes);
        hashes.put("corpus.json", CorpusManifest.sha256(corpusBytes));
        ObjectNode manifest = JSON.createObjectNode().put("format_version", GoldenCorpus.FORMAT_VERSION).put("algorithm", "SHA-256");
        manifest.set("files", hashes);
        files.put("manifest.json", JSON.writeValueAsBytes(manifest));
        return files;
    }

    Path jar(String name, Map<String, byte[]> files) throws IOException {
        Path jar = tmp.resolve(name);
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                out.putNextEntry(new ZipEntry(GoldenCorpus.CLASSPATH_PREFIX + "/" + f.getKey()));
                out.write(f.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    static ClassLoader loaderOf(Path... entries) throws IOException {
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = entries[i].toUri().toURL();
        }
        return new URLClassLoader(urls, null);
    }

    static Map<String, byte[]> edited(Map<String, byte[]> files, String path, UnaryOperator<byte[]> edit) {
        Map<String, byte[]> out = new TreeMap<>(files);
        out.put(path, edit.apply(files.get(path)));
        return out;
    }

    @Test
    void aCorpusJarLoadsTheSameCasesAsTheFolder() throws IOException {
        GoldenCorpus fromJar = GoldenCorpus.onClasspath(loaderOf(jar("golden.jar", twoCaseCorpus()))).orElseThrow();
        GoldenCorpus fromFolder = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        assertThat(fromJar.caseNames()).containsExactly(LSTM, STATEFUL);
        assertThat(fromJar.versions()).isEqualTo(fromFolder.versions());
        for (String name : fromJar.caseNames()) {
            GoldenCase a = fromJar.load(name);
            GoldenCase b = fromFolder.load(name);
            assertThat(a.calls()).hasSameSizeAs(b.calls());
            for (int i = 0; i < a.calls().size(); i++) {
                assertThat(a.calls().get(i).expected().outputs()).isEqualTo(b.calls().get(i).expected().outputs());
                assertThat(a.calls().get(i).expectedGradients().weights())
                        .isEqualTo(b.calls().get(i).expectedGradients().weights());
            }
            assertThat(a.weights()).isEqualTo(b.weights());
        }
    }

    @Test
    void aFolderOnTheClassPathIsReadToo() throws IOException {
        for (Map.Entry<String, byte[]> f : twoCaseCorpus().entrySet()) {
            Path p = tmp.resolve("classes").resolve(GoldenCorpus.CLASSPATH_PREFIX).resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        GoldenCorpus c = GoldenCorpus.onClasspath(loaderOf(tmp.resolve("classes"))).orElseThrow();
        assertThat(c.load(STATEFUL).calls()).hasSizeGreaterThan(1);
    }

    @Test
    void anEditedArrayInTheJarIsCaughtByItsHash() throws IOException {
        String array = twoCaseCorpus().keySet().stream().filter(k -> k.startsWith(LSTM + "/") && k.endsWith(".npy"))
                .findFirst().orElseThrow();
        Map<String, byte[]> files = edited(twoCaseCorpus(), array, b -> {
            byte[] c = b.clone();
            c[c.length - 1] ^= 1;
            return c;
        });
        GoldenCorpus c = GoldenCorpus.onClasspath(loaderOf(jar("golden.jar", files))).orElseThrow();
        assertThatThrownBy(() -> c.load(LSTM)).hasMessageContaining(array).hasMessageContaining("SHA-256")
                .hasMessageContaining("edited or corrupted");
        assertThat(c.load(STATEFUL).name()).isEqualTo(STATEFUL); // the other case is unharmed
    }

    @Test
    void anUnlistedFileOrAnEditedCorpusJsonInTheJarIsRefused() throws IOException {
        Map<String, byte[]> extra = new TreeMap<>(twoCaseCorpus());
        extra.put(LSTM + "/planted.npy", new byte[] {1, 2, 3});
        GoldenCorpus c = GoldenCorpus.onClasspath(loaderOf(jar("extra.jar", extra))).orElseThrow();
        assertThatThrownBy(() -> c.load(LSTM)).hasMessageContaining("not listed in the manifest")
                .hasMessageContaining(LSTM + "/planted.npy");

        Map<String, byte[]> lying = edited(twoCaseCorpus(), "corpus.json",
                b -> new String(b, java.nio.charset.StandardCharsets.UTF_8).replace("\"case_count\":2", "\"case_count\":3")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> GoldenCorpus.onClasspath(loaderOf(jar("lying.jar", lying))))
                .hasMessageContaining("corpus.json").hasMessageContaining("SHA-256");
    }

    @Test
    void noCorpusIsEmptyAndTwoCorporaAreAnError() throws IOException {
        assertThat(GoldenCorpus.onClasspath(loaderOf(tmp))).isEmpty();
        Path a = jar("a.jar", twoCaseCorpus());
        Path b = jar("b.jar", twoCaseCorpus());
        assertThatThrownBy(() -> GoldenCorpus.onClasspath(loaderOf(a, b))).hasMessageContaining("2 golden corpora")
                .hasMessageContaining("a.jar").hasMessageContaining("b.jar");
    }
}
