package rnnkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which cases the suite profiles, and in which part of a forward call a sampled stack is counted. */
class TargetProfilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> result(String method, String cell, String shape, String threads, double ms) {
        return Map.of("benchmark", "rnnkit.bench.HeadlineBenchmark." + method,
                "params", Map.of("cell", cell, "shape", shape, "dtype", "float32", "threads", threads),
                "primaryMetric", Map.of("score", ms));
    }

    @Test
    void theWorstCellBelowOnnxRuntimeOfEachShapeAndThreadCountIsProfiled() {
        String a = "64x50x256x256";
        String b = "1x100x512x512";
        List<Map<String, Object>> r = new ArrayList<>();
        // shape a, 2 threads: lstm 0.5×, gru 0.8×, simple_rnn 2× → lstm; 1 thread: all faster than ORT → none
        r.add(result("preparedForward", "lstm", a, "2", 10));
        r.add(result("onnxRuntimeForward", "lstm", a, "2", 5));
        r.add(result("preparedForward", "gru", a, "2", 10));
        r.add(result("onnxRuntimeForward", "gru", a, "2", 8));
        r.add(result("preparedForward", "simple_rnn", a, "2", 1));
        r.add(result("onnxRuntimeForward", "simple_rnn", a, "2", 2));
        r.add(result("preparedForward", "lstm", a, "1", 10));
        r.add(result("onnxRuntimeForward", "lstm", a, "1", 11));
        // shape b, 1 thread: gru_reset_before 0.9×; its ORT result at 2 threads is missing → no 2-thread case
        r.add(result("preparedForward", "gru_reset_before", b, "1", 10));
        r.add(result("onnxRuntimeForward", "gru_reset_before", b, "1", 9));
        r.add(result("preparedForward", "gru_reset_before", b, "2", 10));
        JsonNode jmh = JSON.valueToTree(r);
        List<TargetProfiles.Case> cases = TargetProfiles.missedCases(jmh, List.of(a, b), List.of(2, 1));
        assertThat(cases).containsExactly(new TargetProfiles.Case("lstm", a, 2, 10, 5),
                new TargetProfiles.Case("gru_reset_before", b, 1, 10, 9));
    }

    @Test
    void aSampleCountsInThePartOfTheCallOnItsStack() {
        assertThat(TargetProfiles.phaseOf(List.of("FloatVectorPanelKernel.tile8x2", "FloatBlockedDriver.packedAB",
                "Gemm.sgemmPackedAB", "FloatCellKernel$Lane.product", "FloatCellKernel.forwardRows")))
                .isEqualTo("recurrent product");
        assertThat(TargetProfiles.phaseOf(List.of("FloatActivations.tanh", "FloatLstmKernel.epilogue",
                "FloatCellKernel$Lane.product"))).isEqualTo("epilogue");
        assertThat(TargetProfiles.phaseOf(List.of("FloatPanelPacking.packRows", "Gemm.packA",
                "FloatCellKernel$Lane.startStep"))).isEqualTo("operand packing");
        assertThat(TargetProfiles.phaseOf(List.of("FloatVectorPanelKernel.tile8x2", "Gemm.sgemmPackedB",
                "FloatCellKernel.projectInputs"))).isEqualTo("input projection");
        assertThat(TargetProfiles.phaseOf(List.of("ParallelRunner.awaitWorkers", "ParallelRunner.forRange",
                "FloatCellKernel.forward"))).isEqualTo("waiting for threads");
        assertThat(TargetProfiles.phaseOf(List.of("ParallelRunner$Worker.run"))).isEqualTo("waiting for threads");
        assertThat(TargetProfiles.phaseOf(List.of("FloatPrecision.read", "FloatRecurrentLayer.forward")))
                .isEqualTo("conversion and copies");
        assertThat(TargetProfiles.phaseOf(List.of("Workspace.doublesToOverwrite"))).isEqualTo("other");
        assertThat(TargetProfiles.phaseOf(List.of())).isEqualTo("other");
    }
}
