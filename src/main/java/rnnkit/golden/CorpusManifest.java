package rnnkit.golden;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code golden/manifest.json}: the SHA-256 of every corpus file, by path relative to the corpus root. The
 * manifest is the root of trust: {@link #readVerified} returns a file's bytes only after checking their hash, so
 * what is parsed is exactly what was verified.
 */
public final class CorpusManifest {
    private final Path root;
    private final Map<String, String> sha256ByPath;

    private CorpusManifest(Path root, Map<String, String> sha256ByPath) {
        this.root = root;
        this.sha256ByPath = sha256ByPath;
    }

    /** Loads {@code root/manifest.json} (strict JSON, a regular file of at most {@link BoundedFiles#MANIFEST_BYTES}). */
    public static CorpusManifest load(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("golden corpus " + root + (Files.exists(root) ? " is not a directory"
                    : " does not exist"));
        }
        Path file = root.resolve("manifest.json");
        String what = "corpus manifest " + file;
        JsonNode json = StrictJson.object(BoundedFiles.read(file, BoundedFiles.MANIFEST_BYTES, "corpus manifest"), what);
        if (json.has("format_version") && StrictJson.integer(json, "format_version", what) != GoldenCorpus.FORMAT_VERSION) {
            throw new IllegalArgumentException(what + " has format_version " + json.get("format_version")
                    + "; this reader understands version " + GoldenCorpus.FORMAT_VERSION);
        }
        if (!"SHA-256".equals(json.path("algorithm").textValue())) {
            throw new IllegalArgumentException(what + ": expected \"algorithm\": \"SHA-256\"");
        }
        JsonNode files = json.get("files");
        if (files == null || !files.isObject() || files.isEmpty()) {
            throw new IllegalArgumentException(what + ": missing or empty \"files\" map");
        }
        Map<String, String> map = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = files.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String hash = e.getValue().isTextual() ? e.getValue().textValue() : "";
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(what + ": entry " + e.getKey() + " has hash " + e.getValue()
                        + "; expected 64 lowercase hex digits");
            }
            if (!isPlainRelativePath(e.getKey())) {
                throw new IllegalArgumentException(what + ": entry '" + e.getKey()
                        + "' is not a plain relative path inside the corpus");
            }
            map.put(e.getKey(), hash);
        }
        return new CorpusManifest(root, map);
    }

    /** Segments of letters, digits, '_', '=', '.', '-' separated by '/'; no empty, '.' or '..' segment, no leading dot. */
    static boolean isPlainRelativePath(String p) {
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.startsWith(".") || !seg.matches("[A-Za-z0-9_=.\\-]+")) {
                return false;
            }
        }
        return true;
    }

    public Path root() {
        return root;
    }

    /** Relative paths of all files the manifest lists, sorted. */
    public java.util.Set<String> files() {
        return java.util.Collections.unmodifiableSet(sha256ByPath.keySet());
    }

    public boolean lists(String relativePath) {
        return sha256ByPath.containsKey(relativePath);
    }

    /**
     * The bytes of {@code relativePath}, after checking that the manifest lists the file, that it is a regular file
     * within the size bound of its kind ({@link BoundedFiles#JSON_BYTES} for {@code .json}, else
     * {@link BoundedFiles#NPY_BYTES}) and that its SHA-256 matches the manifest.
     */
    public byte[] readVerified(String relativePath) {
        String expected = sha256ByPath.get(relativePath);
        if (expected == null) {
            throw new IllegalArgumentException("corpus file " + relativePath + " is not listed in "
                    + root.resolve("manifest.json") + "; an unlisted file is not trusted");
        }
        Path file = root.resolve(relativePath);
        long max = relativePath.endsWith(".json") ? BoundedFiles.JSON_BYTES : BoundedFiles.NPY_BYTES;
        byte[] bytes = BoundedFiles.read(file, max, "corpus file");
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException("corpus file " + relativePath + " has SHA-256 " + actual
                    + " but the manifest records " + expected + ": the file was edited or corrupted");
        }
        return bytes;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
