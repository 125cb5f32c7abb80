package rnnkit.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import rnnkit.golden.BoundedFiles;
import rnnkit.golden.GoldenCase;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.NpyWriter;
import rnnkit.golden.StrictJson;

/**
 * Case-file protocol, version 1 (docs/validating-an-implementation.md): writes the cases an external
 * implementation must run in the golden format with every expected value removed — each call record loses
 * {@code outputs}, {@code states} and {@code gradients} and gains an {@code expected} object naming the result
 * files the implementation writes — plus {@code export.json} listing the case names.
 *
 * <p>Each case is first loaded and validated exactly as {@code run} loads it (manifest hash before parsing, strict
 * JSON, plain {@code name.npy} array names, shapes and dtypes), and only the verified bytes are written. A case that
 * fails is left out and listed under {@code errors} in export.json with its reason; the other cases are exported.
 * Export writes only into a new or empty folder, creating every file with CREATE_NEW (nothing is overwritten,
 * no symbolic link followed).
 */
public final class CaseExport {
    public static final int PROTOCOL_VERSION = 1;
    public static final String INDEX_FILE = "export.json";
    private static final ObjectMapper JSON = StrictJson.mapper();

    private CaseExport() {
    }

    /**
     * What export.json lists.
     *
     * @param cases the exported cases, in order
     * @param errors cases that could not be exported, with the reason
     */
    public record ExportIndex(List<String> cases, Map<String, String> errors) {
        public ExportIndex {
            cases = List.copyOf(cases);
            errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        }
    }

