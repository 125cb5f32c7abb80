package rnnkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report generator on hand-made JMH JSON: expected numbers are worked out by hand from the work formula
 * (Workload), never by the generator.
 */
class ReportGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HEADLINE = List.of("64x50x256x256", "32x100x512x512", "1x100x512x512");

    @TempDir
    Path reports;

    private static Map<String, Object> jmh(String benchmark, String cell, String shape, String dtype, String threads,
                                           double msPerOp, double allocBytes) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("cell", cell);
        params.put("shape", shape);
        if (dtype != null) {
            params.put("dtype", dtype);
            params.put("threads", threads);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "rnnkit.bench." + benchmark);
        r.put("mode", "avgt");
        r.put("threads", 1);
        r.put("forks", 2);
        r.put("params", params);
        r.put("primaryMetric", Map.of("score", msPerOp, "scoreError", 0.5, "scoreUnit", "ms/op"));
        r.put("secondaryMetrics", Map.of("gc.alloc.rate.norm", Map.of("score", allocBytes, "scoreUnit", "B/op")));
        return r;
    }

    /**
     * A pairedForward result whose secondary metrics hold, per fork, the summed nanoseconds of each measured
     * iteration (JMH's rawData layout for @AuxCounters).
     */
    private static Map<String, Object> paired(String cell, String shape, String threads, double[][] preparedNanos,
                                              double[][] onnxRuntimeNanos) {
        Map<String, Object> r = jmh("HeadlineBenchmark.pairedForward", cell, shape, "float32", threads, 99, 0);
        Map<String, Object> secondary = new LinkedHashMap<>();
        secondary.put("gc.alloc.rate.norm", Map.of("score", 0, "scoreUnit", "B/op"));
        secondary.put("preparedNanos", Map.of("score", 1, "scoreUnit", "#", "rawData", preparedNanos));
        secondary.put("onnxRuntimeNanos", Map.of("score", 1, "scoreUnit", "#", "rawData", onnxRuntimeNanos));
        r.put("secondaryMetrics", secondary);
        return r;
    }

    private static Map<String, Object> expected(String benchmark, String contestant, String phase, String cell,
                                                String shape, String dtype, String threads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("cell", cell);
        p.put("shape", shape);
        if (dtype != null) {
            p.put("dtype", dtype);
            p.put("threads", threads);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("benchmark", "rnnkit.bench." + benchmark);
        e.put("group", "headline");
        e.put("contestant", contestant);
        e.put("phase", phase);
        e.put("params", p);
        return e;
    }

    private Map<String, Object> run(String status, boolean optimizedPresent, List<Map<String, Object>> expected) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", "mvn -Pbench verify");
        run.put("mode", "full");
        run.put("started", "2026-11-23T21:00:00Z");
        run.put("finished", "2026-11-23T21:40:00Z");
        run.put("elapsedSeconds", 2400.0);
        run.put("status", status);
        run.put("failure", status.equals("failed") ? "OutOfMemoryError: Java heap space" : null);
        run.put("machine", Map.of("cores", 2, "cpuModel", "Test CPU", "vectorExtensions", "avx2 fma",
                "floatLanes", 16, "memory", "24 GiB", "jdk", "JDK 17", "os", "Linux", "loadAverage", "0.1 0.1 0.1"));
        run.put("loadAverageAtEnd", "2.0 2.0 2.0");
        Map<String, Object> contestants = new LinkedHashMap<>();
        contestants.put("reference", Map.of("class", "rnnkit.reference.ReferenceRnn", "present", true));
        contestants.put("optimized", Map.of("class", "rnnkit.optimized.OptimizedRnn", "present", optimizedPresent));
        contestants.put("onnxruntime", Map.of("class", "rnnkit.peers.onnx.OnnxRuntimeRnn", "present", true));
        contestants.put("prepared", Map.of("class", "rnnkit.optimized.OptimizedRnn.prepare", "present", true));
        contestants.put("paired", Map.of("class", "prepared and onnxruntime", "present", true));
        contestants.put("gemm", Map.of("class", "G", "present", true, "kernel", "vector-blocked"));
        run.put("contestants", contestants);
        run.put("headlineShapes", HEADLINE);
        run.put("referenceTargetShape", "32x100x512x512");
        run.put("batchSweep", List.of("64x50x256x256"));
        run.put("timeSweep", List.of("64x50x256x256", "64x100x256x256"));
        run.put("unitsSweep", List.of("64x50x256x256"));
        run.put("skipped", List.of());
        run.put("pairPauseMillis", 250);
        run.put("pairBlockCalls", 3);
        run.put("expected", expected);
        run.put("jmhRuns", List.of());
        return run;
    }

    private String generate(Map<String, Object> run, List<Map<String, Object>> results) throws IOException {
        return generate(run, results, null);
    }

    private String generate(Map<String, Object> run, List<Map<String, Object>> results, Map<String, Object> profiles)
            throws IOException {
        Path dir = Files.createDirectories(reports.resolve("benchmark"));
        if (profiles != null) {
            JSON.writeValue(dir.resolve("profiles.json").toFile(), profiles);
        } else {
            Files.deleteIfExists(dir.resolve("profiles.json"));
        }
        JSON.writeValue(dir.resolve("run.json").toFile(), run);
        JSON.writeValue(dir.resolve("jmh-results.json").toFile(), results);
        JSON.writeValue(dir.resolve("accuracy.json").toFile(), Map.of("float32Tolerance", 1e-3,
                "float64Tolerance", 1e-9, "comparisons", List.of(Map.of("cell", "lstm", "shape", "64x50x256x256",
                        "dtype", "float32", "subject", "onnxruntime", "against", "reference", "maxAbsError", 2.5e-6,
                        "tolerance", 1e-3, "equal", true)), "notes", List.of()));
        ReportGenerator.generate(reports);
        return Files.readString(reports.resolve("benchmark.md"));
    }

    @Test
    void headlineRatiosGflopsAndTargetStatusComeFromTheJmhNumbers() throws IOException {
        String s = "64x50x256x256";
        List<Map<String, Object>> results = new ArrayList<>();
        results.add(jmh("HeadlineBenchmark.optimizedForward", "lstm", s, "float32", "2", 10, 0));
        results.add(jmh("HeadlineBenchmark.optimizedForward", "lstm", s, "float32", "1", 17, 0));
        results.add(jmh("HeadlineBenchmark.optimizedForwardBackward", "lstm", s, "float32", "2", 40, 0));
        results.add(jmh("HeadlineBenchmark.onnxRuntimeForward", "lstm", s, "float32", "2", 4, 0));
        results.add(jmh("HeadlineBenchmark.onnxRuntimeForward", "lstm", s, "float32", "1", 6, 0));
        results.add(jmh("HeadlineBenchmark.preparedForward", "lstm", s, "float32", "2", 8, 0));
        results.add(jmh("HeadlineBenchmark.preparedForward", "lstm", s, "float32", "1", 15, 0));
        results.add(jmh("HeadlineBenchmark.referenceForward", "lstm", s, null, null, 1000, 0));
        // the FMA peak on 2 JMH threads: 2·24 chains·16 lanes·4096 iterations = 3 145 728 FLOP per call and thread
        Map<String, Object> fma = jmh("FmaPeakBenchmark.fma", null, null, null, null, 0.00625, 0);
        fma.put("threads", 2);
        fma.put("params", Map.of("threads", "2"));
        results.add(fma);
        List<Map<String, Object>> expected = new ArrayList<>();
        expected.add(expected("HeadlineBenchmark.optimizedForward", "optimized", "forward", "lstm", s, "float32", "2"));
        expected.add(expected("HeadlineBenchmark.optimizedForward", "optimized", "forward", "gru", s, "float32", "2"));
        String md = generate(run("complete", true, expected), results);
        // prepared 8 ms, unprepared 10 ms, ORT 4 ms: 0.50× and 0.40×; on 1 thread ORT 6 ms, prepared 15 ms, unprepared
        // 17 ms: 0.40× and 0.35×; reference 1000 ms → 100×; 2·64·50·512·4·256 = 3 355 443 200 FLOP, fwd+bwd 3× the work
        // in 40 ms = 251.7 GFLOP/s = 75% of the forward's 335.5; 17 ms on 1 thread → 1.70×; prepared 419.4 GFLOP/s of
        // the FMA peak 2·3 145 728 FLOP in 0.00625 ms = 1006.6 GFLOP/s → 42%
        // no paired result: the interleaved columns are empty, not filled from the separate forks
        assertThat(md).contains("| (64, 50, 256, 256) | lstm | 8.00 | 10.0 | 4.00 | 0.50× | — | 0.40× | 0.40× | — "
                + "| 0.35× | 100× | 75% | 1.70× | 42% |");
        assertThat(md).containsPattern("prepared float32 forward ≥ ONNX Runtime, 2 threads \\| [^\\n]*"
                + "\\*\\*missed by 50%\\*\\*");
        assertThat(md).containsPattern("prepared float32 forward ≥ ONNX Runtime, 1 thread \\| [^\\n]*"
                + "\\*\\*missed by 60%\\*\\*");
        assertThat(md).containsPattern("unprepared float32 forward ≥ ONNX Runtime on the batched shapes, 2 threads "
                + "\\| [^\\n]*\\*\\*missed by 60%\\*\\*");
        assertThat(md).contains("16 lanes): 1007 GFLOP/s on 2 threads");
        assertThat(md).containsPattern("forward\\+backward ≥ ½ forward GFLOP/s \\|[^\\n]*\\| met on the 1 measured");
        assertThat(md).contains("2.50e-06");
        // planned but no result: said, not silently empty
        assertThat(md).contains("## Missing results").contains("optimized forward {cell=gru");
        assertThat(md).doesNotContain("THIS RUN FAILED");
        assertThat(md.substring(0, md.indexOf("## Headline"))).contains("**Incomplete**: 1 of 2 planned configurations");
        assertThat(reports.resolve("benchmark.md.tmp")).doesNotExist();
        assertThat(reports.resolve("benchmark/charts/headline-" + s + ".png")).isNotEmptyFile();
        assertThat(reports.resolve("benchmark/charts/growth-time-gflops.png")).isNotEmptyFile();
    }

    @Test
    void aFailedRunAndAnAbsentContestantAreStatedAtTheTop() throws IOException {
        String md = generate(run("failed", false, List.of()), List.of());
        String top = md.substring(0, md.indexOf("## Headline"));
        assertThat(top).contains("THIS RUN FAILED").contains("OutOfMemoryError");
        assertThat(top).contains("**optimized** (`rnnkit.optimized.OptimizedRnn`) was not on the class path");
        assertThat(top).contains("**reference** was on the class path but produced no results");
        assertThat(md).containsPattern("optimized ≥ 50× reference on \\(32, 100, 512, 512\\)[^\\n]*\\*\\*not measured\\*\\*");
    }

    @Test
    void allocationPerStepIsTheSlopeBeyondTheOutputs() throws IOException {
        // outputs of forward LSTM (64,T,256,256): (64·T·256 + 2·64·256) doubles; add 1000 B + 4096 B per step
        List<Map<String, Object>> results = new ArrayList<>();
        for (int t : new int[] {50, 100}) {
            double outputs = 8.0 * (64 * t * 256 + 2 * 64 * 256);
            results.add(jmh("HeadlineBenchmark.optimizedForward", "lstm", "64x" + t + "x256x256", "float32", "2", 10,
                    outputs + 1000 + 4096.0 * t));
        }
        String md = generate(run("complete", true, List.of()), results);
        assertThat(md).contains("grows by 4.0 KiB per extra time step (forward)");
        assertThat(md).containsPattern("no allocation per time step[^\\n]*4.0 KiB \\(forward\\)[^\\n]*\\*\\*missed\\*\\*");
    }

    @Test
    void batchOneTimePerStepAndTheProfilesOfMissedTargetsAreReported() throws IOException {
        String s = "1x100x512x512";
        List<Map<String, Object>> results = new ArrayList<>();
        results.add(jmh("HeadlineBenchmark.preparedForward", "lstm", s, "float32", "2", 5, 0));
        results.add(jmh("HeadlineBenchmark.preparedForward", "lstm", s, "float32", "1", 8, 0));
        results.add(jmh("HeadlineBenchmark.optimizedForward", "lstm", s, "float32", "2", 9, 0));
        results.add(jmh("HeadlineBenchmark.optimizedForward", "lstm", s, "float32", "1", 12, 0));
        results.add(jmh("HeadlineBenchmark.onnxRuntimeForward", "lstm", s, "float32", "2", 4, 0));
        results.add(jmh("HeadlineBenchmark.onnxRuntimeForward", "lstm", s, "float32", "1", 6, 0));
        List<Map<String, Object>> expected = List.of(
                expected("HeadlineBenchmark.preparedForward", "prepared", "forward", "lstm", s, "float32", "2"));
        Map<String, Object> phases = new LinkedHashMap<>();
        for (String phase : TargetProfiles.PHASES) {
            phases.put(phase, 0.0);
        }
        phases.put("recurrent product", 0.6);
        phases.put("waiting for threads", 0.25);
        phases.put("other", 0.15);
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("cell", "lstm");
        profile.put("shape", s);
        profile.put("threads", 2);
        profile.put("preparedMs", 5.0);
        profile.put("onnxRuntimeMs", 4.0);
        profile.put("msPerCallWhileProfiled", 5.5);
        profile.put("samples", 800);
        profile.put("phases", phases);
        profile.put("topFrames", List.of(Map.of("frame", "FloatVectorPanelKernel.tile8x2", "share", 0.5),
                Map.of("frame", "ParallelRunner.awaitWorkers", "share", 0.25)));
        String md = generate(run("complete", true, expected), results,
                Map.of("periodMillis", 10, "profiles", List.of(profile)));
        // 5 ms / 100 steps = 50 µs per step; ORT 4 ms → 40 µs, 0.80×; unprepared 90 µs; 1 thread 80 / 120 / 60, 0.75×
        assertThat(md).contains("| (1, 100, 512, 512) | lstm | 50.0 | 90.0 | 40.0 | 0.80× | 80.0 | 120 | 60.0 | 0.75× |");
        assertThat(md).contains("## Profiles of the missed ONNX Runtime targets (JFR)");
        assertThat(md).contains("| lstm (1, 100, 512, 512), 2 threads | 0.80× (misses by 20%) | 5.50 | 800 | 60% | 0% "
                + "| 0% | 0% | 25% | 0% | 15% | `FloatVectorPanelKernel.tile8x2` 50%, `ParallelRunner.awaitWorkers` 25% |");
        assertThat(md).contains("see \"Profiles of the missed ONNX Runtime targets\"");

        // a run without profiles says so; an empty list says there was nothing to profile
        assertThat(generate(run("complete", true, expected), results)).doesNotContain("## Profiles of the missed")
                .contains("This run made no profiles");
        assertThat(generate(run("complete", true, expected), results, Map.of("periodMillis", 10, "profiles", List.of())))
                .contains("nothing to profile");
    }

    @Test
    void theInterleavedRatioIsTheMedianOverEveryIterationOfEveryForkAndFeedsItsTargets() throws IOException {
        String s = "64x50x256x256";
        List<Map<String, Object>> results = new ArrayList<>();
        // separate forks: prepared 8 ms, ORT 4 ms (0.50×) on 2 threads; 15 and 6 ms (0.40×) on 1
        results.add(jmh("HeadlineBenchmark.preparedForward", "lstm", s, "float32", "2", 8, 0));
        results.add(jmh("HeadlineBenchmark.onnxRuntimeForward", "lstm", s, "float32", "2", 4, 0));
        results.add(jmh("HeadlineBenchmark.preparedForward", "lstm", s, "float32", "1", 15, 0));
        results.add(jmh("HeadlineBenchmark.onnxRuntimeForward", "lstm", s, "float32", "1", 6, 0));
        results.add(jmh("HeadlineBenchmark.preparedForward", "simple_rnn", s, "float32", "2", 5, 0));
        results.add(jmh("HeadlineBenchmark.onnxRuntimeForward", "simple_rnn", s, "float32", "2", 4, 0));
        // lstm, 2 threads: ratios 0.6 0.5 0.7 | 0.9 0.8 0.4 → median of six (0.6 + 0.7) / 2 = 0.65, 0.40–0.90
        results.add(paired("lstm", s, "2", new double[][] {{10, 10, 10}, {10, 10, 10}},
                new double[][] {{6, 5, 7}, {9, 8, 4}}));
        // lstm, 1 thread: 30/20 36/20 | 32/20 34/20 = 1.5 1.8 | 1.6 1.7 → 1.65, 1.50–1.80
        results.add(paired("lstm", s, "1", new double[][] {{20, 20}, {20, 20}}, new double[][] {{30, 36}, {32, 34}}));
        // gru: 2 threads 1.2 1.1 | 1.3 1.4 → 1.25; 1 thread one fork, one iteration: 9/10 = 0.90
        results.add(paired("gru", s, "2", new double[][] {{10, 10}, {10, 10}}, new double[][] {{12, 11}, {13, 14}}));
        results.add(paired("gru", s, "1", new double[][] {{10}}, new double[][] {{9}}));
        // gru_reset_before: a paired result without the counters
        results.add(jmh("HeadlineBenchmark.pairedForward", "gru_reset_before", s, "float32", "2", 99, 0));
        List<Map<String, Object>> expected = new ArrayList<>();
        for (String[] c : new String[][] {{"lstm", "2"}, {"lstm", "1"}, {"gru", "2"}, {"gru", "1"},
                                          {"simple_rnn", "2"}, {"gru_reset_before", "2"}}) {
            expected.add(expected("HeadlineBenchmark.pairedForward", "paired", "forward", c[0], s, "float32", c[1]));
        }
        String md = generate(run("complete", true, expected), results);

        assertThat(md).contains("| (64, 50, 256, 256) | lstm | 8.00 | — | 4.00 | 0.50× | 0.65× (0.40–0.90) | — "
                + "| 0.40× | 1.65× (1.50–1.80) | — |");
        assertThat(md).contains("| (64, 50, 256, 256) | gru | — | — | — | — | 1.25× (1.10–1.40) | — | — "
                + "| 0.90× (0.90–0.90) | — |");
        // no paired result, or one without its counters: missing, never the separate-fork ratio
        assertThat(md).contains("| (64, 50, 256, 256) | simple_rnn | 5.00 | — | 4.00 | 0.80× | — | — | — | — | — |");
        assertThat(md).contains("| (64, 50, 256, 256) | gru_reset_before | — | — | — | — | — | — | — | — | — |");
        assertThat(md).contains("- paired forward {cell=simple_rnn, shape=64x50x256x256, dtype=float32, threads=2}: "
                + "planned and run, but JMH returned no result");
        assertThat(md).contains("- paired forward {cell=gru_reset_before, shape=64x50x256x256, dtype=float32, "
                + "threads=2}: JMH returned a result without usable per-iteration times");
        assertThat(md.substring(0, md.indexOf("## Headline"))).contains("**Incomplete**: 2 of 6 planned configurations");

        // targets from the medians: worst case, and how many of the measured cases meet the goal
        assertThat(md).containsPattern("\\| prepared float32 forward ≥ ONNX Runtime, interleaved, 2 threads \\| [^|\\n]* "
                + "\\| 0\\.65 \\(lstm \\(64, 50, 256, 256\\)\\) \\| \\*\\*missed by 35%\\*\\* \\(worst case; 1 of 2 cases "
                + "meet it\\) \\|");
        assertThat(md).containsPattern("\\| prepared float32 forward ≥ ONNX Runtime, interleaved, 1 thread \\| [^|\\n]* "
                + "\\| 0\\.90 \\(gru \\(64, 50, 256, 256\\)\\) \\| \\*\\*missed by 10%\\*\\* \\(worst case; 1 of 2 cases "
                + "meet it\\) \\|");
        assertThat(md).containsPattern("\\| moonshot, interleaved: prepared ≥ 1\\.5× ONNX Runtime on the batched shapes, 2 "
                + "threads \\| [^|\\n]* \\| 0\\.65 \\(lstm \\(64, 50, 256, 256\\)\\) \\| \\*\\*missed by 57%\\*\\* "
                + "\\(worst case; 0 of 2 cases meet it\\) \\|");
        // the separate-fork rows stay, from the separate forks (lstm 0.50× on 2 threads, simple_rnn 0.80×)
        assertThat(md).containsPattern("\\| prepared float32 forward ≥ ONNX Runtime, 2 threads \\| [^|\\n]* \\| 0\\.50 "
                + "\\(lstm \\(64, 50, 256, 256\\)\\) \\| \\*\\*missed by 50%\\*\\* \\(worst case; 0 of 2 cases meet it\\) \\|");
        assertThat(md).contains("**interleaved** runs the prepared layer and ONNX Runtime in one JVM");
        // the block as the run recorded it, not as the regenerating JVM's constants say
        assertThat(md).contains("each block an untimed 250 ms pause").contains("warm-in call and 3 timed calls")
                .contains("goes first: an untimed 250 ms pause (ONNX").contains("then 3 calls back to back");
        Map<String, Object> unrecorded = run("partial", true, expected);
        unrecorded.remove("pairPauseMillis");
        unrecorded.remove("pairBlockCalls");
        assertThat(generate(unrecorded, results))
                .contains("each block an untimed pause (its length is not in run.json)")
                .contains("warm-in call and an unrecorded number of timed calls");

        // profiles are chosen from the separate forks: a run with only paired results says nothing was profiled
        List<Map<String, Object>> pairedOnly = results.stream()
                .filter(r -> r.get("benchmark").toString().endsWith(".pairedForward")).toList();
        assertThat(generate(run("partial", true, expected), pairedOnly, Map.of("periodMillis", 10, "profiles", List.of())))
                .contains("Nothing was profiled").doesNotContain("nothing to profile");
    }

    @Test
    void aPairedResultWithoutBothCountersOrWithMisalignedForksHasNoInterleavedRatio() throws IOException {
        ObjectMapper m = JSON;
        assertThat(ReportGenerator.interleavedRatios(m.readTree("{}"))).isEmpty();
        assertThat(ReportGenerator.interleavedRatios(m.readTree(
                "{\"preparedNanos\": {\"rawData\": [[10, 10]]}}"))).isEmpty();
        assertThat(ReportGenerator.interleavedRatios(m.readTree(
                "{\"preparedNanos\": {\"rawData\": [[10, 10], [10]]}, "
                        + "\"onnxRuntimeNanos\": {\"rawData\": [[5, 5], [5, 5]]}}"))).isEmpty();
        assertThat(ReportGenerator.interleavedRatios(m.readTree(
                "{\"preparedNanos\": {\"rawData\": [[0]]}, \"onnxRuntimeNanos\": {\"rawData\": [[5]]}}"))).isEmpty();
        assertThat(ReportGenerator.interleavedRatios(m.readTree(
                "{\"preparedNanos\": {\"rawData\": [[10, 20]]}, \"onnxRuntimeNanos\": {\"rawData\": [[5, 30]]}}"))
                .orElseThrow().ratios()).containsExactly(0.5, 1.5);
    }
}
