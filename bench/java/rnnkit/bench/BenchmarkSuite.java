package rnnkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import rnnkit.model.DType;
import rnnkit.optimized.OptimizedRnn;
import rnnkit.optimized.parallel.ParallelRunner;
import rnnkit.peers.onnx.OnnxRuntimeRnn;
import rnnkit.reference.ReferenceRnn;

/**
 * Runs the whole benchmark suite and writes the report: checks that the contestants agree, runs every planned JMH
 * run (JSON results), merges the results into {@code reports/benchmark/jmh-results.json}, records the run in
 * {@code run.json} and the agreement in {@code accuracy.json}, profiles the prepared forward where it is slower than
 * ONNX Runtime ({@link TargetProfiles}, {@code profiles.json}), then calls {@link ReportGenerator}.
 *
 * <p>Results are gathered in a scratch directory and moved into {@code reports/benchmark/} only at the end, so an
 * interrupted run leaves the previous results and report untouched; a run that fails writes a report that says so.
 *
 * <p>Options: {@code --quick=true|false}, {@code --include=REGEX} (runs whose "group/contestant/phase" matches,
 * e.g. {@code headline/.*}), {@code --reports=DIR}, {@code --plan} (print the plan and its predicted duration,
 * run nothing), {@code --fork-overhead=SECONDS}, {@code --reference-gflops=X}, {@code --optimized-gflops=X} (per-fork
 * JVM start and setup, and the speeds the prediction assumes; defaults measured on the shared 2-core machine).
 */
public final class BenchmarkSuite {

