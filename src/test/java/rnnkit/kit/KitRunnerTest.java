package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.model.UnsupportedCaseException;
import rnnkit.testing.ForwardOnly;

/** The runner classifies every way an implementation can misbehave, and never lets one stop the run. */
class KitRunnerTest {
    private static final CellSpec CELL = CellSpec.simpleRnn(2);
    private static final LayerCall CALL = LayerCall.of(RnnLayerSpec.of(CELL),
            List.of(Tensor.zeros(3, 2), Tensor.zeros(2, 2), Tensor.zeros(2)), Tensor.zeros(1, 4, 3));
    private static final LayerOutputs EXPECTED = LayerOutputs.of(Tensor.of(new double[] {0.5, -0.25}, 1, 2),
            List.of(Tensor.of(new double[] {0.5, -0.25}, 1, 2)));

    /** Absolute error bound 1e-6: enough to tell right from wrong in these synthetic cases. */
    private static final QuantityCheck ABS_1E6 = (q, kind, index, theCase, step, expected, got) -> {
        double max = 0;
        for (int i = 0; i < expected.size(); i++) {
            max = Math.max(max, Math.abs(expected.data()[i] - got.data()[i]));
        }
        return new QuantityError(q, max, max, "abs 1e-6", max <= 1e-6);
    };

    private static RnnImplementation impl(String name, Function<LayerCall, LayerOutputs> f) {
        return ForwardOnly.of(name, f);
    }

    private static ConformanceCase theCase(String name) {
        return new ConformanceCase(name, "test", List.of(new ConformanceCase.Step(CALL, EXPECTED, false, null, null)));
    }

    private static CaseResult runOne(RnnImplementation impl) {
        return new KitRunner(ABS_1E6, ExpectedFailures.none(), 5, true).run(impl, List.of(theCase("c")), null).get(0);
    }

    private static LayerOutputs answer(double a, double b) {
        Tensor t = Tensor.of(new double[] {a, b}, 1, 2);
        return LayerOutputs.of(t, List.of(t));
    }

