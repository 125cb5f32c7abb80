package rnnkit.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import rnnkit.golden.NpyArray;
import rnnkit.golden.NpyReader;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
            try {
                JsonNode c = JSON.readTree(cj.toFile());
                List<JsonNode> recs = new ArrayList<>();
                for (JsonNode r : c.path("calls")) {
                    if (!r.path("reset_state").asBoolean(false)) {
                        recs.add(r.path("expected"));
                    }
                }
                expectedRecords = recs;
            } catch (IOException e) {
                throw new UnusableResultException("cannot read the exported case " + cj + ": " + e.getMessage());
            }
        }
        return expectedRecords;
    }

    @Override
    public LayerOutputs forward(LayerCall call) {
        if (!Files.isDirectory(resultDir)) {
            throw new UnusableResultException("no result folder " + resultDir + " (the implementation did not run this case)");
        }
        Path unsupported = resultDir.resolve(UNSUPPORTED_FILE);
        if (Files.exists(unsupported)) {
            throw new UnsupportedCaseException(text(unsupported));
        }
        Path error = resultDir.resolve(ERROR_FILE);
        if (Files.exists(error)) {
            throw new UnusableResultException("the implementation reported an error: " + text(error));
        }
        List<JsonNode> recs = records();
        if (nextCall >= recs.size()) {
            throw new UnusableResultException("case " + caseName + " has " + recs.size() + " calls; asked for call " + nextCall);
        }
        current = recs.get(nextCall++);
        List<Tensor> outputs = readAll(current.path("outputs"));
        List<Tensor> states = readAll(current.path("states"));
        return new LayerOutputs(outputs, states);
    }

    @Override
    public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
        JsonNode g = current == null ? null : current.path("gradients");
        if (g == null || g.isMissingNode() || g.isNull()) {
            throw new UnsupportedCaseException("the case lists no gradient files");
        }
        List<String> files = new ArrayList<>();
        if (g.hasNonNull("inputs")) {
            files.add(g.get("inputs").asText());
        }
        g.path("weights").forEach(n -> files.add(n.asText()));
        g.path("initial_states").forEach(n -> files.add(n.asText()));
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String f : files) {
            (Files.exists(resultDir.resolve(f)) ? present : missing).add(f);
        }
        if (present.isEmpty()) {
            throw new UnsupportedCaseException("no gradient files written (forward-only implementation)");
        }
        if (!missing.isEmpty()) {
            throw new UnusableResultException("partial gradients: " + missing + " missing while " + present.size()
                    + " other gradient file(s) exist; write all gradient files or none");
        }
        Tensor inputs = g.hasNonNull("inputs") ? read(g.get("inputs").asText()) : null;
        return new LayerGradients(inputs, readAll(g.path("weights")), readAll(g.path("initial_states")));
    }

    private List<Tensor> readAll(JsonNode files) {
        List<Tensor> out = new ArrayList<>();
        for (JsonNode f : files) {
            out.add(read(f.asText()));
        }
        return out;
    }

    private Tensor read(String file) {
        Path p = resultDir.resolve(file);
        if (!Files.exists(p)) {
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

    private static String text(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "(" + p.getFileName() + " is empty)" : s;
        } catch (IOException e) {
            return "(cannot read " + p.getFileName() + ": " + e.getMessage() + ")";
        }
    }
}
