package rnnkit.bench;

import static rnnkit.bench.LayerCallMethod.ONNX_RUNTIME_FORWARD;
import static rnnkit.bench.LayerCallMethod.OPTIMIZED_FORWARD;
import static rnnkit.bench.LayerCallMethod.OPTIMIZED_FORWARD_BACKWARD;
import static rnnkit.bench.LayerCallMethod.PAIRED_FORWARD;
import static rnnkit.bench.LayerCallMethod.PREPARED_FORWARD;
import static rnnkit.bench.LayerCallMethod.REFERENCE_FORWARD;
import static rnnkit.bench.LayerCallMethod.REFERENCE_FORWARD_BACKWARD;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the suite measures, in quick (smoke test) or full mode: groups of JMH runs, each one benchmark class over a
 * cross product of parameters with its own forks and iterations. Shared with the report generator, which uses the
 * same shape lists to find the headline shapes and the sweeps.
 */
public final class SuitePlan {

    /**
     * One JMH invocation: one benchmark method of an experiment class over the cross product of {@code params}; the
     * contestant and phase it measures are the method's ({@link LayerCallMethod}; {@code gemm} for the roofline).
     */
    public record Run(String group, Class<?> benchmark, String method, String contestant, String phase,
                      Map<String, List<String>> params, int forks, int warmupIterations, int warmupMillis,
                      int measurementIterations, int measurementMillis, int jmhThreads) {

        /** A run of one layer-call method of {@code benchmark}. */
        static Run layerCall(String group, Class<? extends LayerCallBenchmark> benchmark, LayerCallMethod method,
                             Map<String, List<String>> params, int forks, int warmupIterations, int warmupMillis,
                             int measurementIterations, int measurementMillis) {
            return new Run(group, benchmark, method.method(), method.contestant(), method.phase(), params, forks,
                    warmupIterations, warmupMillis, measurementIterations, measurementMillis, 1);
        }

        /** Every parameter combination of this run. */
        public List<Map<String, String>> configurations() {
            List<Map<String, String>> out = new ArrayList<>();
            out.add(new LinkedHashMap<>());
            for (Map.Entry<String, List<String>> e : params.entrySet()) {
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> partial : out) {
                    for (String v : e.getValue()) {
                        Map<String, String> m = new LinkedHashMap<>(partial);
                        m.put(e.getKey(), v);
                        next.add(m);
                    }
                }
                out = next;
            }
            return out;
        }

        /** The JMH benchmark name, {@code package.Class.method}. */
        public String benchmarkName() {
            return benchmark.getName() + "." + method;
        }

