package rnnkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import rnnkit.golden.GoldenCorpus;
import rnnkit.kit.CaseSelection;
import rnnkit.kit.RandomCases;
import rnnkit.model.DType;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.model.UnsupportedCaseException;
import rnnkit.reference.ReferenceRnn;
import rnnkit.testing.ForwardOnly;

/**
 * {@link KerasConformance} run by the JUnit Platform as a user's build runs it (the engine test kit executes a
 * {@code @TestFactory} class and records every event): names, containers, and the meaning of each outcome.
 */
class KerasConformanceTest {
    /** The fixture the engine runs; static so that the JUnit engine under test, not surefire, discovers it. */
    static final class Factory {
        static KerasConformance conformance;

        @TestFactory
        Stream<DynamicNode> keras() {
            return conformance.dynamicTests();
        }
    }

    static Events run(KerasConformance k) {
        Factory.conformance = k;
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(Factory.class)).execute().allEvents();
    }

    static Map<String, TestExecutionResult.Status> statusByTest(Events events) {
        Map<String, TestExecutionResult.Status> m = new TreeMap<>();
        events.finished().filter(e -> e.getTestDescriptor().isTest()).forEach(e -> m.put(
                e.getTestDescriptor().getDisplayName(), e.getRequiredPayload(TestExecutionResult.class).getStatus()));
        return m;
    }

    static Throwable thrown(Events events, String displayName) {
        Event e = events.finished().filter(ev -> ev.getTestDescriptor().getDisplayName().equals(displayName))
                .findFirst().orElseThrow(() -> new AssertionError("no finished test " + displayName));
        return e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElse(null);
    }

    static List<String> selected(String glob) {
        return CaseSelection.of(List.of(glob), List.of(), null)
                .select(GoldenCorpus.open(GoldenCorpus.defaultRoot()).caseNames());
    }

    static final ReferenceRnn REFERENCE = new ReferenceRnn();

    /** The reference with one planted bug: every output scaled by 1.01 (a realistic "almost right" answer). */
    static final RnnImplementation SCALED_OUTPUTS = ForwardOnly.of("scaled-outputs", call -> {
        LayerOutputs o = REFERENCE.forward(call);
        List<Tensor> scaled = new ArrayList<>();
        for (Tensor t : o.outputs()) {
            double[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] *= 1.01;
            }
            scaled.add(Tensor.of(d, t.shape()));
        }
        return new LayerOutputs(scaled, o.states());
    });

    /** The reference, float32 only. */
    static final RnnImplementation FLOAT32_ONLY = ForwardOnly.of("float32-only", call -> {
        if (call.dtype() != DType.FLOAT32) {
            throw new UnsupportedCaseException("float32 only, not " + call.dtype().kerasName());
        }
        return REFERENCE.forward(call);
    });

    @Test
    void onePassingTestPerCaseNamedByTheCaseInOneContainerPerSuitePlusRandomCasesAndTheSummary() {
        List<String> lstm = selected("lstm/*");
        Events events = run(KerasConformance.of(new ReferenceRnn()).include("lstm/*", "random/*").random(6, 5));

        Map<String, TestExecutionResult.Status> tests = statusByTest(events);
        assertThat(tests.keySet()).containsAll(lstm).contains(KerasConformance.SUMMARY);
        assertThat(tests.keySet()).filteredOn(n -> n.startsWith("random/5/")).hasSize(6);
        assertThat(tests).hasSize(lstm.size() + 6 + 1);
        assertThat(tests.values()).containsOnly(TestExecutionResult.Status.SUCCESSFUL);
        List<String> containers = events.finished().filter(e -> e.getTestDescriptor().isContainer())
                .map(e -> e.getTestDescriptor().getDisplayName()).toList();
        assertThat(containers).contains("lstm", "random").doesNotContain("gru");
    }

    @Test
    void aWrongAnswerFailsWithTheCaseTheQuantityItsErrorAndTheTolerance() {
        List<String> gru = selected("gru/*");
        Events events = run(KerasConformance.of(SCALED_OUTPUTS).include("gru/*").forwardOnly());

        Map<String, TestExecutionResult.Status> tests = statusByTest(events);
        assertThat(tests).hasSize(gru.size() + 1);
        for (String name : gru) {
            assertThat(tests.get(name)).as(name).isEqualTo(TestExecutionResult.Status.FAILED);
            Throwable t = thrown(events, name);
            assertThat(t).isInstanceOf(AssertionFailedError.class);
            assertThat(t.getMessage()).startsWith(name + ": FAIL: ").contains("output").contains("tolerance");
        }
        // the summary does not fail a second time for the cases that carry their own failures
        assertThat(thrown(events, KerasConformance.SUMMARY)).isNull();
    }

    @Test
    void unsupportedCasesAndExpectedFailuresAreSkippedWithTheReasonAndAnUnexpectedPassFails() {
        List<String> simple = selected("simple_rnn/*");
        String listedButPassing = simple.stream().filter(n -> n.endsWith("__float32")).findFirst().orElseThrow();
        Events events = run(KerasConformance.of(FLOAT32_ONLY).include("simple_rnn/*")
                .expectedFailures(listedButPassing + " : believed broken"));

        Map<String, TestExecutionResult.Status> tests = statusByTest(events);
        for (String name : simple) {
            if (name.equals(listedButPassing)) {
                assertThat(tests.get(name)).isEqualTo(TestExecutionResult.Status.FAILED);
                assertThat(thrown(events, name)).hasMessageStartingWith(name + ": UNEXPECTED PASS: ")
                        .hasMessageContaining("believed broken");
            } else if (name.endsWith("__float64")) {
                assertThat(tests.get(name)).as(name).isEqualTo(TestExecutionResult.Status.ABORTED);
                assertThat(thrown(events, name)).isInstanceOf(TestAbortedException.class)
                        .hasMessage(name + ": unsupported: float32 only, not float64");
            } else {
                assertThat(tests.get(name)).as(name).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
            }
        }

        Events expected = run(KerasConformance.of(SCALED_OUTPUTS).include("simple_rnn/*")
                .expectedFailures("simple_rnn/* : outputs are scaled by design"));
        for (String name : simple) {
            assertThat(thrown(expected, name)).as(name).isInstanceOf(TestAbortedException.class)
                    .hasMessageStartingWith(name + ": expected fail: outputs are scaled by design");
        }
        // every case skipped as expected to fail: nothing was verified, and the summary says so by failing
        assertThat(thrown(expected, KerasConformance.SUMMARY)).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("nothing was verified").hasMessageContaining("NOTHING VERIFIED");
    }

    @Test
    void anAdapterThatThrowsIsAnErrorNamingTheException() {
        RnnImplementation broken = ForwardOnly.of("broken", call -> {
            throw new IllegalStateException("kernel not initialised");
        });
        Events events = run(KerasConformance.of(broken).include("lstm/*").random(2, 1));
        String name = selected("lstm/*").get(0);
        assertThat(thrown(events, name)).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith(name + ": ERROR: forward threw java.lang.IllegalStateException: kernel not initialised");
        Map<String, TestExecutionResult.Status> tests = statusByTest(events);
        tests.remove(KerasConformance.SUMMARY);
        assertThat(tests.values()).containsOnly(TestExecutionResult.Status.FAILED);
    }

    @Test
    void theSummaryWritesTheReportsOfTheWholeRun(@TempDir Path dir) throws IOException {
        List<String> stacked = selected("stacked/*");
        Events events = run(KerasConformance.of(new ReferenceRnn()).include("stacked/*").reports(dir));
        assertThat(thrown(events, KerasConformance.SUMMARY)).isNull();
        assertThat(dir.resolve("reference.html")).exists();
        String md = Files.readString(dir.resolve("reference.md"));
        assertThat(md).contains("Verdict: **PASS** — " + stacked.size() + " of " + stacked.size() + " cases ran: "
                + stacked.size() + " pass").doesNotContain("INCOMPLETE");
        String xml = Files.readString(dir.resolve("reference.xml"));
        assertThat(xml).contains("tests=\"" + stacked.size() + "\" failures=\"0\" errors=\"0\"");
    }

    @Test
    void expectedFailureEntriesThatMatchNoCaseAreListedAsStaleInTheReport(@TempDir Path dir) throws IOException {
        Events events = run(KerasConformance.of(new ReferenceRnn()).include("stacked/*")
                .expectedFailures("no_such_suite/* : an old entry").reports(dir, "md"));
        assertThat(thrown(events, KerasConformance.SUMMARY)).isNull();
        assertThat(Files.readString(dir.resolve("reference.md"))).contains("## Stale expected-failure entries")
                .contains("no_such_suite/\\* : an old entry");
    }

    @Test
    void aDamagedOrMissingCorpusFailsTheFactoryWithTheReason(@TempDir Path empty) {
        Events events = run(KerasConformance.of(new ReferenceRnn()).corpus(empty));
        Throwable t = events.finished().filter(e -> e.getTestDescriptor().getDisplayName().startsWith("keras"))
                .findFirst().orElseThrow().getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(t).hasMessageContaining("manifest.json");
    }

    @Test
    void badArgumentsAreRefusedWhereTheyAreWritten() {
        KerasConformance k = KerasConformance.of(new ReferenceRnn());
        assertThatThrownBy(() -> k.include("")).hasMessageContaining("empty case glob");
        assertThatThrownBy(() -> k.shard("3/2")).hasMessageContaining("i/n");
        assertThatThrownBy(() -> k.random(-1, 1)).hasMessageContaining("count >= 0");
        assertThatThrownBy(() -> k.reports(Path.of("x"), "pdf")).hasMessageContaining("unknown report format 'pdf'");
        assertThatThrownBy(() -> k.expectedFailures("lstm/*")).hasMessageContaining("a reason is required");
        assertThatThrownBy(() -> k.random(RandomCases.MAX_COUNT + 1, 1)).hasMessageContaining("at most " + RandomCases.MAX_COUNT);
    }

    /** An adapter's name() names the report files, so it follows the rule of {@code rnnkit run}, checked up front. */
    @Test
    void anAdapterWhoseNameIsNotAPlainFileNameIsRefusedBeforeAnyCaseRuns(@TempDir Path dir) throws IOException {
        Path reports = Files.createDirectories(dir.resolve("a/b"));
        for (String name : new String[] {"../../escaped", "a/b", "two words", ""}) {
            RnnImplementation named = ForwardOnly.of(name, REFERENCE::forward);
            assertThatThrownBy(() -> KerasConformance.of(named).include("lstm/t1*").reports(reports).dynamicTests())
                    .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name()")
                    .hasMessageContaining("letters, digits");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.filter(Files::isRegularFile)).as("report files written").isEmpty();
        }
    }
}
