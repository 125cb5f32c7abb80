package rnnkit.golden;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A small copy of the committed corpus for tests that damage it: the named cases, a corpus.json listing them and
 * a manifest hashed from the files present ({@link #rehash}, as the generator writes it), so a test can plant a
 * defect that the hash check does not catch first.
 */
public final class MiniCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MiniCorpus() {
    }

    /** Copies {@code cases} of the committed corpus to {@code root} and writes corpus.json and manifest.json. */
    public static Path copy(Path root, String... cases) {
        try {
            Path real = GoldenCorpus.defaultRoot();
            for (String c : cases) {
                Path dst = root.resolve(c);
                Files.createDirectories(dst);
                try (Stream<Path> s = Files.list(real.resolve(c))) {
                    for (Path p : s.toList()) {
                        Files.copy(p, dst.resolve(p.getFileName()));
                    }
                }
            }
            ObjectNode corpus = (ObjectNode) JSON.readTree(real.resolve("corpus.json").toFile());
            ArrayNode list = corpus.putArray("cases");
            for (String c : cases) {
                list.add(c);
            }
            corpus.put("case_count", cases.length);
            Files.writeString(root.resolve("corpus.json"), JSON.writeValueAsString(corpus));
            rehash(root);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Updates the manifest entry of one regular file (relative path) after it was edited. */
    public static void rehash(Path root, String rel) {
        try {
            ObjectNode m = (ObjectNode) JSON.readTree(root.resolve("manifest.json").toFile());
            ((ObjectNode) m.get("files")).put(rel, CorpusManifest.sha256(Files.readAllBytes(root.resolve(rel))));
            Files.writeString(root.resolve("manifest.json"), JSON.writeValueAsString(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites manifest.json from the files now present (as the generator writes it). Regular files are hashed;
     * anything else planted in a case folder (a FIFO, a symbolic link, a folder) is listed with the hash of no bytes
     * and never opened.
     */
    public static void rehash(Path root) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                if (rel.isEmpty() || rel.equals("manifest.json") || (dir && rel.split("/").length != 3)) {
                    continue;
                }
                boolean regular = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
                files.put(rel, CorpusManifest.sha256(regular ? Files.readAllBytes(p) : new byte[0]));
            }
            ObjectNode m = JSON.createObjectNode();
            m.put("format_version", GoldenCorpus.FORMAT_VERSION).put("algorithm", "SHA-256");
            ObjectNode f = m.putObject("files");
            files.forEach(f::put);
            Files.writeString(root.resolve("manifest.json"), JSON.writeValueAsString(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
