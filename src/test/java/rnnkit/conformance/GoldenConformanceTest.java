package rnnkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rnnkit.golden.GoldenCorpus;
import rnnkit.kit.CaseResult;
import rnnkit.kit.CaseSelection;
import rnnkit.kit.ConformanceCase;
import rnnkit.kit.ExpectedFailures;
import rnnkit.kit.GoldenCases;
import rnnkit.kit.KitReport;
import rnnkit.kit.KitRunner;
import rnnkit.kit.Outcome;
import rnnkit.kit.ToleranceCheck;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.optimized.OptimizedRnn;
import rnnkit.reference.ReferenceRnn;

/**
 * Runs the reference and the optimized implementation on every golden case (both dtypes) through the kit's runner,
 * writes reports/conformance.md and .html (with its charts) through the kit's one report pipeline, the two
 * implementations side by side, and fails if any case does not conform.
 */
class GoldenConformanceTest {
    static final String REPORT = "conformance";
    private static GoldenCorpus corpus;
    private static List<ConformanceCase> cases;

    static List<RnnImplementation> implementations() {
        return List.of(new ReferenceRnn(), new OptimizedRnn(2));
    }

    private static Path reportDir() {
        return Path.of(System.getProperty("rnnkit.project.dir", ".")).resolve("reports");
    }

    static KitReport report(List<CaseResult> results, int planned) {
        Map<String, String> v = corpus == null ? Map.of() : corpus.versions();
        Map<String, String> props = new LinkedHashMap<>();
        v.forEach((k, val) -> props.put(k + ".version", val));
        String corpusText = corpus == null ? "golden corpus (could not be loaded)"
                : "the committed golden corpus `golden/` (" + corpus.caseNames().size() + " cases made by Keras "
                + v.get("keras") + ", TensorFlow " + v.get("tensorflow") + ", NumPy " + v.get("numpy") + ", Python "
                + v.get("python") + "; see golden/README.md)";
        return new KitReport("Conformance to the golden Keras corpus", "reference, optimized", corpusText,
                "all cases, gradients included; written by `mvn verify` (rnnkit.conformance.GoldenConformanceTest)",
                planned, results, List.of(), List.of(), Map.of(), props, null, null);
    }

    /** Writes the Markdown and HTML set (and charts); the committed files are exactly this. */
    static void write(KitReport r) {
        r.write(reportDir(), REPORT, List.of("md", "html"));
    }

    @BeforeAll
    static void loadCorpus() {
        try {
            corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
            cases = GoldenCases.load(corpus, CaseSelection.of(List.of(), List.of(), null));
        } catch (RuntimeException e) {
            // Never leave the previous (complete-looking) report in place when the corpus cannot be trusted.
            write(report(List.of(), 1));
            throw e;
        }
    }

    /** Each case through every implementation, results interleaved case by case (the report's side-by-side rows). */
    static List<CaseResult> runAll(List<RnnImplementation> impls, List<ConformanceCase> cs) {
        KitRunner runner = new KitRunner(new ToleranceCheck(), ExpectedFailures.none(), 600, true);
        List<List<CaseResult>> per = new ArrayList<>();
        for (RnnImplementation impl : impls) {
            per.add(runner.run(impl, cs, null));
        }
        List<CaseResult> out = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            for (List<CaseResult> p : per) {
                if (i < p.size()) {
                    out.add(p.get(i));
                }
            }
        }
        return out;
    }

    @Test
    void everyImplementationConformsToEveryGoldenCaseAndTheReportSaysSo() {
        List<RnnImplementation> impls = implementations();
        List<CaseResult> results = runAll(impls, cases);
        KitReport report = report(results, cases.size() * impls.size());
        write(report);
        List<String> failures = results.stream().filter(r -> r.outcome() != Outcome.PASS)
                .map(r -> r.caseName() + " [" + r.implementation() + "]: " + r.outcome().label() + ": " + r.detail())
                .collect(Collectors.toList());
        assertThat(cases).as("every case of corpus.json was run").hasSize(corpus.caseNames().size());
        assertThat(failures).as("non-conforming case runs (see reports/conformance.md)").isEmpty();
        assertThat(report.verdictText()).isEqualTo("PASS");
        assertThat(results).allSatisfy(r -> assertThat(r.gradientsChecked()).as(r.caseName()).isTrue());
        // Rendering is a pure function of the results: the committed report does not churn.
        assertThat(report(results, cases.size() * impls.size()).toMarkdown()).isEqualTo(report.toMarkdown());
    }

    /**
     * The tolerances bite: a reference whose outputs and gradients are off by a relative 1e-9 (far below float32
     * resolution, far above float64 rounding) fails every float64 case and passes the float32 ones.
     */
    @Test
    void aPerturbationOfOneInABillionFailsFloat64CasesOnly() {
        List<ConformanceCase> sample = cases.stream().filter(c -> c.name().startsWith("lstm/") || c.name().startsWith("tutorial/"))
                .collect(Collectors.toList());
        assertThat(sample).isNotEmpty();
        List<CaseResult> results = runAll(List.of(new ReferenceRnn(), new ScaledImplementation(new ReferenceRnn(), 1 + 1e-9)),
                sample);
        for (int i = 0; i < sample.size(); i++) {
            ConformanceCase c = sample.get(i);
            assertThat(results.get(2 * i).outcome()).as(c.name()).isEqualTo(Outcome.PASS);
            Outcome expected = c.tags().dtype() == DType.FLOAT64 ? Outcome.FAIL : Outcome.PASS;
            assertThat(results.get(2 * i + 1).outcome()).as(c.name()).isEqualTo(expected);
        }
    }

    /** Multiplies every output, state and gradient of another implementation by a constant. */
    private record ScaledImplementation(RnnImplementation inner, double factor) implements RnnImplementation {
        @Override
        public String name() {
            return inner.name() + "-x" + factor;
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            LayerOutputs o = inner.forward(call);
            return new LayerOutputs(scale(o.outputs()), scale(o.states()));
        }

        @Override
        public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
            LayerGradients g = inner.backward(call, cotangent);
            return new LayerGradients(g.inputs() == null ? null : scale(List.of(g.inputs())).get(0),
                    scale(g.weights()), scale(g.initialStates()));
        }

        private List<Tensor> scale(List<Tensor> ts) {
            List<Tensor> out = new ArrayList<>();
            for (Tensor t : ts) {
                double[] d = t.data().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] *= factor;
                }
                out.add(Tensor.of(d, t.shape()));
            }
            return out;
        }
    }
}
