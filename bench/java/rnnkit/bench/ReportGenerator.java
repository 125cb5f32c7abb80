package rnnkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;

/**
 * Writes {@code reports/benchmark.md} and its charts from the suite's JSON files in {@code reports/benchmark/}:
 * {@code jmh-results.json} (JMH's own JSON, merged), {@code run.json} (what was planned, machine, status) and
 * {@code accuracy.json}. The Markdown is written to a temporary file and moved into place; charts are written
 * into a fresh directory that replaces the old one. Can be run alone to regenerate the report:
 * {@code java -cp ... rnnkit.bench.ReportGenerator [reportsDir]}.
 */
public final class ReportGenerator {

    /** One JMH result, interpreted. */
    record Result(String contestant, String phase, String cell, String shape, String dtype, int threads,
                  int jmhThreads, int gemmN, double ms, double msError, double allocBytes, int forks, double fmaFlops) {

        Workload workload() {
            return Workload.of(cell, shape);
        }

        /** Floating-point operations of one call (forward GEMMs, ×3 for forward+backward; 2n³ for a GEMM). */
        double flops() {
            if (contestant.equals("gemm")) {
                return 2.0 * gemmN * gemmN * (double) gemmN;
            }
            if (contestant.equals("fma")) {
                return fmaFlops;
            }
            if (contestant.equals("paired")) {
                return Double.NaN; // its time is that of two blocks of calls by two contestants, pauses included: no GFLOP/s
            }
            Workload w = workload();
            return phase.equals("forward") ? w.forwardFlops() : w.forwardBackwardFlops();
        }

        double gflops() {
            return flops() * jmhThreads / (ms * 1e-3) / 1e9;
        }
    }

    /**
     * The interleaved ratio of a paired result: ONNX Runtime time ÷ prepared time of every measured iteration of
     * every fork (each iteration's two sums come from the same JVM at the same time), their median, min and max.
     */
    record Interleaved(List<Double> ratios) {
        double median() {
            List<Double> s = ratios.stream().sorted().toList();
            int n = s.size();
            return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }

