package rnnkit.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import rnnkit.model.CellDropoutMasks;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * The golden corpus on disk ({@code golden/}): {@code manifest.json} (SHA-256 of every file), {@code corpus.json}
 * (format version, the Keras/TensorFlow/NumPy/Python versions that made it, the list of case names) and one folder
 * per case. Every byte is checked against the manifest before it is parsed; case names must be unique and equal
 * to their folder; arrays must match what case.json declares. See golden/FORMAT.md.
 */
public final class GoldenCorpus {
    public static final int FORMAT_VERSION = 2;

    private final CorpusManifest manifest;
    private final Map<String, String> versions;
    private final List<String> caseNames;
    private final List<String> trajectoryNames;

    private GoldenCorpus(CorpusManifest manifest, Map<String, String> versions, List<String> caseNames,
                         List<String> trajectoryNames) {
        this.manifest = manifest;
        this.versions = versions;
        this.caseNames = caseNames;
        this.trajectoryNames = trajectoryNames;
    }

    /** Environment variable naming the default corpus folder (used when no {@code --corpus} is given). */
    public static final String CORPUS_ENV = "RNNKIT_CORPUS";

    /**
     * The default corpus: {@code ${rnnkit.project.dir}/golden} when that system property is set (the build sets it
     * for tests), else the folder named by the environment variable {@value #CORPUS_ENV}, else the {@code golden/}
     * folder next to the rnnkit classes or jar (the checkout's {@code golden/} for {@code target/rnnkit.jar} and
     * {@code target/classes}) — never a folder relative to the current directory.
     */
    public static Path defaultRoot() {
        String project = System.getProperty("rnnkit.project.dir");
        if (project != null) {
            return Path.of(project).resolve("golden");
        }
        String env = System.getenv(CORPUS_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path code = codeLocation();
        for (Path p = code; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("golden").resolve("manifest.json"))) {
                return p.resolve("golden");
            }
        }
        throw new IllegalArgumentException("no default golden corpus: none next to " + code + " (looked for "
                + "golden/manifest.json in its parent folders); pass --corpus DIR or set " + CORPUS_ENV);
    }

    private static Path codeLocation() {
        try {
            return Path.of(GoldenCorpus.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /**
     * The folder that holds the corpus inside the golden artifact ({@code io.rnnkit:rnnkit:<version>:golden}, a jar
     * with the corpus under this fixed prefix), and so on the class path of a build that depends on it.
     */
    public static final String CLASSPATH_PREFIX = "rnnkit-golden";

    private static final Map<Path, FileSystem> OPEN_JARS = new ConcurrentHashMap<>();

    /**
     * Opens the corpus on the class path of {@code loader} (the golden artifact, or a folder holding
     * {@value #CLASSPATH_PREFIX}/), with exactly the checks of {@link #open}: the jar is read as a file system, so
     * every byte is verified against the manifest before it is parsed.
     *
     * @return empty if no corpus is on the class path
     * @throws IllegalArgumentException if there are two (which one is meant is not clear), or the one there cannot
     *     be read as a jar or folder, or fails the corpus checks
     */
    public static Optional<GoldenCorpus> onClasspath(ClassLoader loader) {
        String marker = CLASSPATH_PREFIX + "/manifest.json";
        List<URL> found;
        try {
            found = Collections.list(loader.getResources(marker));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the class path for " + marker + ": " + e.getMessage(), e);
        }
        found = List.copyOf(new LinkedHashSet<>(found));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException("the class path holds " + found.size() + " golden corpora (" + found
                    + "); expected one: depend on a single io.rnnkit:rnnkit:golden artifact");
        }
        return Optional.of(open(classpathRoot(found.get(0))));
    }

    private static Path classpathRoot(URL manifest) {
        try {
            switch (manifest.getProtocol()) {
                case "file" -> {
                    return Path.of(manifest.toURI()).getParent();
                }
                case "jar" -> {
                    String spec = manifest.getPath();
                    int bang = spec.indexOf("!/");
                    URI jarUri = bang < 0 ? null : new URI(spec.substring(0, bang));
                    if (jarUri == null || !"file".equals(jarUri.getScheme()) || spec.indexOf("!/", bang + 2) >= 0) {
                        throw new IllegalArgumentException("the golden corpus at " + manifest
                                + " is not in a plain jar file; expected the io.rnnkit:rnnkit:golden jar on the class path");
                    }
                    Path jar = Path.of(jarUri).toAbsolutePath().normalize();
                    FileSystem fs = OPEN_JARS.computeIfAbsent(jar, GoldenCorpus::openJar);
                    return fs.getPath("/" + CLASSPATH_PREFIX);
                }
                default -> throw new IllegalArgumentException("the golden corpus at " + manifest + " is neither in a "
                        + "jar nor in a folder; expected the io.rnnkit:rnnkit:golden jar on the class path");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot locate the golden corpus at " + manifest + ": " + e.getMessage(), e);
        }
    }

    private static FileSystem openJar(Path jar) {
        try {
            return FileSystems.newFileSystem(jar, (ClassLoader) null);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the golden corpus jar " + jar + " (" + e
                    + "); expected a readable jar holding " + CLASSPATH_PREFIX + "/", e);
        }
    }

    /** Opens the corpus: verifies and reads the manifest and corpus.json; cases are read by {@link #load}. */
    public static GoldenCorpus open(Path root) {
        CorpusManifest manifest = CorpusManifest.load(root);
        JsonNode corpus = readJson(manifest, "corpus.json");
        checkFormatVersion(corpus, "corpus.json");
        Map<String, String> versions = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = StrictJson.object(corpus, "versions", "corpus.json").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            versions.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString());
        }
        for (String k : List.of("keras", "tensorflow", "numpy", "python")) {
            if (!versions.containsKey(k)) {
                throw new IllegalArgumentException("corpus.json: versions lacks '" + k + "'");
            }
        }
        List<String> names = StrictJson.texts(corpus, "cases", "corpus.json");
        List<String> trajectories = StrictJson.texts(corpus, "trajectories", "corpus.json");
        if (names.isEmpty() && trajectories.isEmpty()) {
            throw new IllegalArgumentException("corpus.json: missing or empty 'cases' list (and no 'trajectories')");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(names);
        all.addAll(trajectories);
        for (String name : all) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("corpus.json: case name '" + name + "' appears twice; "
                        + "case names must be unique");
            }
            if (!isCaseName(name)) {
                throw new IllegalArgumentException("corpus.json: case name '" + name
                        + "' is not of the form suite/case (letters, digits, _ = . -, not starting with '.')");
            }
        }
        // Every listed file must belong to corpus.json, manifest.json or a listed case folder.
        for (String f : manifest.files()) {
            int slash = f.lastIndexOf('/');
            if (!f.equals("corpus.json") && (slash < 0 || !seen.contains(f.substring(0, slash)))) {
                throw new IllegalArgumentException("manifest lists " + f + ", which belongs to no case of corpus.json");
            }
        }
        int count = StrictJson.integer(corpus, "case_count", "corpus.json");
        if (count != names.size()) {
            throw new IllegalArgumentException("corpus.json: case_count " + count + " but " + names.size()
                    + (names.size() == 1 ? " case is listed" : " cases are listed"));
        }
        if (corpus.has("trajectory_count") || !trajectories.isEmpty()) {
            int tc = StrictJson.integer(corpus, "trajectory_count", "corpus.json");
            if (tc != trajectories.size()) {
                throw new IllegalArgumentException("corpus.json: trajectory_count " + tc + " but " + trajectories.size()
                        + (trajectories.size() == 1 ? " trajectory is listed" : " trajectories are listed"));
            }
        }
        return new GoldenCorpus(manifest, Map.copyOf(versions), List.copyOf(names), List.copyOf(trajectories));
    }

    /** A case name as golden/FORMAT.md allows it: {@code suite/case}, e.g. {@code lstm/mask_holes_last__float64}. */
    public static boolean isCaseName(String name) {
        return name.matches("[a-z0-9_]+/[A-Za-z0-9_=\\-][A-Za-z0-9_=.\\-]*");
    }

    public Path root() {
        return manifest.root();
    }

    /** Versions of the tools that generated the corpus: keras, tensorflow, numpy, python. */
    public Map<String, String> versions() {
        return new java.util.TreeMap<>(versions);
    }

    public List<String> caseNames() {
        return caseNames;
    }

    /** The training trajectories ({@code trajectories} of corpus.json), in corpus order; not among {@link #caseNames}. */
    public List<String> trajectoryNames() {
        return trajectoryNames;
    }

    /** Loads and validates one training trajectory by name ({@code suite/case__dtype}). */
    public TrajectoryCase loadTrajectory(String name) {
        return loadListed(trajectoryNames, "trajectory", name, this::readTrajectory);
    }

    /** Reads a case of a corpus.json list, naming it in any error. */
    private static <T> T loadListed(List<String> listed, String what, String name,
                                    java.util.function.Function<String, T> reader) {
        if (!listed.contains(name)) {
            throw new IllegalArgumentException("no golden " + what + " named '" + name + "'");
        }
        try {
            return reader.apply(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("golden " + what + " " + name + ": " + e.getMessage(), e);
        }
    }

    private TrajectoryCase readTrajectory(String name) {
        CaseJson read = readCaseJson(name, "trajectory");
        if (!(read.layer() instanceof rnnkit.model.SequentialSpec model)) {
            throw new IllegalArgumentException("a trajectory's layer is " + read.layer().describe()
                    + "; expected a Sequential model");
        }
        JsonNode c = read.json();
        ArrayStore arrays = read.arrays();
        DType dtype = read.dtype();
        String cj = "case.json";
        checkTrainableWithoutMasks(model);
        List<Tensor> weights = read.weights();
        List<String> weightNames = read.weightNames();
        model.validateWeights(model.inputDim(), weights);
        rnnkit.training.OptimizerSpec optimizer = rnnkit.training.OptimizerSpec.fromKeras(StrictJson.object(c, "optimizer", cj));
        JsonNode loss = StrictJson.object(c, "loss", cj);
        checkCrossEntropy(loss, model);
        List<TrajectoryCase.Batch> batches = new ArrayList<>();
        int classes = model.outputDim(model.inputDim());
        for (JsonNode b : StrictJson.array(c, "batches", cj)) {
            Tensor x = arrays.tensor(StrictJson.text(b, "inputs", "batch"));
            Tensor t = arrays.tensor(StrictJson.text(b, "targets", "batch"));
            if (x.rank() != 3 || x.dim(2) != model.inputDim() || !t.hasShape(x.dim(0), classes)) {
                throw new IllegalArgumentException("batch " + batches.size() + " has inputs "
                        + Tensor.shapeString(x.shape()) + " and targets " + Tensor.shapeString(t.shape())
                        + "; expected (batch, time, " + model.inputDim() + ") and (batch, " + classes + ")");
            }
            batches.add(new TrajectoryCase.Batch(x, t));
        }
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("a trajectory needs at least one batch");
        }
        List<JsonNode> scheduleJson = StrictJson.array(c, "schedule", cj);
        int[] schedule = new int[scheduleJson.size()];
        for (int k = 0; k < schedule.length; k++) {
            schedule[k] = StrictJson.integer(scheduleJson.get(k), "schedule entry");
            if (schedule[k] < 0 || schedule[k] >= batches.size()) {
                throw new IllegalArgumentException("schedule entry " + k + " is batch " + schedule[k] + "; expected 0.."
                        + (batches.size() - 1));
            }
        }
        int steps = StrictJson.integer(c, "steps", cj);
        if (steps < 1 || steps != schedule.length) {
            throw new IllegalArgumentException("steps is " + steps + " but the schedule has " + schedule.length
                    + " entries; expected the same positive number");
        }
        Tensor losses = arrays.tensor(StrictJson.text(c, "losses", cj));
        if (!losses.hasShape(steps) || losses.firstNonFinite() >= 0) {
            throw new IllegalArgumentException("losses has shape " + Tensor.shapeString(losses.shape())
                    + "; expected " + steps + " finite values (one per step)");
        }
        java.util.SortedMap<Integer, List<Tensor>> after = new java.util.TreeMap<>();
        for (JsonNode rec : StrictJson.array(c, "weights_after", cj)) {
            int step = StrictJson.integer(rec, "step", "weights_after entry");
            if (step < 1 || step > steps || (!after.isEmpty() && step <= after.lastKey())) {
                throw new IllegalArgumentException("weights_after step " + step + "; expected increasing steps in 1.."
                        + steps);
            }
            List<Tensor> w = arrays.tensors(rec, "weights", "weights_after entry");
            checkSameShapes("weights after step " + step + ", weight", w, weights, 0);
            after.put(step, w);
        }
        arrays.checkAllUsed();
        return new TrajectoryCase(name, StrictJson.text(c, "suite", cj), StrictJson.text(c, "case", cj), dtype, model,
                optimizer, StrictJson.optionalText(c, "description", "", cj), weights, weightNames, batches, schedule,
                losses.data(), after);
    }

    /** A trajectory records no dropout masks, so its model may not draw any. */
    private static void checkTrainableWithoutMasks(rnnkit.model.SequentialSpec model) {
        for (LayerSpec l : model.layers()) {
            boolean drops = l instanceof rnnkit.model.DropoutSpec d && d.rate() > 0;
            for (rnnkit.model.CellSpec cell : LayerCall.recurrentCells(l)) {
                drops |= cell.dropout() > 0 || cell.recurrentDropout() > 0;
            }
            if (drops) {
                throw new IllegalArgumentException("layer " + l.describe() + " drops out in training, but a trajectory"
                        + " records no dropout masks");
            }
        }
    }

    /** The loss must be Keras's default categorical cross-entropy, computed from the logits of a final softmax. */
    private static void checkCrossEntropy(JsonNode loss, rnnkit.model.SequentialSpec model) {
        String what = "loss";
        if (!"CategoricalCrossentropy".equals(StrictJson.text(loss, "class_name", what))) {
            throw new IllegalArgumentException("loss is " + loss.get("class_name") + "; expected CategoricalCrossentropy");
        }
        JsonNode cfg = StrictJson.object(loss, "config", what);
        if (cfg.path("from_logits").asBoolean(false) || cfg.path("label_smoothing").asDouble(0) != 0
                || cfg.path("axis").asInt(-1) != -1 || !"sum_over_batch_size".equals(cfg.path("reduction").asText())) {
            throw new IllegalArgumentException("loss config " + cfg + " is not supported; expected from_logits=False, "
                    + "label_smoothing=0, axis=-1, reduction sum_over_batch_size");
        }
        if (!"logits".equals(StrictJson.text(loss, "computed_from", what))) {
            throw new IllegalArgumentException("loss computed_from is " + loss.get("computed_from")
                    + "; expected 'logits' (Keras uses the logits of a final softmax)");
        }
        rnnkit.training.TrajectoryRun.logitsModel(model); // the model must end in a softmax
    }

    /** Loads every case, in corpus order. */
    public List<GoldenCase> loadAll() {
        List<GoldenCase> out = new ArrayList<>();
        for (String n : caseNames) {
            out.add(load(n));
        }
        return out;
    }

    /** Loads and validates one case by name ({@code suite/case__dtype}). */
    public GoldenCase load(String name) {
        return loadListed(caseNames, "case", name, this::loadCase);
    }

    /** The parts every case.json has, read and checked: its JSON, dtype, arrays, layer and weights. */
    private record CaseJson(JsonNode json, DType dtype, ArrayStore arrays, LayerSpec layer, List<Tensor> weights,
                            List<String> weightNames) {
    }

    /** Reads {@code name/case.json}, which must have the given kind ("calls" or "trajectory"). */
    private CaseJson readCaseJson(String name, String kind) {
        checkNoUnlistedFiles(name);
        JsonNode c = readJson(manifest, name + "/case.json");
        String cj = "case.json";
        checkFormatVersion(c, cj);
        String own = StrictJson.optionalText(c, "kind", "calls", cj);
        if (!kind.equals(own)) {
            throw new IllegalArgumentException("case.json has kind '" + own + "' where corpus.json lists a case of kind '"
                    + kind + "' (call cases under 'cases', trajectories under 'trajectories')");
        }
        String self = StrictJson.text(c, "name", cj);
        if (!name.equals(self)) {
            throw new IllegalArgumentException("case.json names itself '" + self + "'; expected its folder name '" + name + "'");
        }
        DType dtype = DType.fromKeras(StrictJson.text(c, "dtype", cj));
        ArrayStore arrays = new ArrayStore(name, StrictJson.object(c, "arrays", cj), dtype);
        LayerSpec layer = KerasConfigParser.parse(StrictJson.object(c, "layer", cj));
        List<Tensor> weights = new ArrayList<>();
        List<String> weightNames = new ArrayList<>();
        for (JsonNode w : StrictJson.array(c, "weights", cj)) {
            weights.add(arrays.tensor(StrictJson.text(w, "file", "weights entry")));
            weightNames.add(StrictJson.text(w, "name", "weights entry"));
        }
        return new CaseJson(c, dtype, arrays, layer, weights, weightNames);
    }

    private GoldenCase loadCase(String name) {
        CaseJson read = readCaseJson(name, "calls");
        JsonNode c = read.json();
        String cj = "case.json";
        DType dtype = read.dtype();
        ArrayStore arrays = read.arrays();
        LayerSpec layer = read.layer();
        List<Tensor> weights = read.weights();
        List<String> weightNames = read.weightNames();
        boolean training = StrictJson.bool(c, "training", false, cj);
        boolean stateful = StrictJson.bool(c, "stateful", false, cj);
        boolean tokens = "token_ids".equals(StrictJson.optionalText(c, "input_kind", "float", cj));
        List<GoldenCall> calls = new ArrayList<>();
        boolean reset = false;
        for (JsonNode call : StrictJson.array(c, "calls", cj)) {
            if (!call.isObject()) {
                throw new IllegalArgumentException("case.json: a call record is " + StrictJson.kind(call) + "; expected an object");
            }
            if (StrictJson.bool(call, "reset_state", false, "call record")) {
                reset = true;
                continue;
            }
            calls.add(call(calls.size(), reset, call, layer, weights, training, dtype, tokens, arrays));
            reset = false;
        }
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("case.json has no calls");
        }
        if (!stateful && calls.size() != 1) {
            throw new IllegalArgumentException("a stateless case must have exactly one call; found " + calls.size());
        }
        arrays.checkAllUsed();
        JsonNode tags = c.path("tags");
        return new GoldenCase(name, StrictJson.text(c, "suite", cj), StrictJson.text(c, "case", cj), dtype,
                StrictJson.optionalText(c, "description", "", cj), StrictJson.texts(tags, "cells", "tags"),
                StrictJson.texts(tags, "options", "tags"), c.get("layer"), layer, training, stateful, tokens, weights,
                weightNames, calls, summaries(c, layer, cj));
    }

    /** The verified {@code case.json} of a case as a fresh tree (for writing an export of a case {@link #load} accepted). */
    public ObjectNode caseJson(String name) {
        requireListed(name);
        return readJson(manifest, name + "/case.json");
    }

    /** One verified array of a case, by its file name in the case folder (a plain {@code name.npy}). */
    public NpyArray array(String name, String file) {
        requireListed(name);
        if (!file.matches("[A-Za-z0-9_]+\\.npy")) {
            throw new IllegalArgumentException("array file name '" + file + "' is not a plain name.npy");
        }
        String rel = name + "/" + file;
        return NpyReader.parse(manifest.readVerified(rel), rel);
    }

    private void requireListed(String name) {
        if (!caseNames.contains(name)) {
            throw new IllegalArgumentException("no golden case named '" + name + "'");
        }
    }

    private static GoldenCall call(int index, boolean reset, JsonNode c, LayerSpec layer, List<Tensor> weights,
                                   boolean training, DType dtype, boolean tokens, ArrayStore arrays) {
        String rec = "call record " + index;
        String in = StrictJson.text(c, "inputs", rec);
        Tensor inputs = tokens ? arrays.ids(in) : arrays.tensor(in);
        SequenceMask mask = c.hasNonNull("mask") ? arrays.mask(StrictJson.text(c, "mask", rec)) : null;
        List<Tensor> init = arrays.tensors(c, "initial_states", rec);
        List<CellDropoutMasks> dropout = new ArrayList<>();
        for (JsonNode cell : StrictJson.array(c, "dropout_masks", rec)) {
            dropout.add(new CellDropoutMasks(arrays.tensors(cell, "input", rec + " dropout_masks"),
                    arrays.tensors(cell, "recurrent", rec + " dropout_masks")));
        }
        if (dropout.stream().allMatch(CellDropoutMasks::isEmpty)) {
            dropout = List.of();
        }
        List<Tensor> layerMasks = arrays.tensors(c, "dropout_layer_masks", rec);
        LayerCall call;
        try {
            call = new LayerCall(layer, weights, inputs, mask, init, dropout, layerMasks, training, dtype);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("call " + index + " does not fit the layer config: " + e.getMessage(), e);
        }
        LayerOutputs expected = new LayerOutputs(arrays.tensors(c, "outputs", rec), arrays.tensors(c, "states", rec));
        JsonNode cot = StrictJson.object(c, "cotangents", rec);
        LayerOutputs cotangent = new LayerOutputs(arrays.tensors(cot, "outputs", rec + " cotangents"),
                arrays.tensors(cot, "states", rec + " cotangents"));
        if (cotangent.outputs().size() != expected.outputs().size()) {
            throw new IllegalArgumentException("call " + index + " has " + expected.outputs().size()
                    + " outputs but " + cotangent.outputs().size() + " output cotangents");
        }
        for (int i = 0; i < expected.outputs().size(); i++) {
            if (!Arrays.equals(expected.outputs().get(i).shape(), cotangent.outputs().get(i).shape())) {
                throw new IllegalArgumentException("call " + index + ": output " + i + " has shape "
                        + Arrays.toString(expected.outputs().get(i).shape()) + " but its cotangent has shape "
                        + Arrays.toString(cotangent.outputs().get(i).shape()));
            }
        }
        JsonNode g = StrictJson.object(c, "gradients", rec);
        Tensor gradInputs = g.hasNonNull("inputs") ? arrays.tensor(StrictJson.text(g, "inputs", rec + " gradients")) : null;
        List<Tensor> gradWeights = arrays.tensors(g, "weights", rec + " gradients");
        List<Tensor> gradInit = arrays.tensors(g, "initial_states", rec + " gradients");
        checkSameShapes("gradient of weight", gradWeights, weights, index);
        checkSameShapes("gradient of initial state", gradInit, init, index);
        if (gradInputs != null && !Arrays.equals(gradInputs.shape(), inputs.shape())) {
            throw new IllegalArgumentException("call " + index + ": input gradient has shape "
                    + Arrays.toString(gradInputs.shape()) + "; expected the input shape " + Arrays.toString(inputs.shape()));
        }
        boolean returned = StrictJson.bool(c, "states_returned", false, rec);
        if (!returned && !cotangent.states().isEmpty()) {
            throw new IllegalArgumentException("call " + index + " has state cotangents but returned no states");
        }
        return new GoldenCall(index, reset, call, expected, returned, cotangent,
                new LayerGradients(gradInputs, gradWeights, gradInit));
    }

    private static void checkSameShapes(String what, List<Tensor> got, List<Tensor> ref, int index) {
        if (got.size() != ref.size()) {
            throw new IllegalArgumentException("call " + index + ": " + got.size() + " arrays for " + what
                    + "; expected " + ref.size());
        }
        for (int i = 0; i < got.size(); i++) {
            if (!Arrays.equals(got.get(i).shape(), ref.get(i).shape())) {
                throw new IllegalArgumentException("call " + index + ": " + what + " " + i + " has shape "
                        + Arrays.toString(got.get(i).shape()) + "; expected " + Arrays.toString(ref.get(i).shape()));
            }
        }
    }

    private void checkNoUnlistedFiles(String name) {
        Path dir = manifest.root().resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("case folder " + dir + " is missing");
        }
        try (Stream<Path> s = Files.list(dir)) {
            Set<String> unlisted = new TreeSet<>();
            s.forEach(p -> {
                String rel = name + "/" + p.getFileName();
                if (!manifest.lists(rel)) {
                    unlisted.add(rel);
                }
            });
            if (!unlisted.isEmpty()) {
                throw new IllegalArgumentException("files not listed in the manifest: " + unlisted);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkFormatVersion(JsonNode n, String what) {
        int v = StrictJson.integer(n, "format_version", what);
        if (v != FORMAT_VERSION) {
            throw new IllegalArgumentException(what + " has format_version " + v + "; this reader understands version "
                    + FORMAT_VERSION);
        }
    }

    private static ObjectNode readJson(CorpusManifest manifest, String rel) {
        return StrictJson.object(manifest.readVerified(rel), rel);
    }

    /** {@code summaries}: what Keras's model.summary() printed, by line length (Sequential models only). */
    private static Map<Integer, String> summaries(JsonNode c, LayerSpec layer, String what) {
        Map<Integer, String> out = new LinkedHashMap<>();
        List<JsonNode> list = StrictJson.array(c, "summaries", what);
        if (!list.isEmpty() && !(layer instanceof rnnkit.model.SequentialSpec)) {
            throw new IllegalArgumentException(what + ": only a Sequential model has 'summaries'; this layer is "
                    + layer.describe());
        }
        for (JsonNode s : list) {
            if (!s.isObject()) {
                throw new IllegalArgumentException(what + ": a summary is " + StrictJson.kind(s) + "; expected an object");
            }
            int width = StrictJson.integer(s, "line_length", what + " summary");
            if (width < 20) {
                throw new IllegalArgumentException(what + ": summary line_length " + width + "; expected at least 20");
            }
            if (out.put(width, StrictJson.text(s, "text", what + " summary")) != null) {
                throw new IllegalArgumentException(what + ": two summaries of line length " + width);
            }
        }
        return out;
    }

    /** The arrays of one case: declared in case.json, verified against the manifest, read on demand. */
    private final class ArrayStore {
        private final String caseName;
        private final Map<String, JsonNode> declared = new LinkedHashMap<>();
        private final Map<String, NpyArray> loaded = new HashMap<>();
        private final String floatDescr;
        private final DType dtype;

        ArrayStore(String caseName, ObjectNode arrays, DType dtype) {
            this.caseName = caseName;
            this.dtype = dtype;
            this.floatDescr = dtype == DType.FLOAT32 ? NpyReader.FLOAT32 : NpyReader.FLOAT64;
            if (arrays.isEmpty()) {
                throw new IllegalArgumentException("case.json has no 'arrays' map");
            }
            Iterator<Map.Entry<String, JsonNode>> it = arrays.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().matches("[A-Za-z0-9_]+\\.npy")) {
                    throw new IllegalArgumentException("array file name '" + e.getKey() + "' is not a plain name.npy");
                }
                if (!e.getValue().isObject()) {
                    throw new IllegalArgumentException("arrays entry " + e.getKey() + " is " + StrictJson.kind(e.getValue())
                            + "; expected {\"shape\": [...], \"dtype\": ...}");
                }
                declared.put(e.getKey(), e.getValue());
            }
            for (String f : manifest.files()) {
                if (f.startsWith(caseName + "/") && !f.endsWith("/case.json")
                        && !declared.containsKey(f.substring(caseName.length() + 1))) {
                    throw new IllegalArgumentException("manifest lists " + f + " but case.json does not declare it");
                }
            }
        }

        NpyArray array(String file) {
            NpyArray a = loaded.get(file);
            if (a != null) {
                return a;
            }
            JsonNode decl = declared.get(file);
            if (decl == null) {
                throw new IllegalArgumentException("array " + file + " is used but not declared in 'arrays'");
            }
            String rel = caseName + "/" + file;
            a = NpyReader.parse(manifest.readVerified(rel), rel);
            String descr = StrictJson.text(decl, "dtype", "arrays entry " + file);
            if (!a.descr().equals(descr)) {
                throw new IllegalArgumentException(file + " holds dtype '" + a.descr() + "' but case.json declares '"
                        + descr + "'");
            }
            int[] shape = StrictJson.shape(decl, "shape", "arrays entry " + file);
            if (!Arrays.equals(shape, a.shape())) {
                throw new IllegalArgumentException(file + " has shape " + Arrays.toString(a.shape())
                        + " but case.json declares " + Arrays.toString(shape));
            }
            loaded.put(file, a);
            return a;
        }

        Tensor tensor(String file) {
            NpyArray a = array(file);
            if (!a.descr().equals(floatDescr)) {
                throw new IllegalArgumentException(file + " has dtype '" + a.descr() + "'; a " + dtype.kerasName()
                        + " case stores its values as '" + floatDescr + "'");
            }
            return a.toTensor();
        }

        Tensor ids(String file) {
            NpyArray a = array(file);
            if (!a.descr().equals(NpyReader.INT32) && !a.descr().equals(NpyReader.INT64)) {
                throw new IllegalArgumentException(file + " has dtype '" + a.descr()
                        + "'; token ids are stored as '<i4' or '<i8'");
            }
            return a.toTensor();
        }

        SequenceMask mask(String file) {
            NpyArray a = array(file);
            if (!a.isBoolean()) {
                throw new IllegalArgumentException(file + " has dtype '" + a.descr() + "'; masks are stored as '|b1'");
            }
            return a.toMask();
        }

        List<Tensor> tensors(JsonNode parent, String field, String what) {
            List<Tensor> out = new ArrayList<>();
            for (String f : StrictJson.texts(parent, field, what)) {
                out.add(tensor(f));
            }
            return out;
        }

        void checkAllUsed() {
            Set<String> unused = new TreeSet<>(declared.keySet());
            unused.removeAll(loaded.keySet());
            if (!unused.isEmpty()) {
                throw new IllegalArgumentException("arrays declared but referenced nowhere: " + unused);
            }
        }
    }
}