        public boolean singleShot() {
            return contestant.equals("reference");
        }
    }

    public static final List<String> CELLS = List.of("simple_rnn", "lstm", "gru", "gru_reset_before");

    public final boolean quick;
    public final int cores;
    /** The three headline shapes (quick mode: small stand-ins). */
    public final List<String> headlineShapes;
    /** The shape of the "optimized ≥ 50× the reference" target. */
    public final String referenceTargetShape;
    public final List<String> batchSweep;
    public final List<String> timeSweep;
    public final List<String> unitsSweep;
    /** DeepBench-style shapes: cell label → shapes. */
    public final Map<String, List<String>> deepBenchInference;
    public final Map<String, List<String>> deepBenchTraining;
    public final List<Integer> gemmSizes;
    public final int kernelWarmupMillis;
    private final List<Run> runs = new ArrayList<>();

    public SuitePlan(boolean quick, int cores, List<String> ortFloat64Cells) {
        this.quick = quick;
        this.cores = cores;
        List<String> threadsBoth = cores > 1 ? List.of("1", String.valueOf(cores)) : List.of("1");
        List<String> threadsAll = List.of(String.valueOf(cores));
        if (quick) {
            headlineShapes = List.of("8x10x32x32", "4x20x64x64", "1x20x64x64");
            referenceTargetShape = "4x20x64x64";
            batchSweep = List.of("1x10x32x32", "4x10x32x32", "8x10x32x32");
            timeSweep = List.of("8x5x32x32", "8x10x32x32", "8x20x32x32");
            unitsSweep = List.of("8x10x16x16", "8x10x32x32", "8x10x64x64");
            deepBenchInference = Map.of("simple_rnn", List.of("1x40x32x32"), "lstm", List.of("1x30x64x64"));
            deepBenchTraining = Map.of("lstm", List.of("8x5x64x64"));
            gemmSizes = List.of(128, 256);
            kernelWarmupMillis = 100;
        } else {
            headlineShapes = List.of("64x50x256x256", "32x100x512x512", "1x100x512x512");
            referenceTargetShape = "32x100x512x512";
            batchSweep = List.of("1x50x256x256", "8x50x256x256", "32x50x256x256",
                    "64x50x256x256", "128x50x256x256", "256x50x256x256");
            timeSweep = List.of("64x10x256x256", "64x25x256x256", "64x50x256x256", "64x100x256x256",
                    "64x200x256x256");
            unitsSweep = List.of("64x50x64x64", "64x50x128x128", "64x50x256x256", "64x50x512x512",
                    "64x50x1024x1024");
            // DeepBench tuples are (hidden, batch, time steps); input features = hidden. Shape here is BxTxDxH.
            Map<String, List<String>> inf = new LinkedHashMap<>();
            inf.put("simple_rnn", List.of("1x672x32x32", "1x96x64x64"));
            inf.put("lstm", List.of("1x150x256x256"));
            deepBenchInference = inf;
            Map<String, List<String>> tr = new LinkedHashMap<>();
            tr.put("lstm", List.of("16x25x512x512", "32x25x512x512", "64x25x512x512",
                    "32x100x32x64", "32x100x64x128"));
            tr.put("gru", List.of("32x25x512x512", "32x25x1024x1024", "32x100x32x64", "32x100x64x128"));
            deepBenchTraining = tr;
            gemmSizes = List.of(512, 1024, 2048);
            kernelWarmupMillis = 500;
        }
        // forks/iterations: quick = one short fork; full = several forks (the OSR pitfall differs per JVM)
        int f = quick ? 1 : 2;
        int wi = quick ? 1 : 2;
        int wm = quick ? 100 : 1000;
        int mi = quick ? 2 : 3;
        int mm = quick ? 100 : 1000;

        // 1. Headline shapes: every cell; float32 on 1 and all threads, float64 on all threads. Quick mode keeps
        //    every cell on the first stand-in shape only (LSTM on the others) to stay under three minutes.
        for (int si = 0; si < headlineShapes.size(); si++) {
            List<String> shape = List.of(headlineShapes.get(si));
            List<String> cells = quick && si > 0 ? List.of("lstm") : CELLS;
            for (LayerCallMethod m : List.of(OPTIMIZED_FORWARD, OPTIMIZED_FORWARD_BACKWARD)) {
                add(Run.layerCall("headline", HeadlineBenchmark.class, m,
                        params(cells, shape, List.of("float32"), threadsBoth), f, wi, wm, mi, mm));
                add(Run.layerCall("headline", HeadlineBenchmark.class, m,
                        params(cells, shape, List.of("float64"), threadsAll), f, wi, wm, mi, mm));
            }
            // the layer prepared once in setup (like ONNX Runtime's session), float32 forward on 1 and all threads
            add(Run.layerCall("headline", HeadlineBenchmark.class, PREPARED_FORWARD,
                    params(cells, shape, List.of("float32"), threadsBoth), f, wi, wm, mi, mm));
            add(Run.layerCall("headline", HeadlineBenchmark.class, ONNX_RUNTIME_FORWARD,
                    params(cells, shape, List.of("float32"), threadsBoth), f, wi, wm, mi, mm));
            // the two alternated in one JVM: their ratio without the machine's drift between forks
            add(Run.layerCall("headline", HeadlineBenchmark.class, PAIRED_FORWARD,
                    params(cells, shape, List.of("float32"), threadsBoth), f, wi, wm, mi, mm));
            // float64 only for the cells ONNX Runtime can run in double (probed; ORT 1.20's kernels are float-only)
            List<String> ortF64 = cells.stream().filter(ortFloat64Cells::contains).toList();
            if (!ortF64.isEmpty()) {
                add(Run.layerCall("headline", HeadlineBenchmark.class, ONNX_RUNTIME_FORWARD,
                        params(ortF64, shape, List.of("float64"), threadsAll), f, wi, wm, mi, mm));
            }
            // The reference (float64, one thread): single shots, one fork. Setup already warms its code with many
            // short calls, so the full mode times single calls without a warm-up shot: a forward call on
            // (32,100,512,512) takes 15-45 s here (0.3-1 GFLOP/s), so that shape gets one shot and no
            // forward+backward.
            Map<String, List<String>> ref = params(cells, shape, List.of("float64"), List.of("1"));
            boolean big = Workload.of("lstm", shape.get(0)).forwardFlops() > 4e9;
            add(Run.layerCall("headline", HeadlineBenchmark.class, REFERENCE_FORWARD, ref, 1, quick ? 1 : 0, 0,
                    quick || !big ? 2 : 1, 0));
            if (!big) {
                add(Run.layerCall("headline", HeadlineBenchmark.class, REFERENCE_FORWARD_BACKWARD, ref, 1,
                        quick ? 1 : 0, 0, 1, 0));
            }
        }

        // 2. Growth curves: LSTM float32 on all threads; shapes not already measured above.
        Set<String> sweep = new LinkedHashSet<>();
        sweep.addAll(batchSweep);
        sweep.addAll(timeSweep);
        sweep.addAll(unitsSweep);
        sweep.removeAll(headlineShapes);
        List<String> sweepShapes = new ArrayList<>(sweep);
        int sf = 1; // one fork: kernels are warmed with short calls; the headline runs use several forks
        // Two warm-up iterations, as the headline runs have: a precaution. A run with one, on a loaded machine,
        // measured the forward allocation growing by 90 KiB per time step, which the same code re-measured did not
        // reproduce (10 B); Vector API code allocates until C2 has compiled it, and a long call gives C2 few calls.
        int swi = wi;
        for (LayerCallMethod m : List.of(OPTIMIZED_FORWARD, ONNX_RUNTIME_FORWARD)) {
            add(Run.layerCall("sweep", SweepBenchmark.class, m,
                    params(List.of("lstm"), sweepShapes, List.of("float32"), threadsAll), sf, swi, wm, mi, mm));
        }
        List<String> timeOnly = new ArrayList<>(timeSweep);
        timeOnly.removeAll(headlineShapes);
        add(Run.layerCall("sweep", SweepBenchmark.class, OPTIMIZED_FORWARD_BACKWARD,
                params(List.of("lstm"), timeOnly, List.of("float32"), threadsAll), sf, swi, wm, mi, mm));

        // 3. DeepBench-style shapes: forward for inference shapes, forward and forward+backward for training ones.
        for (Map<String, List<String>> set : List.of(deepBenchInference, deepBenchTraining)) {
            for (Map.Entry<String, List<String>> e : set.entrySet()) {
                for (LayerCallMethod m : List.of(OPTIMIZED_FORWARD, ONNX_RUNTIME_FORWARD)) {
                    add(Run.layerCall("deepbench", DeepBenchBenchmark.class, m,
                            params(List.of(e.getKey()), e.getValue(), List.of("float32"), threadsAll),
                            sf, swi, wm, mi, mm));
                }
            }
        }
        for (Map.Entry<String, List<String>> e : deepBenchTraining.entrySet()) {
            add(Run.layerCall("deepbench", DeepBenchBenchmark.class, OPTIMIZED_FORWARD_BACKWARD,
                    params(List.of(e.getKey()), e.getValue(), List.of("float32"), threadsAll), sf, swi, wm, mi, mm));
        }

        // 4. The roofline: square GEMMs, float32 at every size, float64 at the middle size; 1 and all threads; and
        //    the float32 FMA peak (a register-only fma loop) on as many JMH threads.
        for (String t : threadsBoth) {
            add(new Run("roofline", FmaPeakBenchmark.class, "fma", "fma", "float32", Map.of("threads", List.of(t)),
                    f, wi, wm, mi, mm, Integer.parseInt(t)));
            Map<String, List<String>> g = new LinkedHashMap<>();
            g.put("n", gemmSizes.stream().map(String::valueOf).toList());
            g.put("dtype", List.of("float32"));
            g.put("threads", List.of(t));
            add(new Run("roofline", GemmRooflineBenchmark.class, "multiply", "gemm", "sgemm", g, f, wi, wm, mi, mm,
                    1));
            Map<String, List<String>> gd = new LinkedHashMap<>();
            gd.put("n", List.of(String.valueOf(gemmSizes.get(gemmSizes.size() / 2))));
            gd.put("dtype", List.of("float64"));
            gd.put("threads", List.of(t));
            add(new Run("roofline", GemmRooflineBenchmark.class, "multiply", "gemm", "dgemm", gd, f, wi, wm, mi, mm,
                    1));
        }
    }

    private static Map<String, List<String>> params(List<String> cells, List<String> shapes, List<String> dtypes,
                                                    List<String> threads) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("cell", cells);
        p.put("shape", shapes);
        p.put("dtype", dtypes);
        p.put("threads", threads);
        return p;
    }

    /**
     * Adds a run without the configurations an earlier run of the same method (in any experiment) already measures:
     * the report finds a result by contestant, phase and parameters, whatever experiment measured it.
     */
    private void add(Run r) {
        Set<String> seen = new LinkedHashSet<>();
        for (Run earlier : runs) {
            if (earlier.method().equals(r.method()) && earlier.contestant().equals(r.contestant())) {
                for (Map<String, String> cfg : earlier.configurations()) {
                    seen.add(cfg.toString());
                }
            }
        }
        List<Map<String, String>> fresh = new ArrayList<>();
        for (Map<String, String> cfg : r.configurations()) {
            if (!seen.contains(cfg.toString())) {
                fresh.add(cfg);
            }
        }
        if (fresh.size() == r.configurations().size()) {
            runs.add(r);
            return;
        }
        // split the cross product into one run per remaining configuration (rare: overlapping shape lists)
        for (Map<String, String> cfg : fresh) {
            Map<String, List<String>> p = new LinkedHashMap<>();
            cfg.forEach((k, v) -> p.put(k, List.of(v)));
            runs.add(new Run(r.group(), r.benchmark(), r.method(), r.contestant(), r.phase(), p, r.forks(),
                    r.warmupIterations(), r.warmupMillis(), r.measurementIterations(), r.measurementMillis(),
                    r.jmhThreads()));
        }
    }

    public List<Run> runs() {
        return List.copyOf(runs);
    }

    /**
     * Predicted wall time of one run in seconds: per fork, JVM start and setup ({@code forkOverheadSec}), kernel
     * warm-up, and the iterations; a single-shot iteration lasts one call, predicted from the work at
     * {@code referenceGflops}. A timed iteration ends at the first call ending after the iteration time; call times
     * are predicted at {@code optimizedGflops} (also used for ONNX Runtime, which is faster: pessimistic); a paired
     * invocation is two blocks, each a pause, a warm-in call and {@link LayerCallContestant#BLOCK_CALLS} timed calls.
     */
    /** JMH ends an iteration at the first call that ends after the iteration time. */
    private static double iteration(double iterationSec, double callSec) {
        return callSec <= 0 ? iterationSec : Math.max(1, Math.ceil(iterationSec / callSec)) * callSec;
    }

    public double estimateSeconds(Run r, double forkOverheadSec, double referenceGflops, double optimizedGflops) {
        double total = 0;
        for (Map<String, String> cfg : r.configurations()) {
            double perFork = forkOverheadSec
                    + kernelWarmupMillis / 1000.0 * (r.phase().equals("forward+backward") ? 2 : 1);
            if (r.singleShot()) {
                Workload w = Workload.of(cfg.get("cell"), cfg.get("shape"));
                double flops = r.phase().equals("forward") ? w.forwardFlops() : w.forwardBackwardFlops();
                perFork += (r.warmupIterations() + r.measurementIterations()) * flops / (referenceGflops * 1e9);
            } else {
                double call = 0;
                if (cfg.containsKey("shape")) {
                    Workload w = Workload.of(cfg.get("cell"), cfg.get("shape"));
                    double flops = r.phase().equals("forward") ? w.forwardFlops() : w.forwardBackwardFlops();
                    call = flops / (optimizedGflops * 1e9);
                    if (r.contestant().equals("paired")) {
                        // a block of each contestant: a warm-in call and the timed calls, each after the pause
                        call = 2 * (call * (1 + LayerCallContestant.BLOCK_CALLS)
                                + LayerCallContestant.PAIR_PAUSE_NANOS / 1e9);
                    }
                }
                perFork += r.warmupIterations() * iteration(r.warmupMillis() / 1000.0, call)
                        + r.measurementIterations() * iteration(r.measurementMillis() / 1000.0, call);
            }
            total += r.forks() * perFork;
        }
        return total;
    }
}
