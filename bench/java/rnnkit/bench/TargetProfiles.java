package rnnkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import rnnkit.model.DType;

/**
 * Why the prepared float32 forward misses ONNX Runtime, where it does: after the JMH runs, the worst headline cell
 * of every shape and thread count whose prepared forward is slower than ONNX Runtime's (same run) is profiled with
 * Java Flight Recorder (execution samples every {@value #PERIOD_MILLIS} ms of the prepared layer's calls, in the
 * suite's JVM, after a warm-up) and the samples are summarised as the share of each part of a forward call
 * ({@link #phaseOf}) and the top frames. ONNX Runtime itself is native code: JFR does not see inside it.
 */
final class TargetProfiles {
    static final int PERIOD_MILLIS = 10;

    /** The parts of a forward call a sample is counted in, in the order {@link #phaseOf} tries them. */
    static final List<String> PHASES = List.of("recurrent product", "input projection", "epilogue",
            "operand packing", "waiting for threads", "conversion and copies", "other");

    private TargetProfiles() {
    }

    /** One case to profile: the prepared forward on {@code threads} threads was {@code ratio} × ONNX Runtime's speed. */
    record Case(String cell, String shape, int threads, double preparedMs, double ortMs) {
        double ratio() {
            return ortMs / preparedMs;
        }
    }

    /**
     * The cases to profile from the merged JMH results: per headline shape and thread count, the cell whose
     * prepared float32 forward has the lowest ONNX Runtime time ÷ prepared time, if that is below 1.
     */
    static List<Case> missedCases(JsonNode jmhResults, List<String> headlineShapes, List<Integer> threadCounts) {
        List<Case> cases = new ArrayList<>();
        for (int threads : threadCounts) {
            for (String shape : headlineShapes) {
                Case worst = null;
                for (String cell : SuitePlan.CELLS) {
                    double p = score(jmhResults, "HeadlineBenchmark.preparedForward", cell, shape, threads);
                    double o = score(jmhResults, "HeadlineBenchmark.onnxRuntimeForward", cell, shape, threads);
                    if (Double.isNaN(p) || Double.isNaN(o)) {
                        continue;
                    }
                    Case c = new Case(cell, shape, threads, p, o);
                    if (c.ratio() < 1 && (worst == null || c.ratio() < worst.ratio())) {
                        worst = c;
                    }
                }
                if (worst != null) {
                    cases.add(worst);
                }
            }
        }
        return cases;
    }

    private static double score(JsonNode results, String benchmark, String cell, String shape, int threads) {
        for (JsonNode r : results) {
            JsonNode p = r.path("params");
            if (r.path("benchmark").asText().endsWith("." + benchmark) && p.path("cell").asText().equals(cell)
                    && p.path("shape").asText().equals(shape) && p.path("dtype").asText().equals("float32")
                    && p.path("threads").asText().equals(String.valueOf(threads))) {
                JsonNode s = r.path("primaryMetric").path("score");
                return s.isNumber() ? s.doubleValue() : Double.NaN;
            }
        }
        return Double.NaN;
    }

    /**
     * The part of a forward call a sample belongs to, from its stack (frames as {@code Class.method}, simple class
     * names with their nesting, the sampled frame first).
     */
    static String phaseOf(List<String> frames) {
        if (frames.isEmpty()) {
            return "other";
        }
        String top = frames.get(0);
        if (top.startsWith("ParallelRunner") || top.equals("Thread.onSpinWait")) {
            return "waiting for threads";
        }
        for (String f : frames) {
            if (f.endsWith(".epilogue")) {
                return "epilogue";
            }
            if (f.endsWith(".packA") || f.endsWith(".maskOperands")) {
                return "operand packing";
            }
            if (f.endsWith("$Lane.product")) {
                return "recurrent product";
            }
            if (f.endsWith(".projectInputs") || f.endsWith(".packedKernel")) {
                return "input projection";
            }
        }
        for (String f : frames) {
            if (f.startsWith("FloatPrecision") || f.startsWith("DoublePrecision") || f.startsWith("Tensor")
                    || f.endsWith(".lastStep") || f.startsWith("System.arraycopy") || f.startsWith("Arrays.copyOf")) {
                return "conversion and copies";
            }
        }
        return "other";
    }

