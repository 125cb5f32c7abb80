package rnnkit.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.NpyReader;
import rnnkit.golden.NpyWriter;

/**
 * Case-file protocol, version 1 (docs/validating-an-implementation.md): writes the cases an external
 * implementation must run in the golden format with every expected value removed — each call record loses
 * {@code outputs}, {@code states} and {@code gradients} and gains an {@code expected} object naming the result
 * files the implementation writes — plus {@code export.json} listing the case names.
 */
public final class CaseExport {
    public static final int PROTOCOL_VERSION = 1;
    public static final String INDEX_FILE = "export.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseExport() {
    }

    /** Exports the named cases of the corpus to {@code out}; returns the number written. */
    public static int export(GoldenCorpus corpus, List<String> names, Path out, ProgressBar progress) {
        try {
            Files.createDirectories(out);
            int done = 0;
            for (String name : names) {
                exportCase(corpus.root().resolve(name), out.resolve(name));
                done++;
                if (progress != null) {
                    progress.step(done, name);
                }
            }
            ObjectNode index = JSON.createObjectNode();
            index.put("protocol_version", PROTOCOL_VERSION);
            index.put("corpus_format_version", GoldenCorpus.FORMAT_VERSION);
            ArrayNode cases = index.putArray("cases");
            names.forEach(cases::add);
            Path tmp = out.resolve("." + INDEX_FILE + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
            Files.move(tmp, out.resolve(INDEX_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export cases to " + out + ": " + e.getMessage(), e);
        }
    }

    static void exportCase(Path from, Path to) throws IOException {
        ObjectNode c = (ObjectNode) JSON.readTree(from.resolve("case.json").toFile());
        Set<String> hidden = new HashSet<>();
        for (JsonNode rec : c.withArray("calls")) {
            if (rec.path("reset_state").asBoolean(false)) {
                continue;
            }
            ObjectNode r = (ObjectNode) rec;
            ObjectNode expected = JSON.createObjectNode();
            expected.set("outputs", r.get("outputs"));
            expected.set("states", r.get("states"));
            expected.set("gradients", r.get("gradients"));
            collect(r.get("outputs"), hidden);
            collect(r.get("states"), hidden);
            collect(r.get("gradients"), hidden);
            r.remove("outputs");
            r.remove("states");
            r.remove("gradients");
            r.set("expected", expected);
        }
        ObjectNode arrays = (ObjectNode) c.get("arrays");
        Files.createDirectories(to);
        for (Iterator<String> it = arrays.fieldNames(); it.hasNext(); ) {
            String file = it.next();
            if (hidden.contains(file)) {
                it.remove();
                continue;
            }
            // Re-written through the project's own npy writer (the subset golden/FORMAT.md specifies).
            Files.write(to.resolve(file), NpyWriter.write(NpyReader.read(from.resolve(file))));
        }
        Files.writeString(to.resolve("case.json"), JSON.writeValueAsString(c));
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
        Path f = exportDir.resolve(INDEX_FILE);
        try {
            JsonNode idx = JSON.readTree(f.toFile());
            int v = idx.path("protocol_version").asInt(-1);
            if (v != PROTOCOL_VERSION) {
                throw new IllegalArgumentException(f + " has protocol_version " + v + "; expected " + PROTOCOL_VERSION);
            }
            List<String> names = new java.util.ArrayList<>();
            for (JsonNode n : idx.path("cases")) {
                names.add(n.asText());
            }
            return names;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + f + " (is " + exportDir + " an rnnkit export?): " + e.getMessage(), e);
        }
    }
}
