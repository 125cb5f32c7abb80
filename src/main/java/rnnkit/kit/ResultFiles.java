package rnnkit.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import rnnkit.golden.BoundedFiles;
import rnnkit.golden.NpyArray;
import rnnkit.golden.NpyReader;
import rnnkit.golden.StrictJson;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.model.UnsupportedCaseException;

/**
 * The result files an external implementation wrote for ONE exported case (protocol version 1), seen as an
 * {@link RnnImplementation} so that {@link KitRunner} compares them exactly as it compares a JVM adapter. Each
 * {@code forward} answers the next call record of the case (the exported call records are self-contained: each
 * lists the states it starts from). Unreadable, truncated or wrongly typed files raise
 * {@link UnusableResultException} (an ERROR for the case); {@code unsupported.txt} raises
 * {@link UnsupportedCaseException} with its text; no gradient files at all means forward only.
 */
public final class ResultFiles implements RnnImplementation {
    public static final String UNSUPPORTED_FILE = "unsupported.txt";
    public static final String ERROR_FILE = "error.txt";
    /** Forward results were written, the gradients could not be computed: the case is ERROR for its backward pass. */
    public static final String BACKWARD_ERROR_FILE = "backward_error.txt";

    private final String implementationName;
    private final String caseName;
    private final Path exportCaseDir;
    private final Path resultDir;
    private final DType dtype;
    private List<JsonNode> expectedRecords;
    private int nextCall;
    private JsonNode current;

    public ResultFiles(String implementationName, String caseName, Path exportDir, Path resultsDir, DType dtype) {
        this.implementationName = implementationName;
        this.caseName = caseName;
        this.exportCaseDir = exportDir.resolve(caseName);
        this.resultDir = resultsDir.resolve(caseName);
        this.dtype = dtype;
    }

    @Override
    public String name() {
        return implementationName;
    }

    private List<JsonNode> records() {
        if (expectedRecords == null) {
            Path cj = exportCaseDir.resolve("case.json");
            JsonNode c;
            try {
                c = StrictJson.readObject(cj, "exported case");
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new UnusableResultException("cannot read the exported case: " + e.getMessage());
            }
            List<JsonNode> recs = new ArrayList<>();
            try {
                for (JsonNode r : StrictJson.array(c, "calls", "exported case.json")) {
                    if (!r.isObject()) {
                        throw new IllegalArgumentException("a call record is " + StrictJson.kind(r) + "; expected an object");
                    }
                    if (!StrictJson.bool(r, "reset_state", false, "call record")) {
                        recs.add(StrictJson.object(r, "expected", "exported call record"));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new UnusableResultException("the exported case " + cj + " is malformed: " + e.getMessage());
            }
            expectedRecords = recs;
        }
        return expectedRecords;
    }

    @Override
    public LayerOutputs forward(LayerCall call) {
        if (!Files.isDirectory(resultDir)) {
            throw new UnusableResultException("no result folder " + resultDir + " (the implementation did not run this case)");
        }
        Path unsupported = resultDir.resolve(UNSUPPORTED_FILE);
        Path error = resultDir.resolve(ERROR_FILE);
        boolean isUnsupported = Files.exists(unsupported, LinkOption.NOFOLLOW_LINKS);
        boolean isError = Files.exists(error, LinkOption.NOFOLLOW_LINKS);
        if (isUnsupported && isError) {
            throw new UnusableResultException("both " + UNSUPPORTED_FILE + " and " + ERROR_FILE
                    + " are present; an implementation writes one of them (or result files)");
        }
        if (isUnsupported) {
            throw new UnsupportedCaseException(message(unsupported));
        }
        if (isError) {
            throw new UnusableResultException("the implementation reported an error: " + message(error));
        }
        List<JsonNode> recs = records();
        if (nextCall >= recs.size()) {
            throw new UnusableResultException("case " + caseName + " has " + recs.size() + " calls; asked for call " + nextCall);
        }
        current = recs.get(nextCall++);
        List<Tensor> outputs = readAll(current, "outputs");
        List<Tensor> states = readAll(current, "states");
        return new LayerOutputs(outputs, states);
    }

    @Override
    public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
        JsonNode g = current == null ? null : current.path("gradients");
        if (g == null || g.isMissingNode() || g.isNull()) {
            throw new UnsupportedCaseException("the case lists no gradient files");
        }
        Path backwardError = resultDir.resolve(BACKWARD_ERROR_FILE);
        if (Files.exists(backwardError, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnusableResultException("the implementation reported a backward error: " + message(backwardError));
        }
        List<String> files = new ArrayList<>();
        try {
            if (g.hasNonNull("inputs")) {
                files.add(StrictJson.text(g, "inputs", "expected gradients"));
            }
            files.addAll(StrictJson.texts(g, "weights", "expected gradients"));
            files.addAll(StrictJson.texts(g, "initial_states", "expected gradients"));
        } catch (IllegalArgumentException e) {
            throw new UnusableResultException("the exported case is malformed: " + e.getMessage());
        }
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String f : files) {
            (Files.exists(resultDir.resolve(plain(f)), LinkOption.NOFOLLOW_LINKS) ? present : missing).add(f);
        }
        if (present.isEmpty()) {
            throw new UnsupportedCaseException("no gradient files written (forward-only implementation)");
        }
        if (!missing.isEmpty()) {
            throw new UnusableResultException("partial gradients: " + missing + " missing while " + present.size()
                    + " other gradient file(s) exist; write all gradient files or none");
        }
        Tensor inputs = g.hasNonNull("inputs") ? read(g.get("inputs").asText()) : null;
        return new LayerGradients(inputs, readAll(g, "weights"), readAll(g, "initial_states"));
    }

    private List<Tensor> readAll(JsonNode parent, String field) {
        List<String> files;
        try {
            files = StrictJson.texts(parent, field, "exported call record");
        } catch (IllegalArgumentException e) {
            throw new UnusableResultException("the exported case is malformed: " + e.getMessage());
        }
        List<Tensor> out = new ArrayList<>();
        for (String f : files) {
            out.add(read(f));
        }
        return out;
    }

    /** A result file name from the exported case: a plain {@code name.npy}, never a path. */
    private static String plain(String file) {
        if (!file.matches("[A-Za-z0-9_]+\\.npy")) {
            throw new UnusableResultException("the exported case names result file '" + file
                    + "', which is not a plain name.npy");
        }
        return file;
    }

    private Tensor read(String file) {
        Path p = resultDir.resolve(plain(file));
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnusableResultException("result file " + file + " is missing");
        }
        NpyArray a;
        try {
            a = NpyReader.read(p);
        } catch (RuntimeException e) {
            throw new UnusableResultException("result file " + file + " is unreadable: " + e.getMessage());
        }
        String want = dtype == DType.FLOAT32 ? NpyReader.FLOAT32 : NpyReader.FLOAT64;
        if (!want.equals(a.descr())) {
            throw new UnusableResultException("result file " + file + " has dtype " + a.descr() + "; expected " + want
                    + " (the case's dtype " + dtype.kerasName() + ")");
        }
        return a.toTensor();
    }

    /** The one-line text of unsupported.txt / error.txt; a file that cannot be read as such makes the case an ERROR. */
    private static String message(Path p) {
        String s;
        try {
            s = BoundedFiles.readUtf8(p, BoundedFiles.MESSAGE_BYTES, p.getFileName().toString()).strip();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new UnusableResultException(e.getMessage());
        }
        return s.isEmpty() ? "(" + p.getFileName() + " is empty)" : s;
    }
}