        double min() {
            return ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double max() {
            return ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    /** The auxiliary counters of {@code pairedForward} ({@link PairedTimes}) in JMH's secondary metrics. */
    static final String PREPARED_NANOS = "preparedNanos";
    static final String ONNX_RUNTIME_NANOS = "onnxRuntimeNanos";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode run;
    private final JsonNode accuracy;
    /** profiles.json ({@link TargetProfiles}), or an empty object when the run made none. */
    private final JsonNode profiles;
    private final List<Result> results = new ArrayList<>();
    /** The interleaved ratios of the paired results, by "cell|shape|threads"; absent when the counters were. */
    private final Map<String, Interleaved> interleaved = new LinkedHashMap<>();
    private final int cores;
    private final List<String> headline;
    private final String allThreads;
    private final StringBuilder md = new StringBuilder();
    /** "cell|shape" pairs some contestant was planned to run; rows for other pairs are left out (quick mode). */
    private final Set<String> planned = new LinkedHashSet<>();
    private final Charts charts;

    private ReportGenerator(JsonNode run, JsonNode accuracy, JsonNode jmh, JsonNode profiles, Charts charts) {
        this.run = run;
        this.accuracy = accuracy;
        this.profiles = profiles;
        this.charts = charts;
        this.cores = run.path("machine").path("cores").asInt();
        this.allThreads = String.valueOf(cores);
        this.headline = strings(run.path("headlineShapes"));
        for (JsonNode e : run.path("expected")) {
            JsonNode p = e.path("params");
            planned.add(p.path("cell").asText() + "|" + p.path("shape").asText());
        }
        for (JsonNode s : run.path("skipped")) {
            // a skipped contestant's runs still count as planned: their rows must show the gap
            JsonNode p = s.path("params");
            for (JsonNode cell : p.path("cell")) {
                for (JsonNode shape : p.path("shape")) {
                    planned.add(cell.asText() + "|" + shape.asText());
                }
            }
        }
        int lanes = run.path("machine").path("floatLanes").asInt(0);
        for (JsonNode o : jmh) {
            Result r = interpret(o, lanes);
            if (r != null) {
                results.add(r);
                if (r.contestant.equals("paired") && "float32".equals(r.dtype)) {
                    interleavedRatios(o.path("secondaryMetrics"))
                            .ifPresent(i -> interleaved.putIfAbsent(r.cell + "|" + r.shape + "|" + r.threads, i));
                }
            }
        }
    }

    public static void main(String[] args) throws IOException {
        generate(Path.of(args.length > 0 ? args[0] : "reports").toAbsolutePath());
    }

    /** Generates the report from the JSON files under {@code reports/benchmark}. */
    public static void generate(Path reports) throws IOException {
        Path dir = reports.resolve("benchmark");
        Path runFile = dir.resolve("run.json");
        if (!Files.exists(runFile)) {
            throw new IllegalStateException(runFile + " does not exist; run the suite first (mvn -Pbench verify)");
        }
        JsonNode run = JSON.readTree(runFile.toFile());
        Path accFile = dir.resolve("accuracy.json");
        JsonNode acc = Files.exists(accFile) ? JSON.readTree(accFile.toFile()) : JSON.createObjectNode();
        Path jmhFile = dir.resolve("jmh-results.json");
        JsonNode jmh = Files.exists(jmhFile) ? JSON.readTree(jmhFile.toFile()) : JSON.createArrayNode();
        Path profileFile = dir.resolve("profiles.json");
        JsonNode profiles = Files.exists(profileFile) ? JSON.readTree(profileFile.toFile()) : JSON.createObjectNode();
        Path chartsTmp = dir.resolve(".charts-tmp");
        BenchmarkSuite.deleteRecursively(chartsTmp);
        Files.createDirectories(chartsTmp);
        ReportGenerator g = new ReportGenerator(run, acc, jmh, profiles, new Charts(chartsTmp));
        String text = g.write();
        Path charts = dir.resolve("charts");
        BenchmarkSuite.deleteRecursively(charts);
        Files.move(chartsTmp, charts, StandardCopyOption.ATOMIC_MOVE);
        Path tmp = reports.resolve("benchmark.md.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, reports.resolve("benchmark.md"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The interleaved block's pause as the run recorded it ({@code run.json}: pairPauseMillis). */
    private String pairPause() {
        JsonNode ms = run.path("pairPauseMillis");
        return ms.isNumber() ? "an untimed " + ms.asLong() + " ms pause"
                : "an untimed pause (its length is not in run.json)";
    }

    /** The interleaved block's number of timed calls as the run recorded it ({@code run.json}: pairBlockCalls). */
    private String pairBlockCalls() {
        JsonNode n = run.path("pairBlockCalls");
        return n.isNumber() ? String.valueOf(n.asInt()) : "an unrecorded number of";
    }

    private static Result interpret(JsonNode o, int floatLanes) {
        if (!o.hasNonNull("benchmark")) {
            return null;
        }
        String bench = o.path("benchmark").asText();
        JsonNode p = o.path("params");
        String contestant;
        String phase;
        LayerCallMethod method = LayerCallMethod.ofBenchmark(bench);
        if (method != null) {
            contestant = method.contestant();
            phase = method.phase();
        } else if (bench.equals(GemmRooflineBenchmark.class.getName() + ".multiply")) {
            contestant = "gemm";
            phase = "float32".equals(p.path("dtype").asText()) ? "sgemm" : "dgemm";
        } else if (bench.equals(FmaPeakBenchmark.class.getName() + ".fma")) {
            contestant = "fma";
            phase = "float32";
        } else {
            return null;
        }
        JsonNode pm = o.path("primaryMetric");
        double scale = switch (pm.path("scoreUnit").asText()) {
            case "s/op" -> 1e3;
            case "ms/op" -> 1;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> Double.NaN;
        };
        double alloc = num(o.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score"));
        boolean ref = contestant.equals("reference");
        return new Result(contestant, phase, text(p.path("cell")), text(p.path("shape")),
                ref ? "float64" : text(p.path("dtype")), ref ? 1 : p.path("threads").asInt(1),
                o.path("threads").asInt(), p.path("n").asInt(0), num(pm.path("score")) * scale,
                num(pm.path("scoreError")) * scale, alloc, o.path("forks").asInt(),
                floatLanes > 0 ? FmaPeakBenchmark.flopsPerCall(floatLanes) : Double.NaN);
    }

    /**
     * The per-iteration ratios {@code onnxRuntimeNanos ÷ preparedNanos} of a paired result's secondary metrics
     * (JMH's {@code rawData}: one array per fork, one value per measured iteration), every fork's iterations in
     * order; empty when a counter is absent, the two do not line up, or an iteration has no time.
     */
    static Optional<Interleaved> interleavedRatios(JsonNode secondaryMetrics) {
        JsonNode prepared = secondaryMetrics.path(PREPARED_NANOS).path("rawData");
        JsonNode ort = secondaryMetrics.path(ONNX_RUNTIME_NANOS).path("rawData");
        if (!prepared.isArray() || !ort.isArray() || prepared.size() != ort.size() || prepared.isEmpty()) {
            return Optional.empty();
        }
        List<Double> ratios = new ArrayList<>();
        for (int fork = 0; fork < prepared.size(); fork++) {
            JsonNode p = prepared.get(fork);
            JsonNode o = ort.get(fork);
            if (!p.isArray() || !o.isArray() || p.size() != o.size()) {
                return Optional.empty();
            }
            for (int i = 0; i < p.size(); i++) {
                double r = num(o.get(i)) / num(p.get(i));
                if (!(r > 0) || Double.isInfinite(r)) {
                    return Optional.empty();
                }
                ratios.add(r);
            }
        }
        return ratios.isEmpty() ? Optional.empty() : Optional.of(new Interleaved(List.copyOf(ratios)));
    }

    // ---------------------------------------------------------------- lookup

    /** Whether any contestant was planned for this cell and shape (full mode: every headline pair). */
    boolean isPlanned(String cell, String shape) {
        return planned.contains(cell + "|" + shape);
    }

    private Optional<Result> find(String contestant, String phase, String cell, String shape, String dtype, String threads) {
        for (Result r : results) {
            if (r.contestant.equals(contestant) && r.phase.equals(phase) && Objects.equals(r.cell, cell)
                    && Objects.equals(r.shape, shape) && (dtype == null || r.dtype.equals(dtype))
                    && (threads == null || String.valueOf(r.threads).equals(threads))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private Optional<Result> opt(String phase, String cell, String shape, String dtype, String threads) {
        return find("optimized", phase, cell, shape, dtype, threads);
    }

    /** The interleaved prepared-vs-ONNX Runtime ratios of the paired float32 forward, or empty. */
    private Optional<Interleaved> paired(String cell, String shape, String threads) {
        return Optional.ofNullable(interleaved.get(cell + "|" + shape + "|" + threads));
    }

    private static double medianOf(Optional<Interleaved> i) {
        return i.map(Interleaved::median).orElse(Double.NaN);
    }

    /** The interleaved ratio as {@code median× (min–max)}, or — when not measured. */
    private static String interleavedText(Optional<Interleaved> i) {
        return i.map(x -> f("%s (%s–%s)", ratio(x.median()), num(x.min()), num(x.max()))).orElse("—");
    }

    private Optional<Result> prep(String cell, String shape, String threads) {
        return find("prepared", "forward", cell, shape, "float32", threads);
    }

    /** The float32 FMA peak (register-only fma loop) on {@code threads} threads. */
    private Optional<Result> fmaPeak(String threads) {
        return find("fma", "float32", null, null, null, threads);
    }

    private Optional<Result> ort(String cell, String shape, String dtype, String threads) {
        return find("onnxruntime", "forward", cell, shape, dtype, threads);
    }

    private Optional<Result> ref(String phase, String cell, String shape) {
        return find("reference", phase, cell, shape, null, null);
    }

    private Optional<Result> gemm(String phase, String threads) {
        Result best = null;
        for (Result r : results) {
            if (r.contestant.equals("gemm") && r.phase.equals(phase)
                    && String.valueOf(r.threads).equals(threads) && (best == null || r.gflops() > best.gflops())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    private boolean present(String contestant) {
        return run.path("contestants").path(contestant).path("present").asBoolean(false);
    }

    private boolean hasResults(String contestant) {
        return results.stream().anyMatch(r -> r.contestant.equals(contestant));
    }

    // ---------------------------------------------------------------- formatting

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    private static String ms(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        return v >= 100 ? f("%.0f", v) : v >= 10 ? f("%.1f", v) : v >= 1 ? f("%.2f", v) : f("%.3f", v);
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "—";
        }
        return v >= 100 ? f("%.0f", v) : v >= 10 ? f("%.1f", v) : f("%.2f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "—" : v >= 100 ? f("%.0f×", v) : v >= 0.1 ? f("%.2f×", v)
                : f("%.2g×", v);
    }

    private static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "—";
        }
        double a = Math.abs(b);
        return a >= 1 << 20 ? f("%.1f MiB", b / (1 << 20)) : a >= 1 << 10 ? f("%.1f KiB", b / 1024) : f("%.0f B", b);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "—" : f("%.0f%%", 100 * v);
    }

    private static double msOf(Optional<Result> r) {
        return r.map(Result::ms).orElse(Double.NaN);
    }

    private static double gfOf(Optional<Result> r) {
        return r.map(Result::gflops).orElse(Double.NaN);
    }

    private static List<String> strings(JsonNode array) {
        List<String> l = new ArrayList<>();
        for (JsonNode x : array) {
            l.add(x.asText());
        }
        return l;
    }

    /** A number, also JMH's quoted "NaN"; NaN when absent or not a number. */
    private static double num(JsonNode n) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        try {
            return n.isTextual() ? Double.parseDouble(n.asText()) : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** JMH parameters as {@code {name=value, ...}}. */
    private static String paramsText(JsonNode params) {
        Map<String, String> m = new LinkedHashMap<>();
        params.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m.toString();
    }

    /** A text value, or null when absent. */
    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static String shapeLabel(String shape) {
        int[] s = Workload.parseShape(shape);
        return f("(%d, %d, %d, %d)", s[0], s[1], s[2], s[3]);
    }

    private void line(String s) {
        md.append(s).append('\n');
    }

    private void table(List<String> header, List<List<String>> rows) {
        line("| " + String.join(" | ", header) + " |");
        line("|" + "---|".repeat(header.size()));
        for (List<String> r : rows) {
            line("| " + String.join(" | ", r) + " |");
        }
        line("");
    }

    // ---------------------------------------------------------------- the report

    private String write() throws IOException {
        String status = text(run.path("status"));
        boolean quick = "quick".equals(run.path("mode").asText());
        JsonNode machine = run.path("machine");
        line("# rnnkit benchmark report");
        line("");
        if ("failed".equals(status)) {
            line("> **THIS RUN FAILED** (" + text(run.path("failure")) + "). The tables below show only what was measured "
                    + "before the failure; they are not a complete report.");
            line("");
        } else if ("partial".equals(status)) {
            line("> **Partial run**: only the JMH runs matching `" + text(run.path("include")) + "` were executed; "
                    + "everything else is reported as not measured.");
            line("");
        }
        int missingResults = missingConfigurations().size();
        if (missingResults > 0 && !"failed".equals(status)) {
            line(f("> **Incomplete**: %d of %d planned configurations produced no result (listed under \"Missing "
                    + "results\"); their cells in the tables are empty (—).", missingResults,
                    run.path("expected").size()));
            line("");
        }
        if (quick) {
            line("> **Quick mode (smoke test)**: tiny stand-in shapes, one short fork, few iterations. These numbers "
                    + "check that the suite works; they are not measurements of the real shapes. Run "
                    + "`mvn -Pbench verify` for the full suite.");
            line("");
        }
        List<String> missing = new ArrayList<>();
        for (String c : List.of("reference", "optimized", "prepared", "onnxruntime", "paired", "gemm", "fma")) {
            JsonNode info = run.path("contestants").path(c);
            if (!present(c)) {
                missing.add("**" + c + "** (`" + text(info.path("class")) + "`) was not on the class path: every " + c
                        + " column and ratio below is empty (—).");
            } else if (!hasResults(c)) {
                missing.add("**" + c + "** was on the class path but produced no results ("
                        + ("partial".equals(status) ? "its runs were not selected, or " : "")
                        + "see \"Missing results\").");
            }
        }
        if (!missing.isEmpty()) {
            line("> **Missing contestants:**");
            for (String m : missing) {
                line("> - " + m);
            }
            line("");
        }
        line(f("Generated %s by `%s` (%s mode, status **%s**); %d JMH results of %d planned, %.1f min.",
                text(run.path("finished")), text(run.path("command")), text(run.path("mode")), status, results.size(),
                run.path("expected").size(), num(run.path("elapsedSeconds")) / 60));
        line("");
        line(f("Machine: %s cores, %s (%s), %s RAM; %s; %s. Load average at start %s, at end %s "
                        + "(other processes running at the same time distort the numbers).",
                cores, text(machine.path("cpuModel")), text(machine.path("vectorExtensions")),
                text(machine.path("memory")), text(machine.path("jdk")), text(machine.path("os")),
                text(machine.path("loadAverage")), text(run.path("loadAverageAtEnd"))));
        line("");
        line("Absolute times are only meaningful on the machine that produced them; the ratios are the headline.");
        line("");
        headlineSection();
        targetsSection();
        profilesSection();
        batchOneSection();
        accuracySection();
        rooflineSection();
        detailSection();
        scalingSection();
        growthSection();
        deepBenchSection();
        allocationSection();
        missingSection();
        methodSection();
        return md.toString();
    }

    private void headlineSection() throws IOException {
        line("## Headline ratios (float32, forward, " + allThreads + " threads unless stated)");
        line("");
        line("Speed-up = time of the other contestant ÷ time of the optimized implementation (> 1: optimized is "
                + "faster). **prepared** is the layer prepared once (`OptimizedRnn.prepare`: weights converted, "
                + "bias-summed and packed once, like ONNX Runtime's session, which is also built before timing); "
                + "**unprepared** is `OptimizedRnn.forward(call)`, which does that work in every call. The prepared "
                + "forward is the array call (`PreparedLayer.forward(float[], batch, time)`: float32 inputs made in "
                + "setup, like ONNX Runtime's input tensor, and a float32 output array); the unprepared one (and every "
                + "forward+backward) includes converting the double Tensors in and out. The reference is "
                + "single-threaded float64 (it always computes in double).");
        line("");
        line("The \"vs ORT\" columns compare separate JMH forks run one after the other, and this machine's speed can "
                + "drift between them; **interleaved** runs the prepared layer and ONNX Runtime in one JVM, a block of "
                + "each in turn (alternating which goes first; each block " + pairPause() + ", so that the other "
                + "contestant's threads stop spinning, an untimed warm-in call and " + pairBlockCalls()
                + " timed calls), so the drift cancels "
                + "in their ratio: its median over every measured iteration of every fork, with the min–max of the "
                + "per-iteration ratios.");
        line("");
        List<List<String>> rows = new ArrayList<>();
        for (String shape : headline) {
            for (String cell : SuitePlan.CELLS) {
                if (!isPlanned(cell, shape)) {
                    continue;
                }
                Optional<Result> p = prep(cell, shape, allThreads);
                Optional<Result> p1 = prep(cell, shape, "1");
                Optional<Result> o = opt("forward", cell, shape, "float32", allThreads);
                Optional<Result> o1 = opt("forward", cell, shape, "float32", "1");
                Optional<Result> ob = opt("forward+backward", cell, shape, "float32", allThreads);
                Optional<Result> rf = ref("forward", cell, shape);
                Optional<Result> ot = ort(cell, shape, "float32", allThreads);
                Optional<Result> ot1 = ort(cell, shape, "float32", "1");
                rows.add(List.of(shapeLabel(shape), cell, ms(msOf(p)), ms(msOf(o)), ms(msOf(ot)),
                        ratio(msOf(ot) / msOf(p)), interleavedText(paired(cell, shape, allThreads)),
                        ratio(msOf(ot) / msOf(o)), ratio(msOf(ot1) / msOf(p1)), interleavedText(paired(cell, shape, "1")),
                        ratio(msOf(ot1) / msOf(o1)), ratio(msOf(rf) / msOf(o)), pct(gfOf(ob) / gfOf(o)),
                        ratio(msOf(o1) / msOf(o)), pct(gfOf(p) / gfOf(fmaPeak(allThreads)))));
            }
        }
        table(List.of("shape (B, T, D, H)", "cell", "prepared ms/call", "unprepared ms/call", "ONNX Runtime ms/call",
                "prepared vs ORT", "prepared vs ORT, interleaved", "unprepared vs ORT", "prepared vs ORT, 1 thread",
                "prepared vs ORT, interleaved, 1 thread", "unprepared vs ORT, 1 thread",
                "vs reference", "fwd+bwd GFLOP/s ÷ fwd", cores + " threads ÷ 1", "prepared of FMA peak"), rows);
        charts.headline(this);
        for (String shape : headline) {
            line(f("![GFLOP/s on %s](benchmark/charts/%s)", shapeLabel(shape), Charts.headlineFile(shape)));
        }
        line("");
    }

    List<String> headlineShapes() {
        return headline;
    }

    String allThreads() {
        return allThreads;
    }

    List<Result> results() {
        return results;
    }

    /** A target row: worst case over cases, with status "met" or "missed by X%". */
    private List<String> target(String name, String what, double goal, List<String> labels, List<Double> values,
                                boolean higherIsBetter) {
        double worst = Double.NaN;
        String worstLabel = "";
        int met = 0;
        int measured = 0;
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            if (Double.isNaN(v)) {
                continue;
            }
            measured++;
            boolean ok = higherIsBetter ? v >= goal : v <= goal;
            if (ok) {
                met++;
            }
            if (Double.isNaN(worst) || (higherIsBetter ? v < worst : v > worst)) {
                worst = v;
                worstLabel = labels.get(i);
            }
        }
        String status;
        if (measured == 0) {
            status = "**not measured**";
        } else if (met == measured) {
            status = measured == values.size() ? "met" : f("met on the %d measured of %d cases", measured, values.size());
        } else {
            status = higherIsBetter
                    ? f("**missed by %.0f%%** (worst case; %d of %d cases meet it)", 100 * (1 - worst / goal), met, measured)
                    : f("**missed** (worst case %s over the goal; %d of %d cases meet it)", ratio(worst / goal), met,
                    measured);
        }
        String shown = higherIsBetter ? num(worst) : bytes(worst);
        return List.of(name, what, measured == 0 ? "—" : f("%s (%s)", shown, worstLabel), status);
    }

    private void targetsSection() {
        line("## Targets");
        line("");
        List<List<String>> rows = new ArrayList<>();
        // 1. prepared float32 forward at least as fast as ONNX Runtime on every cell and shape, on all threads and
        //    on one; the moonshot 1.5× on the batched shapes; unprepared at least as fast on the batched shapes
        for (String t : List.of(allThreads, "1")) {
            String threadsLabel = t + " thread" + (t.equals("1") ? "" : "s");
            rows.add(ortTarget("prepared float32 forward ≥ ONNX Runtime, " + threadsLabel, "prepared", t, false, 1));
        }
        rows.add(ortTarget("moonshot: prepared ≥ 1.5× ONNX Runtime on the batched shapes, " + allThreads + " threads",
                "prepared", allThreads, true, 1.5));
        // the same, interleaved in one JVM (drift cancels)
        for (String t : List.of(allThreads, "1")) {
            String threadsLabel = t + " thread" + (t.equals("1") ? "" : "s");
            rows.add(interleavedTarget("prepared float32 forward ≥ ONNX Runtime, interleaved, " + threadsLabel, t,
                    false, 1));
        }
        rows.add(interleavedTarget("moonshot, interleaved: prepared ≥ 1.5× ONNX Runtime on the batched shapes, "
                + allThreads + " threads", allThreads, true, 1.5));
        for (String t : List.of(allThreads, "1")) {
            String threadsLabel = t + " thread" + (t.equals("1") ? "" : "s");
            rows.add(ortTarget("unprepared float32 forward ≥ ONNX Runtime on the batched shapes, " + threadsLabel,
                    "optimized", t, true, 1));
        }
        // 2. forward+backward at least half the forward GFLOP/s
        {
            List<String> labels = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            for (String dtype : List.of("float32", "float64")) {
                for (String shape : headline) {
                    for (String cell : SuitePlan.CELLS) {
                        if (!isPlanned(cell, shape)) {
                            continue;
                        }
                        labels.add(cell + " " + shapeLabel(shape) + " " + dtype);
                        v.add(gfOf(opt("forward+backward", cell, shape, dtype, allThreads))
                                / gfOf(opt("forward", cell, shape, dtype, allThreads)));
                    }
                }
            }
            rows.add(target("forward+backward ≥ ½ forward GFLOP/s", "fwd+bwd GFLOP/s ÷ fwd GFLOP/s ≥ 0.5 ("
                    + allThreads + " threads)", 0.5, labels, v, true));
        }
        // 3. optimized ≥ 50× the reference on (32,100,512,512)
        {
            String shape = text(run.path("referenceTargetShape"));
            List<String> labels = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            for (String cell : SuitePlan.CELLS) {
                if (!isPlanned(cell, shape)) {
                    continue;
                }
                labels.add(cell + " " + shapeLabel(shape));
                v.add(msOf(ref("forward", cell, shape)) / msOf(opt("forward", cell, shape, "float32", allThreads)));
            }
            rows.add(target("optimized ≥ 50× reference on " + shapeLabel(shape),
                    "reference time ÷ optimized time (float32 forward, " + allThreads + " threads)", 50, labels, v, true));
        }
        // 4. thread speed-up ≥ 1.7× at batch ≥ 32 (quick mode's stand-ins are smaller: its largest batch)
        if (cores > 1) {
            List<String> labels = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            int maxBatch = 0;
            for (String shape : headline) {
                maxBatch = Math.max(maxBatch, Workload.parseShape(shape)[0]);
            }
            int minBatch = Math.min(32, maxBatch);
            for (String phase : List.of("forward", "forward+backward")) {
                for (String shape : headline) {
                    if (Workload.parseShape(shape)[0] < minBatch) {
                        continue;
                    }
                    for (String cell : SuitePlan.CELLS) {
                        if (!isPlanned(cell, shape)) {
                            continue;
                        }
                        labels.add(phase + " " + cell + " " + shapeLabel(shape));
                        v.add(msOf(opt(phase, cell, shape, "float32", "1"))
                                / msOf(opt(phase, cell, shape, "float32", allThreads)));
                    }
                }
            }
            rows.add(target(cores + "-thread speed-up ≥ 1.7× at batch ≥ " + minBatch, "time on 1 thread ÷ time on "
                    + cores + " (float32, unprepared)", 1.7, labels, v, true));
        } else {
            rows.add(List.of("2-thread speed-up ≥ 1.7×", "—", "—", "**not measurable on a 1-core machine**"));
        }
        // 5. no allocation per time step: growth of (allocated - outputs) per extra step in the time sweep
        {
            List<String> labels = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            for (String phase : List.of("forward", "forward+backward")) {
                double slope = allocationPerStep(phase);
                labels.add(phase);
                v.add(slope);
            }
            rows.add(target("no allocation per time step", "bytes allocated per extra time step beyond the "
                    + "output tensors (time sweep, LSTM float32); goal ≤ 64 B", 64, labels, v, false));
        }
        table(List.of("target", "measure", "worst measured", "status"), rows);
        if (profiles.has("profiles")) {
            line("Where the prepared forward is slower than ONNX Runtime, the worst cell of each shape and thread count "
                    + "was profiled after the timed runs: see \"Profiles of the missed ONNX Runtime targets\".");
        } else {
            line("This run made no profiles; why a target is missed is found by profiling that case (JFR or "
                    + "async-profiler).");
        }
        line("");
    }

    /** Time per step at batch 1, where each step is a matrix-vector product (µs per step = time per call ÷ T). */
    private void batchOneSection() {
        List<List<String>> rows = new ArrayList<>();
        for (String shape : headline) {
            int[] s = Workload.parseShape(shape);
            if (s[0] != 1) {
                continue;
            }
            double perStep = 1000.0 / s[1];
            for (String cell : SuitePlan.CELLS) {
                if (!isPlanned(cell, shape)) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(shapeLabel(shape), cell));
                for (String t : allThreads.equals("1") ? List.of("1") : List.of(allThreads, "1")) {
                    double p = msOf(prep(cell, shape, t)) * perStep;
                    double o = msOf(opt("forward", cell, shape, "float32", t)) * perStep;
                    double ort = msOf(ort(cell, shape, "float32", t)) * perStep;
                    row.addAll(List.of(num(p), num(o), num(ort), ratio(ort / p)));
                }
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        line("## Batch 1: time per step (float32, forward)");
        line("");
        line("At batch 1 every step's recurrent product is a matrix-vector product: time per call ÷ T, in µs; "
                + "ratio = ONNX Runtime's time ÷ the prepared layer's.");
        line("");
        List<String> header = new ArrayList<>(List.of("shape (B, T, D, H)", "cell"));
        for (String t : allThreads.equals("1") ? List.of("1") : List.of(allThreads, "1")) {
            String th = t + (t.equals("1") ? " thread" : " threads");
            header.addAll(List.of("prepared µs/step, " + th, "unprepared µs/step, " + th,
                    "ONNX Runtime µs/step, " + th, "prepared vs ORT, " + th));
        }
        table(header, rows);
    }

    /** The JFR profiles of {@link TargetProfiles}: share of each part of a forward call, and the top frames. */
    private void profilesSection() {
        if (!profiles.has("profiles")) {
            return;
        }
        line("## Profiles of the missed ONNX Runtime targets (JFR)");
        line("");
        JsonNode list = profiles.path("profiles");
        if (list.isEmpty() && !(hasResults("prepared") && hasResults("onnxruntime"))) {
            line("Nothing was profiled: the cases to profile are chosen from the prepared and ONNX Runtime results of "
                    + "separate forks, and this run has none of " + (hasResults("prepared") ? "ONNX Runtime's."
                    : "the prepared layer's."));
            line("");
            return;
        }
        if (list.isEmpty()) {
            line("No prepared float32 forward was slower than ONNX Runtime's: nothing to profile.");
            line("");
            return;
        }
        line(f("Java Flight Recorder execution samples (every %d ms per thread) of the prepared layer's float32 forward "
                + "calls, in the suite's JVM after the timed runs, for the worst cell of each shape and thread count "
                + "where it is slower than ONNX Runtime. Each sample counts in the part of the call on its stack: the "
                + "recurrent product (the per-step GEMM tiles), the input projection (x·W of all steps), the epilogue "
                + "(bias, activations, state update per tile), operand packing (h_{t-1} packed per step), waiting for "
                + "threads (the caller or a worker spinning at the end of a parallel range), conversion and copies "
                + "(the output array copied out of the workspace). ONNX Runtime is native code: JFR does not see "
                + "inside it.",
                profiles.path("periodMillis").asInt()));
        line("");
        List<String> header = new ArrayList<>(List.of("case", "prepared vs ORT (JMH)", "ms/call while profiled",
                "samples"));
        header.addAll(TargetProfiles.PHASES);
        header.add("top frames");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : list) {
            int threads = p.path("threads").asInt();
            double r = num(p.path("onnxRuntimeMs")) / num(p.path("preparedMs"));
            List<String> row = new ArrayList<>(List.of(
                    p.path("cell").asText() + " " + shapeLabel(p.path("shape").asText()) + ", " + threads + " thread"
                            + (threads == 1 ? "" : "s"),
                    f("%s (misses by %.0f%%)", ratio(r), 100 * (1 - r)), ms(num(p.path("msPerCallWhileProfiled"))),
                    String.valueOf(p.path("samples").asInt())));
            for (String phase : TargetProfiles.PHASES) {
                row.add(pct(num(p.path("phases").path(phase))));
            }
            List<String> frames = new ArrayList<>();
            for (JsonNode fr : p.path("topFrames")) {
                if (frames.size() == 4) {
                    break;
                }
                frames.add("`" + fr.path("frame").asText() + "` " + pct(num(fr.path("share"))));
            }
            row.add(String.join(", ", frames));
            rows.add(row);
        }
        table(header, rows);
    }

    /**
     * A target row for {@code contestant}'s float32 forward against ONNX Runtime on {@code threads} threads: ONNX
     * Runtime time ÷ contestant time ≥ {@code goal} on every headline cell and shape (only batch > 1 if
     * {@code batchedOnly}).
     */
    private List<String> ortTarget(String name, String contestant, String threads, boolean batchedOnly, double goal) {
        return headlineTarget(name, "ONNX Runtime time ÷ " + contestant + " time ≥ " + num(goal), batchedOnly, goal,
                (cell, shape) -> msOf(ort(cell, shape, "float32", threads))
                        / msOf(find(contestant, "forward", cell, shape, "float32", threads)));
    }

    /**
     * A target row for the interleaved ratio ({@code pairedForward}) on {@code threads} threads: its median over the
     * iterations ≥ {@code goal} on every headline cell and shape (only batch > 1 if {@code batchedOnly}).
     */
    private List<String> interleavedTarget(String name, String threads, boolean batchedOnly, double goal) {
        return headlineTarget(name, "median per-iteration ONNX Runtime time ÷ prepared time, interleaved in one JVM, ≥ "
                + num(goal), batchedOnly, goal, (cell, shape) -> medianOf(paired(cell, shape, threads)));
    }

    /** A higher-is-better target over the planned headline cells and shapes (only batch > 1 if {@code batchedOnly}). */
    private List<String> headlineTarget(String name, String what, boolean batchedOnly, double goal,
                                        ToDoubleBiFunction<String, String> value) {
        List<String> labels = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (String shape : headline) {
            if (batchedOnly && Workload.parseShape(shape)[0] == 1) {
                continue;
            }
            for (String cell : SuitePlan.CELLS) {
                if (!isPlanned(cell, shape)) {
                    continue;
                }
                labels.add(cell + " " + shapeLabel(shape));
                v.add(value.applyAsDouble(cell, shape));
            }
        }
        return target(name, what, goal, labels, v, true);
    }

    /**
     * Least-squares slope over the time sweep of (bytes allocated per call − bytes of the output tensors the call
     * must return), in bytes per time step. Outputs: forward returns (B,T,H) doubles plus final states; backward
     * returns input, weight and state gradients.
     */
    double allocationPerStep(String phase) {
        List<double[]> pts = new ArrayList<>();
        for (String shape : strings(run.path("timeSweep"))) {
            Optional<Result> r = opt(phase, "lstm", shape, "float32", allThreads);
            if (r.isPresent() && !Double.isNaN(r.get().allocBytes)) {
                Workload w = r.get().workload();
                pts.add(new double[] {w.time(), r.get().allocBytes - outputBytes(w, phase)});
            }
        }
        if (pts.size() < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (double[] p : pts) {
            mx += p[0] / pts.size();
            my += p[1] / pts.size();
        }
        double sxy = 0;
        double sxx = 0;
        for (double[] p : pts) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxy / sxx;
    }

    /** Bytes of the double arrays a call must return (the interface's Tensor results). */
    static double outputBytes(Workload w, String phase) {
        int k = w.cell().spec(w.units()).gates();
        int states = w.cell().spec(w.units()).stateCount();
        double out = (double) w.batch() * w.time() * w.units() + (double) states * w.batch() * w.units();
        if (phase.equals("forward")) {
            return 8 * out;
        }
        double grads = (double) w.batch() * w.time() * w.input() + (double) w.input() * k * w.units()
                + (double) w.units() * k * w.units() + 2.0 * k * w.units();
        return 8 * grads;
    }

    private void accuracySection() {
        line("## Equal answers (checked once before timing)");
        line("");
        JsonNode rows = accuracy.path("comparisons");
        if (accuracy.isEmpty()) {
            line("**The accuracy check did not run** (no accuracy.json): the race is not known to be between equal "
                    + "answers.");
            line("");
            return;
        }
        line(f("Largest absolute difference over every output step and final state, on the benchmarked calls "
                + "(same seeded weights and inputs). Equal means within %s (float32 vs float64 answers) or %s "
                + "(float64).", text(accuracy.path("float32Tolerance")), text(accuracy.path("float64Tolerance"))));
        line("");
        Map<String, double[]> summary = new LinkedHashMap<>();
        Map<String, Integer> unequal = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            String key = text(r.path("subject")) + " vs " + text(r.path("against")) + " | " + text(r.path("dtype"));
            double e = num(r.path("maxAbsError"));
            double[] s = summary.computeIfAbsent(key, k -> new double[] {0, 0});
            s[0]++;
            s[1] = Math.max(s[1], Double.isNaN(e) ? Double.POSITIVE_INFINITY : e);
            if (!r.path("equal").asBoolean(false)) {
                unequal.merge(key, 1, Integer::sum);
            }
        }
        List<List<String>> t = new ArrayList<>();
        for (Map.Entry<String, double[]> e : summary.entrySet()) {
            String[] k = e.getKey().split(" \\| ");
            int bad = unequal.getOrDefault(e.getKey(), 0);
            t.add(List.of(k[0], k[1], f("%.0f", e.getValue()[0]), f("%.2e", e.getValue()[1]),
                    bad == 0 ? "all equal" : f("**%d NOT equal**", bad)));
        }
        if (t.isEmpty()) {
            line("**No comparison could be made** (see notes below).");
            line("");
        } else {
            table(List.of("compared", "precision", "calls", "max abs error", "verdict"), t);
        }
        for (JsonNode n : accuracy.path("notes")) {
            line("- " + n.asText());
        }
        line("");
        if (!rows.isEmpty()) {
            line("<details><summary>Every comparison</summary>");
            line("");
            List<List<String>> all = new ArrayList<>();
            for (JsonNode r : rows) {
                all.add(List.of(text(r.path("cell")), shapeLabel(text(r.path("shape"))), text(r.path("dtype")),
                        text(r.path("subject")) + " vs " + text(r.path("against")),
                        f("%.2e", num(r.path("maxAbsError"))), r.path("equal").asBoolean(false) ? "yes" : "**no**"));
            }
            table(List.of("cell", "shape", "dtype", "compared", "max abs error", "equal"), all);
            line("</details>");
            line("");
        }
    }

    private void rooflineSection() {
        line("## Roofline: the optimized GEMM on square matrices");
        line("");
        JsonNode g = run.path("contestants").path("gemm");
        if (!present("gemm")) {
            line("**Not measured**: no optimized GEMM (" + text(g.path("class")) + ") was on the class path, so no "
                    + "\"fraction of roofline\" can be given.");
            line("");
            return;
        }
        line(f("Kernel `%s` (%s on %s threads); C = A·B, n×n×n, 2·n³ floating-point operations per call.",
                text(g.path("class")), text(g.path("kernel")), allThreads));
        line("");
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            if (r.contestant.equals("gemm")) {
                rows.add(List.of(r.phase, String.valueOf(r.gemmN), String.valueOf(r.threads), ms(r.ms),
                        num(r.gflops())));
            }
        }
        table(List.of("kernel", "n", "threads", "ms/call", "GFLOP/s"), rows);
        List<String> peaks = new ArrayList<>();
        for (String t : new LinkedHashSet<>(List.of("1", allThreads))) {
            Optional<Result> fp = fmaPeak(t);
            if (fp.isPresent()) {
                peaks.add(f("%s GFLOP/s on %s thread%s (best sgemm %s of it)", num(gfOf(fp)), t, t.equals("1") ? "" : "s",
                        pct(gfOf(gemm("sgemm", t)) / gfOf(fp))));
            }
        }
        line(peaks.isEmpty() ? "FMA peak: **not measured** (no FmaPeakBenchmark result)."
                : "FMA peak, float32, same run (register-only Vector API fma loop, " + FmaPeakBenchmark.CHAINS
                + " independent chains, " + run.path("machine").path("floatLanes").asInt() + " lanes): "
                + String.join("; ", peaks) + ".");
        line("");
        line("The \"of roofline\" columns divide a contestant's GFLOP/s by the best sgemm (float32) or dgemm (float64) "
                + "GFLOP/s measured at the same thread count.");
        line("");
    }

    private void detailSection() {
        line("## Time per call and GFLOP/s on the headline shapes");
        line("");
        for (String shape : headline) {
            line("### " + shapeLabel(shape) + " (batch, time, input, units)");
            line("");
            List<List<String>> rows = new ArrayList<>();
            for (String cell : SuitePlan.CELLS) {
                if (!isPlanned(cell, shape)) {
                    continue;
                }
                for (Result r : results) {
                    if (cell.equals(r.cell) && shape.equals(r.shape)) {
                        Optional<Result> roof = gemm(r.dtype.equals("float32") ? "sgemm" : "dgemm",
                                String.valueOf(r.threads));
                        rows.add(List.of(cell, r.contestant, r.phase, r.dtype, String.valueOf(r.threads),
                                Double.isNaN(r.msError) ? ms(r.ms) : ms(r.ms) + " ± " + ms(r.msError), num(r.gflops()), pct(r.gflops() / gfOf(roof)),
                                bytes(r.allocBytes)));
                    }
                }
                if (rows.isEmpty() || !rows.get(rows.size() - 1).get(0).equals(cell)) {
                    rows.add(List.of(cell, "—", "—", "—", "—", "no results", "—", "—", "—"));
                }
            }
            table(List.of("cell", "contestant", "phase", "dtype", "threads", "ms/call (± 99.9% CI)", "GFLOP/s",
                    "of roofline", "allocated/call"), rows);
        }
    }

    private void scalingSection() {
        line("## Thread scaling (float32; time on 1 thread ÷ time on " + allThreads + ")");
        line("");
        if (cores < 2) {
            line("Not measurable: this machine has one core.");
            line("");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (String shape : headline) {
            for (String cell : SuitePlan.CELLS) {
                if (!isPlanned(cell, shape)) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(shapeLabel(shape), cell));
                Optional<Result> a = opt("forward", cell, shape, "float32", "1");
                Optional<Result> b = opt("forward", cell, shape, "float32", allThreads);
                row.add(ratio(msOf(a) / msOf(b)));
                a = opt("forward+backward", cell, shape, "float32", "1");
                b = opt("forward+backward", cell, shape, "float32", allThreads);
                row.add(ratio(msOf(a) / msOf(b)));
                a = prep(cell, shape, "1");
                b = prep(cell, shape, allThreads);
                row.add(ratio(msOf(a) / msOf(b)));
                a = ort(cell, shape, "float32", "1");
                b = ort(cell, shape, "float32", allThreads);
                row.add(ratio(msOf(a) / msOf(b)));
                rows.add(row);
            }
        }
        table(List.of("shape", "cell", "optimized forward", "optimized fwd+bwd", "prepared forward",
                "ONNX Runtime forward"), rows);
        Optional<Result> g1 = gemm("sgemm", "1");
        Optional<Result> gn = gemm("sgemm", allThreads);
        line(f("For comparison, the sgemm roofline scales %s (best size on each thread count).",
                ratio(gfOf(gn) / gfOf(g1))));
        line("");
    }

    private void growthSection() throws IOException {
        line("## Growth curves (LSTM, float32, forward, " + allThreads + " threads)");
        line("");
        line("How cost grows with work: each sweep varies one dimension of the first headline shape. Time per call "
                + "should grow linearly with batch and time and quadratically with units; GFLOP/s shows how well the "
                + "work is done at each size.");
        line("");
        String[][] sweeps = {{"batch", "batchSweep", "0"}, {"time", "timeSweep", "1"}, {"units", "unitsSweep", "3"}};
        for (String[] s : sweeps) {
            List<String> shapes = strings(run.get(s[1]));
            int axis = Integer.parseInt(s[2]);
            line("### " + s[0] + " sweep");
            line("");
            List<List<String>> rows = new ArrayList<>();
            for (String shape : shapes) {
                Optional<Result> o = opt("forward", "lstm", shape, "float32", allThreads);
                Optional<Result> t = ort("lstm", shape, "float32", allThreads);
                rows.add(List.of(String.valueOf(Workload.parseShape(shape)[axis]), shapeLabel(shape), ms(msOf(o)),
                        num(gfOf(o)), ms(msOf(t)), num(gfOf(t)), ratio(msOf(t) / msOf(o))));
            }
            table(List.of(s[0], "shape", "optimized ms", "optimized GFLOP/s", "ONNX Runtime ms", "ONNX Runtime GFLOP/s",
                    "optimized vs ORT"), rows);
            charts.growth(this, s[0], shapes, axis);
            line(f("![time per call vs %s](benchmark/charts/%s) ![GFLOP/s vs %s](benchmark/charts/%s)", s[0],
                    Charts.growthFile(s[0], "time"), s[0], Charts.growthFile(s[0], "gflops")));
            line("");
        }
    }

    private void deepBenchSection() {
        line("## DeepBench-style shapes (float32, " + allThreads + " threads)");
        line("");
        line("DeepBench lists RNN problems as (hidden, batch, time steps) with input size = hidden; shown here as "
                + "(B, T, D, H). Inference entries run forward only; the training-style entries (LSTM 512 × batch "
                + "16/32/64 × 25 steps, GRU 512/1024 × batch 32, and typical Keras sizes) also forward+backward.");
        line("");
        Set<String> seen = new LinkedHashSet<>();
        List<List<String>> rows = new ArrayList<>();
        Set<String> sweepOrHeadline = new LinkedHashSet<>(headline);
        for (String k : List.of("batchSweep", "timeSweep", "unitsSweep")) {
            sweepOrHeadline.addAll(strings(run.get(k)));
        }
        for (Result r : results) {
            if (r.shape == null || r.contestant.equals("reference") || sweepOrHeadline.contains(r.shape)
                    || !seen.add(r.cell + "|" + r.shape)) {
                continue;
            }
            Optional<Result> o = opt("forward", r.cell, r.shape, "float32", allThreads);
            Optional<Result> t = ort(r.cell, r.shape, "float32", allThreads);
            Optional<Result> b = opt("forward+backward", r.cell, r.shape, "float32", allThreads);
            rows.add(List.of(r.cell, shapeLabel(r.shape), ms(msOf(o)), num(gfOf(o)), ms(msOf(t)), num(gfOf(t)),
                    ratio(msOf(t) / msOf(o)), ms(msOf(b)), num(gfOf(b))));
        }
        if (rows.isEmpty()) {
            line("**No results.**");
            line("");
            return;
        }
        table(List.of("cell", "shape", "optimized fwd ms", "GFLOP/s", "ORT fwd ms", "GFLOP/s", "optimized vs ORT",
                "optimized fwd+bwd ms", "GFLOP/s"), rows);
    }

    private void allocationSection() {
        line("## Allocation per call (JMH GC profiler, gc.alloc.rate.norm)");
        line("");
        line("\"Beyond outputs\" subtracts the double arrays the interface must return (forward: the (B,T,H) "
                + "sequence and final states; backward: input, weight and bias gradients). ONNX Runtime allocates "
                + "its outputs natively, outside the Java heap.");
        line("");
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            if (r.contestant.equals("optimized") && headline.contains(r.shape)) {
                double out = outputBytes(r.workload(), r.phase);
                rows.add(List.of(r.cell, shapeLabel(r.shape), r.phase, r.dtype, String.valueOf(r.threads),
                        bytes(r.allocBytes), bytes(out), bytes(r.allocBytes - out),
                        bytes((r.allocBytes - out) / r.workload().time())));
            }
        }
        if (rows.isEmpty()) {
            line("**No optimized results.**");
            line("");
        } else {
            table(List.of("cell", "shape", "phase", "dtype", "threads", "allocated/call", "outputs", "beyond outputs",
                    "beyond outputs per step"), rows);
        }
        line(f("Time sweep (LSTM float32): allocation beyond outputs grows by %s per extra time step (forward) and "
                        + "%s (forward+backward) — least-squares slope.",
                bytes(allocationPerStep("forward")), bytes(allocationPerStep("forward+backward"))));
        line("");
    }

    /** Planned configurations that have no JMH result, described. */
    private List<String> missingConfigurations() {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : run.path("expected")) {
            JsonNode p = e.path("params");
            String contestant = text(e.path("contestant"));
            String phase = text(e.path("phase"));
            boolean found;
            if (contestant.equals("gemm")) {
                found = results.stream().anyMatch(r -> r.contestant.equals("gemm")
                        && String.valueOf(r.gemmN).equals(text(p.path("n"))) && r.dtype.equals(text(p.path("dtype")))
                        && String.valueOf(r.threads).equals(text(p.path("threads"))));
            } else {
                found = find(contestant, phase, text(p.path("cell")), text(p.path("shape")),
                        contestant.equals("reference") ? null : text(p.path("dtype")),
                        contestant.equals("reference") ? null : text(p.path("threads"))).isPresent();
            }
            if (!found) {
                lines.add("- " + contestant + " " + phase + " " + paramsText(p) + ": planned and run, but JMH returned "
                        + "no result (the benchmark threw; see the run log)");
            } else if (contestant.equals("paired")
                    && paired(text(p.path("cell")), text(p.path("shape")), text(p.path("threads"))).isEmpty()) {
                lines.add("- " + contestant + " " + phase + " " + paramsText(p) + ": JMH returned a result without "
                        + "usable per-iteration times (secondary metrics " + PREPARED_NANOS + " and "
                        + ONNX_RUNTIME_NANOS + ")");
            }
        }
        return lines;
    }

    private void missingSection() {
        line("## Missing results");
        line("");
        List<String> lines = missingConfigurations();
        int n = lines.size();
        for (JsonNode r : run.path("jmhRuns")) {
            if (r.hasNonNull("error")) {
                lines.add("- JMH run " + text(r.path("benchmark")) + " failed: " + text(r.path("error")));
            }
        }
        for (JsonNode s : run.path("skipped")) {
            lines.add("- not run: " + text(s.path("run")) + " — " + text(s.path("reason")));
        }
        if (lines.isEmpty()) {
            line("None: every planned configuration produced a result.");
        } else {
            line(f("%d planned configurations have no result; runs not executed are listed with the reason.", n));
            line("");
            for (String l : lines) {
                line(l);
            }
        }
        line("");
    }

    private void methodSection() {
        line("## How this was measured");
        line("");
        line("- GFLOP/s counts the forward GEMM work **2·B·T·(D+H)·k·H** per call (k = 1 SimpleRNN, 3 GRU, 4 LSTM; "
                + "input projection plus recurrent product; activations and element-wise updates not counted). "
                + "**Forward+backward is counted as 3× that** (the backward pass has two GEMMs of the forward's size). "
                + "GEMM: 2·n³.");
        line("- Layers return sequences, start from zero states, no mask, no dropout; weights uniform in "
                + "±sqrt(6/(fan_in+fan_out)), biases ±0.1, inputs ±1, all rounded to float32 values, seed 42.");
        line("- Optimized forward: `forward(call)`; forward+backward: `backward(call, cotangent)`, which recomputes the "
                + "forward activations itself (the interface passes none), with a random cotangent for every output step. "
                + "Times include converting the interface's double Tensors to and from the compute precision. Prepared "
                + "forward: the array call on float32 inputs made in setup, returning a new float32 array (as "
                + "`session.run` takes its input tensor and returns its output); the test suite checks it gives the "
                + "bits of the tensor call, and the benchmark checks that once per trial.");
        line("- ONNX Runtime: one ONNX LSTM/GRU/RNN node built in memory from the same Keras weights (GRU reset_after=True "
                + "→ linear_before_reset=1, False → 0); session and time-major input tensor built once in setup; only "
                + "`session.run` is timed (this favours ONNX Runtime). Intra-op threads = the thread count.");
        line("- Interleaved (`pairedForward`): one JVM holds both the prepared layer and the ONNX Runtime session, "
                + "built exactly as for their own runs; each JMH invocation runs a block of each, alternating which "
                + "goes first: " + pairPause() + " (ONNX "
                + "Runtime's intra-op workers spin after a run and would take a core from the next call), an untimed "
                + "warm-in call, then " + pairBlockCalls() + " calls back to back timed with "
                + "`System.nanoTime`. Per measured iteration the ratio is ONNX Runtime's summed time ÷ the prepared "
                + "layer's (JMH secondary metrics `onnxRuntimeNanos`, `preparedNanos`); the report gives the median and "
                + "min–max over every iteration of every fork. Its primary score (ms/call in the detail tables) is the "
                + "time of one invocation, pauses included.");
        line("- The reference: `rnnkit.reference.ReferenceRnn`, scalar double precision on one thread, timed as single "
                + "shots (one warm-up call, then single calls) and run only on the headline shapes (forward+backward only "
                + "on the two smaller ones) to keep the suite short.");
        line("- JIT: every trial first warms the kernels with many short calls on a small shape (so they are not first "
                + "compiled by on-stack replacement inside one long call, which has been seen to leave Vector API "
                + "code non-intrinsified), then JMH warm-up iterations. Headline runs use several forks; sweeps and "
                + "DeepBench shapes one. Allocation per call from JMH's GC profiler.");
        line("- Raw data: `reports/benchmark/jmh-results.json` (JMH JSON), `run.json` (plan, machine, status), "
                + "`accuracy.json`. Regenerate this file from them with `ReportGenerator`.");
        line("");
    }
}
