package rnnkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

class SuitePlanTest {
    private static final List<String> NO_ORT_FLOAT64 = List.of();

    private static boolean planned(SuitePlan p, LayerCallMethod method, String cell, String shape, String dtype,
                                   String threads) {
        for (SuitePlan.Run r : p.runs()) {
            if (r.method().equals(method.method())) {
                for (Map<String, String> c : r.configurations()) {
                    if (cell.equals(c.get("cell")) && shape.equals(c.get("shape"))
                            && (dtype == null || dtype.equals(c.get("dtype")))
                            && (threads == null || threads.equals(c.get("threads")))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void fullPlanCoversTheHeadlineShapesCellsPrecisionsAndThreadCounts() {
        SuitePlan p = new SuitePlan(false, 2, NO_ORT_FLOAT64);
        assertThat(p.headlineShapes).containsExactly("64x50x256x256", "32x100x512x512", "1x100x512x512");
        for (String shape : p.headlineShapes) {
            for (String cell : SuitePlan.CELLS) {
                for (String t : List.of("1", "2")) {
                    assertThat(planned(p, LayerCallMethod.OPTIMIZED_FORWARD, cell, shape, "float32", t)).isTrue();
                    assertThat(planned(p, LayerCallMethod.OPTIMIZED_FORWARD_BACKWARD, cell, shape, "float32", t)).isTrue();
                    assertThat(planned(p, LayerCallMethod.ONNX_RUNTIME_FORWARD, cell, shape, "float32", t)).isTrue();
                    assertThat(planned(p, LayerCallMethod.PREPARED_FORWARD, cell, shape, "float32", t)).isTrue();
                    assertThat(planned(p, LayerCallMethod.PAIRED_FORWARD, cell, shape, "float32", t)).isTrue();
                }
                assertThat(planned(p, LayerCallMethod.OPTIMIZED_FORWARD, cell, shape, "float64", "2")).isTrue();
                assertThat(planned(p, LayerCallMethod.REFERENCE_FORWARD, cell, shape, "float64", "1")).isTrue();
                // ONNX Runtime float64 only where it was probed to work
                assertThat(planned(p, LayerCallMethod.ONNX_RUNTIME_FORWARD, cell, shape, "float64", null)).isFalse();
            }
        }
        assertThat(p.batchSweep).hasSizeGreaterThanOrEqualTo(5);
        assertThat(p.timeSweep).hasSizeGreaterThanOrEqualTo(5);
        assertThat(p.unitsSweep).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void noConfigurationIsMeasuredTwice() {
        for (boolean quick : List.of(true, false)) {
            SuitePlan p = new SuitePlan(quick, 2, List.of("lstm"));
            Set<String> seen = new HashSet<>();
            for (SuitePlan.Run r : p.runs()) {
                for (Map<String, String> c : r.configurations()) {
                    assertThat(seen.add(r.method() + c)).as("%s %s measured twice", r.benchmarkName(), c).isTrue();
                }
            }
        }
    }

    @Test
    void thePairedRunMeasuresWhatThePreparedRunMeasuresWithItsForksAndIterations() {
        for (boolean quick : List.of(true, false)) {
            SuitePlan p = new SuitePlan(quick, 2, NO_ORT_FLOAT64);
            Map<String, SuitePlan.Run> prepared = new LinkedHashMap<>();
            Map<String, SuitePlan.Run> paired = new LinkedHashMap<>();
            for (SuitePlan.Run r : p.runs()) {
                for (Map<String, String> c : r.configurations()) {
                    if (r.method().equals(LayerCallMethod.PREPARED_FORWARD.method())) {
                        prepared.put(c.toString(), r);
                    } else if (r.method().equals(LayerCallMethod.PAIRED_FORWARD.method())) {
                        assertThat(r.group()).isEqualTo("headline");
                        assertThat(r.contestant()).isEqualTo("paired");
                        paired.put(c.toString(), r);
                    }
                }
            }
            assertThat(paired.keySet()).as("quick=%s", quick).isNotEmpty().isEqualTo(prepared.keySet());
            for (Map.Entry<String, SuitePlan.Run> e : paired.entrySet()) {
                SuitePlan.Run a = e.getValue();
                SuitePlan.Run b = prepared.get(e.getKey());
                assertThat(List.of(a.forks(), a.warmupIterations(), a.warmupMillis(), a.measurementIterations(),
                        a.measurementMillis())).isEqualTo(List.of(b.forks(), b.warmupIterations(), b.warmupMillis(),
                        b.measurementIterations(), b.measurementMillis()));
            }
        }
    }

    @Test
    void fullModeUsesSeveralForksOnTheHeadlineShapes() {
        SuitePlan p = new SuitePlan(false, 2, NO_ORT_FLOAT64);
        for (SuitePlan.Run r : p.runs()) {
            if (r.group().equals("headline") && !r.singleShot()) {
                assertThat(r.forks()).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void predictedDurationsFitTheBudgets() {
        // speeds measured on a 2-core machine: ~1 s per fork of overhead, reference 0.3-1 GFLOP/s, optimized 3-17
        double quick = 0;
        for (SuitePlan.Run r : new SuitePlan(true, 2, NO_ORT_FLOAT64).runs()) {
            quick += new SuitePlan(true, 2, NO_ORT_FLOAT64).estimateSeconds(r, 1.0, 0.4, 5);
        }
        // 157.6 s predicted with the paired contestant (12 quick configurations)
        assertThat(quick).isLessThan(180);
        SuitePlan full = new SuitePlan(false, 2, NO_ORT_FLOAT64);
        double total = AccuracyCheck.estimateSeconds(full, full.runs(), 0.4);
        for (SuitePlan.Run r : full.runs()) {
            total += full.estimateSeconds(r, 1.5, 0.4, 15);
        }
        // 63.3 min predicted here with the paired contestant (24 more headline configurations, 2 forks each; an
        // invocation is two blocks of a 100 ms pause, a warm-in call and 4 timed calls, and at the 15 GFLOP/s
        // assumed here one block of (32, 100, 512, 512) takes seconds), 47.6 min without it; the predictions are
        // pessimistic (the last full run, with it, took 51.8 min)
        assertThat(total).isLessThan(66 * 60);
    }

    /**
     * The experiment classes state the full suite's real values: every {@code @Param} value of a class is measured
     * by some full-mode run of it, and every run's values are among its {@code @Param} values.
     */
    @Test
    void fullModeRunsExactlyTheParamValuesTheBenchmarkClassesState() throws NoSuchFieldException {
        SuitePlan p = new SuitePlan(false, 2, List.of());
        Map<Class<?>, Map<String, Set<String>>> used = new LinkedHashMap<>();
        for (SuitePlan.Run r : p.runs()) {
            for (Map.Entry<String, List<String>> e : r.params().entrySet()) {
                used.computeIfAbsent(r.benchmark(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).addAll(e.getValue());
            }
        }
        assertThat(used.keySet()).containsExactlyInAnyOrder(HeadlineBenchmark.class, SweepBenchmark.class,
                DeepBenchBenchmark.class, GemmRooflineBenchmark.class, FmaPeakBenchmark.class);
        for (Map.Entry<Class<?>, Map<String, Set<String>>> c : used.entrySet()) {
            for (Map.Entry<String, Set<String>> param : c.getValue().entrySet()) {
                Field f = c.getKey().getField(param.getKey());
                assertThat(f.getAnnotation(Param.class)).as("%s.%s is a @Param", c.getKey().getSimpleName(),
                        param.getKey()).isNotNull();
                assertThat(param.getValue()).as("%s.%s", c.getKey().getSimpleName(), param.getKey())
                        .containsExactlyInAnyOrder(f.getAnnotation(Param.class).value());
            }
        }
    }
}