    /** Writes run.json and accuracy.json, indented. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        long pairPauseMillis;
        try {
            // checked here, before any class reads it in a static initializer (an ExceptionInInitializerError there)
            pairPauseMillis = PairedTimes.pairPauseMillis(
                    System.getProperty(LayerCallContestant.PAIR_PAUSE_PROPERTY));
        } catch (IllegalArgumentException e) {
            System.err.println("rnnkit benchmark suite: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, String> opts = parseArgs(args);
        boolean quick = Boolean.parseBoolean(opts.getOrDefault("quick", "false"));
        String include = opts.getOrDefault("include", ".*");
        Path reports = Path.of(opts.getOrDefault("reports", "reports")).toAbsolutePath();
        PrintStream log = System.out;
        int cores = Runtime.getRuntime().availableProcessors();

        Map<String, String> ortF64Failures = new LinkedHashMap<>();
        List<String> ortF64Cells = new ArrayList<>();
        for (String cell : SuitePlan.CELLS) {
            String why = ortFloat64Failure(cell);
            if (why == null) {
                ortF64Cells.add(cell);
            } else {
                ortF64Failures.put(cell, why);
            }
        }
        SuitePlan plan = new SuitePlan(quick, cores, ortF64Cells);

        Map<String, Map<String, Object>> contestants = new LinkedHashMap<>();
        contestants.put("reference", presence(ReferenceRnn.class.getName()));
        contestants.put("optimized", presence(OptimizedRnn.class.getName()));
        contestants.put("prepared", presence(OptimizedRnn.class.getName() + ".prepare (PreparedLayer)"));
        contestants.put("onnxruntime", presence(OnnxRuntimeRnn.class.getName()));
        contestants.put("paired", presence(OptimizedRnn.class.getName() + ".prepare and "
                + OnnxRuntimeRnn.class.getName() + ", alternated in one JVM"));
        Map<String, Object> gemmInfo = presence(Contestants.GEMM_DESCRIPTION);
        try (ParallelRunner runner = new ParallelRunner(cores)) {
            gemmInfo.put("kernel", Contestants.gemm(runner).name());
        }
        contestants.put("gemm", gemmInfo);
        contestants.put("fma", presence(FmaPeakBenchmark.class.getName()));

        Pattern inc = Pattern.compile(include);
        List<SuitePlan.Run> selected = new ArrayList<>();
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (SuitePlan.Run r : plan.runs()) {
            String key = r.group() + "/" + r.contestant() + "/" + r.phase();
            if (!inc.matcher(key).matches()) {
                skipped.add(skip(r, "not selected by --include=" + include));
            } else {
                selected.add(r);
            }
        }
        for (Map.Entry<String, String> e : ortF64Failures.entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("run", "headline/onnxruntime/forward " + e.getKey() + " float64");
            s.put("contestant", "onnxruntime");
            s.put("reason", "ONNX Runtime cannot run it: " + e.getValue());
            skipped.add(s);
        }

        double forkOverhead = Double.parseDouble(opts.getOrDefault("fork-overhead", "2.0"));
        double refGflops = Double.parseDouble(opts.getOrDefault("reference-gflops", "0.5"));
        double optGflops = Double.parseDouble(opts.getOrDefault("optimized-gflops", "25"));
        double predicted = 0;
        int configs = 0;
        for (SuitePlan.Run r : selected) {
            predicted += plan.estimateSeconds(r, forkOverhead, refGflops, optGflops);
            configs += r.configurations().size();
        }
        predicted += AccuracyCheck.estimateSeconds(plan, selected, refGflops);
        log.printf(Locale.ROOT, "rnnkit benchmark suite: %s mode, %d JMH runs, %d configurations, predicted %.1f min%n",
                quick ? "quick" : "full", selected.size(), configs, predicted / 60);
        if (opts.containsKey("plan")) {
            for (SuitePlan.Run r : selected) {
                log.printf(Locale.ROOT, "  %-9s %-12s %-17s %-44s %3d configs x %d forks  ~%6.0f s%n", r.group(),
                        r.contestant(), r.phase(), r.benchmark().getSimpleName() + "." + r.method(),
                        r.configurations().size(), r.forks(), plan.estimateSeconds(r, forkOverhead, refGflops, optGflops));
            }
            for (Map<String, Object> s : skipped) {
                log.println("  skipped: " + s.get("run") + ": " + s.get("reason"));
            }
            return;
        }

        Files.createDirectories(reports.resolve("benchmark"));
        Path work = reports.resolve("benchmark").resolve(".work");
        deleteRecursively(work);
        Files.createDirectories(work);

        Instant started = Instant.now();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", "mvn -Pbench verify" + (quick ? " -Dbench.quick=true" : "")
                + (include.equals(".*") ? "" : " -Dbench.include='" + include + "'"));
        run.put("javaCommand", withoutMachinePaths(ProcessHandle.current().info().commandLine().orElse("unknown")));
        run.put("mode", quick ? "quick" : "full");
        run.put("include", include);
        run.put("started", started.toString());
        run.put("machine", MachineInfo.collect());
        run.put("contestants", contestants);
        run.put("headlineShapes", plan.headlineShapes);
        run.put("referenceTargetShape", plan.referenceTargetShape);
        run.put("batchSweep", plan.batchSweep);
        run.put("timeSweep", plan.timeSweep);
        run.put("unitsSweep", plan.unitsSweep);
        run.put("predictedSeconds", predicted);
        // the interleaved measure's block, as its forks run it (the report states them from here)
        run.put("pairPauseMillis", pairPauseMillis);
        run.put("pairBlockCalls", LayerCallContestant.BLOCK_CALLS);
        run.put("skipped", skipped);
        List<Map<String, Object>> expected = new ArrayList<>();
        List<Map<String, Object>> jmhRuns = new ArrayList<>();
        run.put("expected", expected);
        run.put("jmhRuns", jmhRuns);
        String status = "complete";
        String failure = null;
        try {
            log.println("== checking that the contestants agree on the benchmarked calls");
            Map<String, Object> accuracy = AccuracyCheck.run(plan, selected, log);
            JSON.writeValue(work.resolve("accuracy.json").toFile(), accuracy);

            int k = 0;
            for (SuitePlan.Run r : selected) {
                k++;
                for (Map<String, String> cfg : r.configurations()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("benchmark", r.benchmarkName());
                    e.put("group", r.group());
                    e.put("contestant", r.contestant());
                    e.put("phase", r.phase());
                    e.put("params", cfg);
                    expected.add(e);
                }
                Path json = work.resolve(String.format(Locale.ROOT, "jmh-%03d.json", k));
                log.printf(Locale.ROOT, "== JMH run %d/%d: %s/%s/%s (%s, %d configurations)%n", k, selected.size(),
                        r.group(), r.contestant(), r.phase(), r.benchmark().getSimpleName() + "." + r.method(),
                        r.configurations().size());
                Instant t0 = Instant.now();
                Map<String, Object> jr = new LinkedHashMap<>();
                jr.put("group", r.group());
                jr.put("benchmark", r.benchmarkName());
                jr.put("configurations", r.configurations().size());
                try {
                    int results = runJmh(r, plan, json);
                    jr.put("results", results);
                } catch (RunnerException | RuntimeException ex) {
                    jr.put("error", Contestants.rootMessage(ex));
                    log.println("JMH run failed: " + Contestants.rootMessage(ex));
                }
                jr.put("seconds", Duration.between(t0, Instant.now()).toMillis() / 1000.0);
                jmhRuns.add(jr);
            }
        } catch (Exception | Error ex) {
            status = "failed";
            failure = Contestants.rootMessage(ex);
            ex.printStackTrace(log);
        }
        // merge the JMH JSON files into one array, keeping JMH's own text
        List<String> parts = new ArrayList<>();
        try (Stream<Path> s = Files.list(work)) {
            for (Path p : s.filter(f -> f.getFileName().toString().startsWith("jmh-")).sorted().toList()) {
                String t = Files.readString(p, StandardCharsets.UTF_8).trim();
                if (t.startsWith("[") && t.endsWith("]")) {
                    String inner = t.substring(1, t.length() - 1).trim();
                    if (!inner.isEmpty()) {
                        parts.add(inner);
                    }
                }
                Files.delete(p);
            }
        }
        Files.writeString(work.resolve("jmh-results.json"),
                withoutMachinePaths("[\n" + String.join(",\n", parts) + "\n]\n"), StandardCharsets.UTF_8);
        // JFR profiles of the prepared forward where it is slower than ONNX Runtime (a failure here only loses them)
        if (!status.equals("failed")) {
            try {
                JsonNode merged = JSON.readTree(work.resolve("jmh-results.json").toFile());
                List<Integer> threadCounts = cores > 1 ? List.of(cores, 1) : List.of(1);
                List<TargetProfiles.Case> missed = TargetProfiles.missedCases(merged, plan.headlineShapes,
                        threadCounts);
                JSON.writeValue(work.resolve("profiles.json").toFile(),
                        Map.of("periodMillis", TargetProfiles.PERIOD_MILLIS,
                                "profiles", TargetProfiles.profile(missed, quick, work, log)));
            } catch (Exception | Error ex) {
                run.put("profileFailure", Contestants.rootMessage(ex));
                log.println("JFR profiles failed: " + Contestants.rootMessage(ex));
            }
        }
        Instant finished = Instant.now();
        run.put("finished", finished.toString());
        run.put("elapsedSeconds", Duration.between(started, finished).toMillis() / 1000.0);
        run.put("loadAverageAtEnd", MachineInfo.loadAverage());
        if (!include.equals(".*") && status.equals("complete")) {
            status = "partial";
        }
        run.put("status", status);
        run.put("failure", failure);
        JSON.writeValue(work.resolve("run.json").toFile(), run);

        // publish: results first, then the report generated from them
        Path out = reports.resolve("benchmark");
        for (String f : List.of("jmh-results.json", "accuracy.json", "profiles.json", "run.json")) {
            Path src = work.resolve(f);
            if (Files.exists(src)) {
                Files.move(src, out.resolve(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(out.resolve(f));
            }
        }
        deleteRecursively(work);
        ReportGenerator.generate(reports);
        log.println("== wrote " + reports.resolve("benchmark.md") + " (status: " + status + ")");
        if (!status.equals("complete") && !status.equals("partial")) {
            System.exit(1);
        }
    }

    /** Runs one planned JMH run writing JSON; returns the number of results. */
    static int runJmh(SuitePlan.Run r, SuitePlan plan, Path json) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(r.benchmarkName()) + "$")
                .forks(r.forks())
                .warmupIterations(r.warmupIterations())
                .measurementIterations(r.measurementIterations())
                .threads(r.jmhThreads())
                .shouldFailOnError(false)
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        if (!r.singleShot()) {
            b = b.warmupTime(TimeValue.milliseconds(r.warmupMillis()))
                    .measurementTime(TimeValue.milliseconds(r.measurementMillis()));
        }
        List<String> jvm = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-Xss16m", "-Xmx3g",
                "-D" + KernelWarmup.PROPERTY + "=" + plan.kernelWarmupMillis));
        String pause = System.getProperty(LayerCallContestant.PAIR_PAUSE_PROPERTY);
        if (pause != null) {
            jvm.add("-D" + LayerCallContestant.PAIR_PAUSE_PROPERTY + "=" + pause);
        }
        b = b.jvmArgs(jvm.toArray(new String[0]));
        for (Map.Entry<String, List<String>> p : r.params().entrySet()) {
            b = b.param(p.getKey(), p.getValue().toArray(new String[0]));
        }
        java.util.Collection<RunResult> results = new Runner(b.build()).run();
        return results.size();
    }

    /** Why ONNX Runtime cannot run a cell in float64 (ORT 1.20 registers its RNN/LSTM/GRU kernels for float only), or null. */
    static String ortFloat64Failure(String cell) {
        try {
            Workload w = Workload.of(cell, "1x2x4x4");
            new OnnxRuntimeRnn(1).forward(w.call(DType.FLOAT64, 1));
            return null;
        } catch (RuntimeException e) {
            String m = Contestants.rootMessage(e);
            int i = m.indexOf("Status Message: ");
            return i >= 0 ? m.substring(i + 16) : m;
        }
    }

    /** A contestant's record in run.json: its class (all are on the suite's class path). */
    private static Map<String, Object> presence(String className) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", className);
        m.put("present", true);
        return m;
    }

    private static Map<String, Object> skip(SuitePlan.Run r, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", r.group() + "/" + r.contestant() + "/" + r.phase() + " " + r.params());
        m.put("contestant", r.contestant());
        m.put("params", r.params());
        m.put("reason", reason);
        return m;
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("argument '" + a + "' is not --name or --name=value");
            }
            int eq = a.indexOf('=');
            m.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        return m;
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /**
     * The committed run record names no path of the machine that made it: the JVM executable becomes {@code java},
     * a class path becomes the file names of its entries, and other absolute paths keep only their last element.
     */
    static String withoutMachinePaths(String text) {
        String s = text.replaceAll("\"jvm\" : \"[^\"]*/bin/java\"", "\"jvm\" : \"java\"");
        s = s.replaceAll("(^|[\\s\"])/[^\\s\"]*/bin/java(?=\\s|$)", "$1java");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(?:classpath|cp) (\\S+)").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> names = new ArrayList<>();
            for (String entry : m.group(1).split(":")) {
                names.add(entry.substring(entry.lastIndexOf('/') + 1));
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement("-classpath " + String.join(":", names)));
        }
        m.appendTail(out);
        return out.toString().replaceAll("=/[^\\s\"]*/([^/\\s\"]+)", "=$1");
    }
}
