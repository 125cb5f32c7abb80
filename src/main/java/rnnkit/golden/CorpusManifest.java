package rnnkit.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code golden/manifest.json}: the SHA-256 of every corpus file, by path relative to the corpus root. The
 * manifest is the root of trust: {@link #readVerified} returns a file's bytes only after checking their hash, so
 * what is parsed is exactly what was verified.
 */
public final class CorpusManifest {
    /** Largest corpus file read into memory (the biggest array of the corpus is a few MB). */
    public static final long MAX_FILE_BYTES = 64L << 20;

    private final Path root;
    private final Map<String, String> sha256ByPath;

    private CorpusManifest(Path root, Map<String, String> sha256ByPath) {
        this.root = root;
        this.sha256ByPath = sha256ByPath;
    }

    /** Loads {@code root/manifest.json}. */
    public static CorpusManifest load(Path root) {
        Path file = root.resolve("manifest.json");
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(boundedRead(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read corpus manifest " + file + ": " + e.getMessage(), e);
        }
        if (json == null || !"SHA-256".equals(json.path("algorithm").asText())) {
            throw new IllegalArgumentException(file + ": expected \"algorithm\": \"SHA-256\"");
        }
        JsonNode files = json.get("files");
        if (files == null || !files.isObject() || files.isEmpty()) {
            throw new IllegalArgumentException(file + ": missing or empty \"files\" map");
        }
        Map<String, String> map = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = files.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String hash = e.getValue().asText();
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(file + ": entry " + e.getKey() + " has hash '" + hash
                        + "'; expected 64 lowercase hex digits");
            }
            if (e.getKey().contains("..") || e.getKey().startsWith("/") || e.getKey().contains("\\")) {
                throw new IllegalArgumentException(file + ": entry '" + e.getKey()
                        + "' is not a plain relative path inside the corpus");
            }
            map.put(e.getKey(), hash);
        }
        return new CorpusManifest(root, map);
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
     * The bytes of {@code relativePath}, after checking that the manifest lists the file and that their SHA-256
     * matches it.
     */
    public byte[] readVerified(String relativePath) {
        String expected = sha256ByPath.get(relativePath);
        if (expected == null) {
            throw new IllegalArgumentException("corpus file " + relativePath + " is not listed in "
                    + root.resolve("manifest.json") + "; an unlisted file is not trusted");
        }
        Path file = root.resolve(relativePath);
        byte[] bytes;
        try {
            bytes = boundedRead(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus file " + file + ": " + e.getMessage(), e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException("corpus file " + relativePath + " has SHA-256 " + actual
                    + " but the manifest records " + expected + ": the file was edited or corrupted");
        }
        return bytes;
    }

    static byte[] boundedRead(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("corpus file " + file + " has " + size + " bytes; at most "
                    + MAX_FILE_BYTES + " are accepted");
        }
        return Files.readAllBytes(file);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
