package rnnkit.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.model.UnsupportedCaseException;
import rnnkit.optimized.OptimizedRnn;

/**
 * Checks once, before timing, that the contestants give equal answers on the benchmarked calls: ONNX Runtime against
 * the reference (on the headline shapes whose forward pass is at most 4 GFLOP) and against the optimized implementation
 * (on every shape ONNX Runtime is timed on), and the optimized implementation against the reference. Records the
 * largest absolute difference over all outputs and final states. Float32 answers are compared to the float64
 * reference with tolerance {@value #FLOAT32_TOLERANCE}; float64 answers with {@value #FLOAT64_TOLERANCE}.
 */
public final class AccuracyCheck {
    static final double FLOAT32_TOLERANCE = 1e-3;
    static final double FLOAT64_TOLERANCE = 1e-9;
    /** Largest forward work (FLOP) on which the check runs the reference. */
    static final double REFERENCE_MAX_FLOPS = 4e9;

    private AccuracyCheck() {
    }

    /** One (cell, shape, dtype) to check. */
    record Case(String cell, String shape, String dtype) {
    }

    private static Set<Case> cases(List<SuitePlan.Run> runs, String contestant) {
        Set<Case> out = new LinkedHashSet<>();
        for (SuitePlan.Run r : runs) {
            if (r.contestant().equals(contestant)) {
                for (Map<String, String> cfg : r.configurations()) {
                    out.add(new Case(cfg.get("cell"), cfg.get("shape"), cfg.get("dtype")));
                }
            }
        }
        return out;
    }

    /** The calls ONNX Runtime is timed on: on its own and paired with the prepared layer. */
    private static Set<Case> ortCases(List<SuitePlan.Run> runs) {
        return union(cases(runs, "onnxruntime"), cases(runs, "paired"));
    }

    /** "cell|shape" keys the check runs the reference on. */
    static Set<String> referenceKeys(SuitePlan plan, List<SuitePlan.Run> runs) {
        Set<String> refKeys = new LinkedHashSet<>();
        for (Case c : union(ortCases(runs), cases(runs, "optimized"))) {
            // the reference where a forward pass is at most ~4 GFLOP (seconds, not minutes); larger
            // shapes are checked against the optimized implementation (itself tested against the reference)
            if (plan.headlineShapes.contains(c.shape)
                    && Workload.of(c.cell, c.shape).forwardFlops() <= REFERENCE_MAX_FLOPS) {
                refKeys.add(c.cell + "|" + c.shape);
            }
        }
        return refKeys;
    }

    /** Predicted duration of the check: the reference calls, spread over the cores. */
    static double estimateSeconds(SuitePlan plan, List<SuitePlan.Run> runs, double referenceGflops) {
        double flops = 0;
        for (String k : referenceKeys(plan, runs)) {
            String[] p = k.split("\\|");
            flops += Workload.of(p[0], p[1]).forwardFlops();
        }
        return flops / (referenceGflops * 1e9 * plan.cores) + 10;
    }

    /** Checks the calls of the selected runs. */
    public static Map<String, Object> run(SuitePlan plan, List<SuitePlan.Run> runs, PrintStream log) {
        int threads = plan.cores;
        Set<Case> ortCases = ortCases(runs);
        Set<Case> optimizedCases = cases(runs, "optimized");
        RnnImplementation reference = Contestants.reference();
        OptimizedRnn optimized = Contestants.optimized(threads);
        RnnImplementation ort = Contestants.onnxRuntime(threads);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // reference outputs, computed in parallel (the reference is single-threaded)
        Map<String, Future<LayerOutputs>> refOut = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (String k : referenceKeys(plan, runs)) {
                String[] p = k.split("\\|");
                Workload w = Workload.of(p[0], p[1]);
                refOut.put(k, pool.submit(() -> reference.forward(w.call(DType.FLOAT64, 42))));
            }
            for (Case c : union(ortCases, optimizedCases)) {
                Workload w = Workload.of(c.cell, c.shape);
                LayerCall call = w.call(DType.fromKeras(c.dtype), 42);
                double tol = c.dtype.equals("float32") ? FLOAT32_TOLERANCE : FLOAT64_TOLERANCE;
                LayerOutputs fromOrt = null;
                LayerOutputs fromOpt = null;
                if (ortCases.contains(c)) {
                    try {
                        fromOrt = ort.forward(call);
                    } catch (UnsupportedCaseException | IllegalStateException e) {
                        notes.add("onnxruntime cannot run " + c.cell + " " + c.shape + " " + c.dtype + ": "
                                + Contestants.rootMessage(e));
                    }
                }
                try {
                    fromOpt = optimized.forward(call);
                } catch (RuntimeException e) {
                    notes.add("optimized failed on " + c.cell + " " + c.shape + " " + c.dtype + ": "
                            + Contestants.rootMessage(e));
                }
                Future<LayerOutputs> ref = refOut.get(c.cell + "|" + c.shape);
                LayerOutputs fromRef = ref == null ? null : ref.get();
                if (fromOrt != null && fromRef != null) {
                    rows.add(row(c, "onnxruntime", "reference", maxAbsDiff(fromOrt, fromRef), tol));
                }
                if (fromOrt != null && fromOpt != null) {
                    rows.add(row(c, "onnxruntime", "optimized", maxAbsDiff(fromOrt, fromOpt), tol));
                }
                if (fromOpt != null && fromRef != null) {
                    rows.add(row(c, "optimized", "reference", maxAbsDiff(fromOpt, fromRef), tol));
                }
                log.printf(Locale.ROOT, "accuracy %-16s %-15s %-7s checked%n", c.cell, c.shape, c.dtype);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("accuracy check interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the reference failed in the accuracy check: " + Contestants.rootMessage(e), e);
        } finally {
            pool.shutdownNow();
            optimized.close();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("float32Tolerance", FLOAT32_TOLERANCE);
        out.put("float64Tolerance", FLOAT64_TOLERANCE);
        out.put("comparisons", rows);
        out.put("notes", notes);
        return out;
    }

    private static Set<Case> union(Set<Case> a, Set<Case> b) {
        Set<Case> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static Map<String, Object> row(Case c, String subject, String against, double err, double tol) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cell", c.cell);
        m.put("shape", c.shape);
        m.put("dtype", c.dtype);
        m.put("subject", subject);
        m.put("against", against);
        m.put("maxAbsError", err);
        m.put("tolerance", tol);
        m.put("equal", err <= tol);
        return m;
    }

    /** Largest |a-b| over the main output and every final state; infinite if shapes differ. */
    static double maxAbsDiff(LayerOutputs a, LayerOutputs b) {
        double m = maxAbsDiff(a.output(), b.output());
        int n = Math.min(a.states().size(), b.states().size());
        for (int i = 0; i < n; i++) {
            m = Math.max(m, maxAbsDiff(a.states().get(i), b.states().get(i)));
        }
        return m;
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        if (!a.hasShape(b.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        double[] x = a.data();
        double[] y = b.data();
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs(x[i] - y[i]);
            if (!(d <= m)) {
                m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return m;
    }
}
