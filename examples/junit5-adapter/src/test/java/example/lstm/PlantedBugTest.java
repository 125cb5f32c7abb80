package example.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import rnnkit.junit.KerasConformance;

/**
 * The switch {@code -Dexample.lstm.bug=onnx-gate-order} plants a realistic bug in {@link Lstm} (gate blocks read
 * in ONNX order). This test runs the LSTM suite with and without it and checks what a user would see: every case
 * that passes without the bug fails with it, with a message that names the case, the quantity, the worst element
 * (batch row, time step, unit), expected and actual values and the error ÷ tolerance.
 */
class PlantedBugTest {

    /** Run by the engine test kit below, not by surefire (a static nested class). */
    static final class LstmSuite {
        @TestFactory
        Stream<DynamicNode> keras() {
            return KerasConformance.of(new KerasLstmAdapter()).include("lstm/*").forwardOnly().dynamicTests();
        }
    }

    /** Display name of every case test → its failure message, or "" if it passed, or null if it was skipped. */
    static Map<String, String> run(String bug) {
        String before = System.getProperty(Lstm.BUG_PROPERTY);
        System.setProperty(Lstm.BUG_PROPERTY, bug);
        try {
            Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(LstmSuite.class)).execute()
                    .testEvents();
            Map<String, String> out = new TreeMap<>();
            events.finished().stream().forEach(e -> {
                TestExecutionResult r = e.getRequiredPayload(TestExecutionResult.class);
                String message = switch (r.getStatus()) {
                    case SUCCESSFUL -> "";
                    case FAILED -> r.getThrowable().orElseThrow().getMessage();
                    case ABORTED -> null;
                };
                out.put(e.getTestDescriptor().getDisplayName(), message);
            });
            return out;
        } finally {
            if (before == null) {
                System.clearProperty(Lstm.BUG_PROPERTY);
            } else {
                System.setProperty(Lstm.BUG_PROPERTY, before);
            }
        }
    }

    @Test
    void swappedGateBlocksFailEveryPassingLstmCaseWithTheCaseAndQuantityInTheMessage() {
        Map<String, String> correct = run("none");
        Map<String, String> buggy = run("onnx-gate-order");
        List<String> passing = correct.entrySet().stream()
                .filter(e -> "".equals(e.getValue()) && e.getKey().startsWith("lstm/")).map(Map.Entry::getKey).toList();
        assertThat(passing).as("LSTM cases the correct layer passes").hasSizeGreaterThan(20);
        for (String name : passing) {
            String message = buggy.get(name);
            assertThat(message).as(name).isNotNull().isNotEmpty();
            assertThat(message).as(name).startsWith(name + ": FAIL: ").containsPattern("output|state\\[[01]\\]")
                    .contains("tolerance")
                    // located: the worst element in Keras terms, expected and actual, error ÷ tolerance
                    .containsPattern("worst at (.*, )?batch [0-9]+, (step [0-9]+, )?unit [0-9]+: expected -?[0-9.E-]+, got ")
                    .containsPattern("= [0-9.e+-]+ × tolerance");
        }
        assertThat(buggy.get(KerasConformance.SUMMARY)).as("the summary leaves the failures to the cases").isEmpty();
        System.out.println("planted bug (onnx-gate-order): " + passing.size() + " of " + passing.size()
                + " passing LSTM cases now fail; first two messages:");
        passing.stream().limit(2).forEach(n -> System.out.println("  " + buggy.get(n)));
    }
}