    /** Refuses an {@code --out} that is a file or a non-empty folder (before any case is read). */
    public static void checkOutputFolder(Path out) {
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--out " + out + " is not a directory");
        }
        if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + out + " is not empty; export writes into a new or empty folder");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--out " + out + " cannot be listed: " + e);
            }
        }
    }

    /** Exports the named cases of the corpus to {@code out} (new or empty); returns what export.json lists. */
    public static ExportIndex export(GoldenCorpus corpus, List<String> names, Path out, ProgressBar progress) {
        checkOutputFolder(out);
        List<String> exported = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            Files.createDirectories(out);
            int done = 0;
            for (String name : names) {
                Path to = out.resolve(name);
                try {
                    GoldenCase g = corpus.load(name); // validates the case exactly as run does
                    exportCase(corpus, g, to);
                    exported.add(name);
                } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException | ClassCastException
                         | NullPointerException | OutOfMemoryError | StackOverflowError e) {
                    errors.put(name, KitRunner.describe(e));
                    deleteTree(out, to);
                }
                done++;
                if (progress != null) {
                    progress.step(done, name);
                }
            }
            ObjectNode index = JSON.createObjectNode();
            index.put("protocol_version", PROTOCOL_VERSION);
            index.put("corpus_format_version", GoldenCorpus.FORMAT_VERSION);
            ArrayNode cases = index.putArray("cases");
            exported.forEach(cases::add);
            if (!errors.isEmpty()) {
                ObjectNode e = index.putObject("errors");
                errors.forEach(e::put);
            }
            createNew(out.resolve(INDEX_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index));
            return new ExportIndex(exported, errors);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export cases to " + out + ": " + e.getMessage(), e);
        }
    }

    static void exportCase(GoldenCorpus corpus, GoldenCase g, Path to) throws IOException {
        Files.createDirectories(to);
        for (Map.Entry<String, byte[]> f : exportedFiles(corpus, g).entrySet()) {
            createNew(to.resolve(f.getKey()), f.getValue());
        }
    }

    /**
     * The files export writes for a case, by name: every array the implementation reads (inputs, weights, masks,
     * cotangents; each expected result's entry stays in case.json, its file is not written), then case.json.
     */
    private static Map<String, byte[]> exportedFiles(GoldenCorpus corpus, GoldenCase g) {
        String name = g.name();
        ObjectNode c = corpus.caseJson(name);
        describeForDrivers(c, g);
        Set<String> hidden = new HashSet<>();
        for (JsonNode rec : StrictJson.array(c, "calls", "case.json")) {
            ObjectNode r = (ObjectNode) rec; // load() accepted the case: every call record is an object
            if (StrictJson.bool(r, "reset_state", false, "call record")) {
                continue;
            }
            ObjectNode expected = JSON.createObjectNode();
            for (String k : List.of("outputs", "states", "gradients")) {
                expected.set(k, r.get(k));
                collect(r.get(k), hidden);
                r.remove(k);
            }
            r.set("expected", expected);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        ObjectNode arrays = StrictJson.object(c, "arrays", "case.json");
        for (Iterator<String> it = arrays.fieldNames(); it.hasNext(); ) {
            String file = it.next();
            if (!hidden.contains(file)) {
                // Re-written through the project's own npy writer (the subset golden/FORMAT.md specifies).
                files.put(file, NpyWriter.write(corpus.array(name, file)));
            }
        }
        try {
            files.put("case.json", JSON.writeValueAsBytes(c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * Checks that the arrays an implementation was given for this case (in {@code exportDir}, written by export)
     * are byte for byte the ones export writes from this corpus's case today, so that results are never compared
     * with the expected values of other inputs (an export made from another corpus version, or edited since).
     * case.json is not compared: its driver annotations may differ between rnnkit versions for the same arrays.
     *
     * @throws UnusableResultException naming the first array that is missing, unreadable or different
     */
    public static void checkExportedFrom(GoldenCorpus corpus, GoldenCase g, Path exportDir) {
        Path dir = exportDir.resolve(g.name());
        for (Map.Entry<String, byte[]> f : exportedFiles(corpus, g).entrySet()) {
            if (f.getKey().equals("case.json")) {
                continue;
            }
            Path p = dir.resolve(f.getKey());
            byte[] exported;
            try {
                exported = BoundedFiles.read(p, f.getValue().length, "exported array");
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new UnusableResultException("the exported inputs of this case cannot be checked: " + e.getMessage()
                        + " (export again from this corpus)");
            }
            if (!java.util.Arrays.equals(exported, f.getValue())) {
                throw new UnusableResultException("the exported array " + f.getKey() + " differs from this corpus's "
                        + "case (" + exported.length + " bytes, expected the " + f.getValue().length + " bytes export "
                        + "writes from it): the results were computed from other inputs; export again from this corpus");
            }
        }
    }

    /**
     * What the golden format leaves implicit, made explicit for a driver (docs/validating-an-implementation.md):
     * the layer entry gets Keras's {@code module} ({@code keras.layers}, {@code keras} for Sequential) and
     * {@code registered_name}, so that {@code keras.saving.deserialize_keras_object(case["layer"])} rebuilds it;
     * each weight gets a {@code key}, its place in the layer's structure independent of the backend that built
     * the names (e.g. {@code forward/kernel}, {@code cell_1/bias}, {@code layer_2/recurrent_kernel}); and
     * {@code tags.options} gets the TensorFlow-only constants the expected values carry
     * ({@link GoldenCases#tensorFlowOnlyConstants}).
     */
    static void describeForDrivers(ObjectNode c, GoldenCase g) {
        ObjectNode layer = (ObjectNode) c.get("layer");
        ObjectNode described = JSON.createObjectNode();
        described.put("module", "Sequential".equals(g.layer().kerasClassName()) ? "keras" : "keras.layers");
        described.setAll(layer);
        if (!described.has("registered_name")) {
            described.putNull("registered_name");
        }
        c.set("layer", described);
        List<String> keys = g.layer().weightNames();
        ArrayNode weights = (ArrayNode) c.get("weights");
        for (int i = 0; i < weights.size(); i++) {
            ((ObjectNode) weights.get(i)).put("key", keys.get(i));
        }
        List<String> extra = GoldenCases.tensorFlowOnlyConstants(g.layer(), g.dtype());
        if (!extra.isEmpty()) {
            ArrayNode options = ((ObjectNode) c.get("tags")).withArray("options");
            extra.forEach(options::add);
        }
    }

    private static void createNew(Path p, byte[] bytes) throws IOException {
        Files.write(p, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes what a failed case wrote (only below {@code out}, never following links). */
    private static void deleteTree(Path out, Path dir) {
        if (!dir.normalize().startsWith(out.normalize()) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a partial case folder without case.json is ignored by verify (the case is listed under errors)
        }
    }

    private static void collect(JsonNode n, Set<String> files) {
        if (n == null || n.isNull()) {
            return;
        }
        if (n.isTextual()) {
            files.add(n.asText());
        }
        for (JsonNode child : n) {
            collect(child, files);
        }
    }

    /** Reads {@code export.json}: the case names of an export, checking the protocol version. */
    public static List<String> readIndex(Path exportDir) {
        return readExport(exportDir).cases();
    }

    /**
     * Reads {@code export.json} strictly: protocol version 1, case names of the golden form, no name twice, the
     * cases that failed to export with their reasons.
     */
    public static ExportIndex readExport(Path exportDir) {
        if (!Files.isDirectory(exportDir)) {
            throw new IllegalArgumentException("--cases " + exportDir + (Files.exists(exportDir) ? " is not a directory"
                    : " does not exist"));
        }
        Path f = exportDir.resolve(INDEX_FILE);
        String what = "export index " + f;
        JsonNode idx;
        try {
            idx = StrictJson.readObject(f, "export index");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (is " + exportDir + " an rnnkit export?)", e);
        }
        int v = StrictJson.integer(idx, "protocol_version", what);
        if (v != PROTOCOL_VERSION) {
            throw new IllegalArgumentException(f + " has protocol_version " + v + "; expected " + PROTOCOL_VERSION);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String n : StrictJson.texts(idx, "cases", what)) {
            checkName(n, what);
            if (!names.add(n)) {
                throw new IllegalArgumentException(what + " lists case '" + n + "' twice; case names must be unique");
            }
        }
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode e = idx.get("errors");
        if (e != null && !e.isNull()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = StrictJson.object(idx, "errors", what).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> en = it.next();
                checkName(en.getKey(), what);
                if (names.contains(en.getKey())) {
                    throw new IllegalArgumentException(what + " lists case '" + en.getKey() + "' as exported and as failed");
                }
                errors.put(en.getKey(), en.getValue().isTextual() ? en.getValue().textValue() : en.getValue().toString());
            }
        }
        return new ExportIndex(new ArrayList<>(names), errors);
    }

    private static void checkName(String n, String what) {
        if (!GoldenCorpus.isCaseName(n)) {
            throw new IllegalArgumentException(what + " lists '" + n + "', which is not a case name (suite/case: "
                    + "letters, digits, _ = . -)");
        }
    }
}