    /** Profiles every case; returns one JSON-ready map per case. */
    static List<Map<String, Object>> profile(List<Case> cases, boolean quick, Path scratch, PrintStream log)
            throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        double seconds = quick ? 2 : 8;
        for (Case c : cases) {
            log.printf(Locale.ROOT, "== JFR profile: prepared %s %s float32 forward on %d thread%s (%.2f× ONNX Runtime)%n",
                    c.cell(), c.shape(), c.threads(), c.threads() == 1 ? "" : "s", c.ratio());
            out.add(profileOne(c, seconds, scratch));
        }
        return out;
    }

    private static Map<String, Object> profileOne(Case c, double seconds, Path scratch) throws IOException {
        Path file = scratch.resolve(String.format(Locale.ROOT, "profile-%s-%s-%d.jfr", c.cell(), c.shape(), c.threads()));
        long calls = 0;
        double elapsed;
        try (LayerCallContestant contestant = new LayerCallContestant(LayerCallMethod.PREPARED_FORWARD,
                Workload.of(c.cell(), c.shape()), DType.FLOAT32, c.threads());
             Recording recording = new Recording()) {
            long warm = System.nanoTime() + (long) (seconds / 4 * 1e9);
            while (System.nanoTime() < warm) {
                contestant.forward();
            }
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(PERIOD_MILLIS));
            recording.start();
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                contestant.forward();
                calls++;
            }
            elapsed = (System.nanoTime() - t0) / 1e9;
            recording.stop();
            recording.dump(file);
        }
        Map<String, Integer> phases = new LinkedHashMap<>();
        PHASES.forEach(p -> phases.put(p, 0));
        Map<String, Integer> top = new LinkedHashMap<>();
        Map<String, Integer> threads = new LinkedHashMap<>();
        int samples = 0;
        try {
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                RecordedThread t = e.getThread("sampledThread");
                String thread = t == null || t.getJavaName() == null ? "?" : t.getJavaName();
                if (st == null || !rnnkitCode(st)) {
                    continue; // JMH-free here, but the JVM's own threads (compiler, GC) are not the call's work
                }
                List<String> frames = new ArrayList<>();
                for (RecordedFrame f : st.getFrames()) {
                    frames.add(frameName(f));
                }
                samples++;
                phases.merge(phaseOf(frames), 1, Integer::sum);
                top.merge(frames.get(0), 1, Integer::sum);
                threads.merge(thread.startsWith("rnnkit-parallel-") ? "worker" : "caller", 1, Integer::sum);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cell", c.cell());
        m.put("shape", c.shape());
        m.put("threads", c.threads());
        m.put("preparedMs", c.preparedMs());
        m.put("onnxRuntimeMs", c.ortMs());
        m.put("calls", calls);
        m.put("msPerCallWhileProfiled", calls == 0 ? Double.NaN : elapsed * 1000 / calls);
        m.put("samples", samples);
        Map<String, Double> phaseShare = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : phases.entrySet()) {
            phaseShare.put(e.getKey(), samples == 0 ? 0 : e.getValue() / (double) samples);
        }
        m.put("phases", phaseShare);
        List<Map<String, Object>> frames = new ArrayList<>();
        final int n = samples;
        top.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(8).forEach(e -> frames.add(Map.of("frame", e.getKey(), "share", e.getValue() / (double) n)));
        m.put("topFrames", frames);
        m.put("samplesByThread", threads);
        return m;
    }

    private static boolean rnnkitCode(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            if (f.getMethod() != null && f.getMethod().getType().getName().startsWith("rnnkit.")) {
                return true;
            }
        }
        return false;
    }

    /** {@code SimpleClass.method} (nested classes keep their {@code Outer$Inner} form). */
    private static String frameName(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        String type = f.getMethod().getType().getName();
        String simple = type.substring(type.lastIndexOf('.') + 1);
        return simple + "." + f.getMethod().getName();
    }
}