    @Test
    void rightAnswerPasses() {
        assertThat(runOne(impl("right", c -> answer(0.5, -0.25))).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void wrongAnswerFailsAndNamesTheQuantity() {
        CaseResult r = runOne(impl("wrong", c -> answer(0.5, 0.25)));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).contains("output");
        assertThat(r.worst().maxAbsError()).isEqualTo(0.5);
    }

    @Test
    void unsupportedIsNotWrong() {
        CaseResult r = runOne(impl("limited", c -> {
            throw new UnsupportedCaseException("no SimpleRNN here");
        }));
        assertThat(r.outcome()).isEqualTo(Outcome.UNSUPPORTED);
        assertThat(r.reason()).isEqualTo("no SimpleRNN here");
    }

    @Test
    void crashWrongShapeMissingStatesAndNanAreErrorsWithReasons() {
        assertThat(runOne(impl("crash", c -> {
            throw new IllegalStateException("boom");
        }))).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(r.reason()).contains("boom");
        });
        CaseResult shape = runOne(impl("shape", c -> LayerOutputs.of(Tensor.zeros(2, 1), List.of())));
        assertThat(shape.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(shape.reason()).contains("shape [2, 1]").contains("expected [1, 2]");
        CaseResult nan = runOne(impl("nan", c -> answer(Double.NaN, -0.25)));
        assertThat(nan.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(nan.reason()).contains("non-finite");
        CaseResult nothing = runOne(impl("null", c -> null));
        assertThat(nothing.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void finalStatesAreRequiredWhenKerasReturnsThemOrTheCaseIsStatefulAndOptionalOtherwise() {
        RnnImplementation keras = impl("keras-like", c -> LayerOutputs.of(answer(0.5, -0.25).output(), List.of()));
        // return_state=False, one call: Keras returns no states, so none is required (and none is compared)
        assertThat(runOne(keras).outcome()).isEqualTo(Outcome.PASS);
        // wrong states that are returned anyway are still compared
        assertThat(runOne(impl("wrong-states", c -> LayerOutputs.of(answer(0.5, -0.25).output(),
                List.of(Tensor.of(new double[] {9, 9}, 1, 2))))).outcome()).isEqualTo(Outcome.FAIL);
        // return_state=True: the states are part of what Keras returns
        LayerCall withState = CALL.withLayer(RnnLayerSpec.of(CELL).withReturnState(true));
        ConformanceCase returned = new ConformanceCase("r", "test",
                List.of(new ConformanceCase.Step(withState, EXPECTED, false, null, null)));
        CaseResult r = new KitRunner(ABS_1E6, ExpectedFailures.none(), 5, true).run(keras, List.of(returned), null).get(0);
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.reason()).contains("0 final states; expected 1").contains("return_state=True");
        // a stateful case carries the states into the next call
        ConformanceCase stateful = new ConformanceCase("s", "test", List.of(
                new ConformanceCase.Step(CALL, EXPECTED, false, null, null),
                new ConformanceCase.Step(CALL, EXPECTED, false, null, null)));
        CaseResult s = new KitRunner(ABS_1E6, ExpectedFailures.none(), 5, true).run(keras, List.of(stateful), null).get(0);
        assertThat(s.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(s.reason()).contains("0 final states").contains("stateful");
    }

    @Test
    void hangingImplementationTimesOutAndTheRunGoesOn() {
        RnnImplementation hang = impl("hang", c -> {
            if (c.batch() == 1) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer(0.5, -0.25);
        });
        List<CaseResult> rs = new KitRunner(ABS_1E6, ExpectedFailures.none(), 1, true)
                .run(hang, List.of(theCase("a"), theCase("b")), null);
        assertThat(rs).hasSize(2);
        assertThat(rs).allSatisfy(r -> assertThat(r.reason()).contains("timed out"));
    }

    @Test
    void expectedFailureListTurnsFailIntoExpectedAndPassIntoUnexpected() {
        ExpectedFailures xf = ExpectedFailures.parse(List.of("# comment", "c* : known gate order bug"), "test");
        KitRunner runner = new KitRunner(ABS_1E6, xf, 5, true);
        CaseResult failed = runner.run(impl("wrong", c -> answer(0, 0)), List.of(theCase("c1")), null).get(0);
        assertThat(failed.outcome()).isEqualTo(Outcome.EXPECTED_FAIL);
        assertThat(failed.reason()).contains("known gate order bug");
        CaseResult passed = runner.run(impl("right", c -> answer(0.5, -0.25)), List.of(theCase("c2")), null).get(0);
        assertThat(passed.outcome()).isEqualTo(Outcome.UNEXPECTED_PASS);
        assertThat(passed.outcome().isBad()).isTrue();
    }

    @Test
    void incompleteRunSaysSoInEveryFormat(@TempDir Path dir) throws Exception {
        List<CaseResult> rs = new KitRunner(ABS_1E6, ExpectedFailures.none(), 5, true)
                .run(impl("right", c -> answer(0.5, -0.25)), List.of(theCase("a")), null);
        KitReport partial = new KitReport("t", "right", "synthetic", "all", 3, rs, List.of());
        assertThat(partial.success()).isFalse();
        assertThat(partial.toMarkdown()).contains("INCOMPLETE RUN: only 1 of 3");
        assertThat(partial.toHtml()).contains("INCOMPLETE RUN");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(partial.toJunitXml().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        KitReport full = new KitReport("t", "right", "synthetic", "all", 1, rs, List.of());
        assertThat(full.success()).isTrue();
        assertThat(full.toMarkdown()).doesNotContain("INCOMPLETE");
        List<Path> files = full.write(dir, "report", List.of("md", "html", "junit"));
        assertThat(files).hasSize(3).allSatisfy(p -> assertThat(Files.size(p)).isPositive());
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void junitXmlMarksFailuresErrorsAndSkips() throws Exception {
        List<CaseResult> rs = List.of(
                new CaseResult("p", "x", Outcome.PASS, "", List.of(), 0.1),
                new CaseResult("f", "x", Outcome.FAIL, "output <wrong> & \"bad\"", List.of(), 0.1),
                new CaseResult("e", "x", Outcome.ERROR, "threw", List.of(), 0.1),
                new CaseResult("u", "x", Outcome.UNSUPPORTED, "no masks", List.of(), 0.1));
        String xml = new KitReport("t", "x", "c", "all", 4, rs, List.of()).toJunitXml();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(4);
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("error").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("skipped").getLength()).isEqualTo(1);
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("4");
    }

    @Test
    void dtypeOfTheCallReachesTheCheck() {
        DType[] seen = new DType[1];
        QuantityCheck spy = (q, k, i, cs, s, e, g) -> {
            seen[0] = cs.steps().get(s).call().dtype();
            return ABS_1E6.compare(q, k, i, cs, s, e, g);
        };
        LayerCall f32 = CALL.withDtype(DType.FLOAT32);
        ConformanceCase c = new ConformanceCase("c", "test", List.of(new ConformanceCase.Step(f32, EXPECTED, false, null, null)));
        new KitRunner(spy, ExpectedFailures.none(), 5, true).run(impl("r", x -> answer(0.5, -0.25)), List.of(c), null);
        assertThat(seen[0]).isEqualTo(DType.FLOAT32);
    }
}
