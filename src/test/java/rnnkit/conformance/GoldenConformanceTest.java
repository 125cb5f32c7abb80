package rnnkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rnnkit.conformance.ConformanceRunner.CaseResult;
import rnnkit.conformance.ConformanceRunner.ImplementationResult;
import rnnkit.conformance.ConformanceRunner.Status;
import rnnkit.golden.GoldenCase;
import rnnkit.golden.GoldenCorpus;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.optimized.OptimizedRnn;
import rnnkit.reference.ReferenceRnn;

/**
 * Runs the reference and the optimized implementation on every golden case (both dtypes), writes
 * reports/conformance.md and .html with one column per implementation, and fails if any case does not conform.
 */
class GoldenConformanceTest {
    private static GoldenCorpus corpus;
    private static List<GoldenCase> cases;

    static List<RnnImplementation> implementations() {
        return List.of(new ReferenceRnn(), new OptimizedRnn(2));
    }

    private static Path reportDir() {
        return Path.of(System.getProperty("rnnkit.project.dir", ".")).resolve("reports");
    }

    @BeforeAll
    static void loadCorpus() throws IOException {
        try {
            corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
            cases = corpus.loadAll();
        } catch (RuntimeException e) {
            // Never leave the previous (complete-looking) report in place when the corpus cannot be trusted.
            ConformanceReport.aborted("the golden corpus could not be loaded: " + e.getMessage()).write(reportDir());
            throw e;
        }
    }

    @Test
    void everyImplementationConformsToEveryGoldenCaseAndTheReportSaysSo() throws IOException {
        ConformanceRunner runner = new ConformanceRunner(implementations());
        List<CaseResult> results = new ArrayList<>();
        try {
            for (GoldenCase c : cases) {
                results.add(runner.run(c));
            }
        } catch (RuntimeException | Error e) {
            ConformanceReport.aborted("the run stopped after " + results.size() + " cases: " + e).write(reportDir());
            throw e;
        }
        ConformanceReport report = new ConformanceReport(corpus.versions(),
                implementations().stream().map(RnnImplementation::name).toList(), results);
        report.write(reportDir());
        List<String> failures = new ArrayList<>();
        for (CaseResult r : results) {
            for (ImplementationResult ir : r.implementations()) {
                if (ir.status() != Status.PASS) {
                    failures.add(r.goldenCase().name() + " " + ir);
                }
            }
        }
        assertThat(results).as("every case of corpus.json was run").hasSize(corpus.caseNames().size());
        assertThat(failures).as("non-conforming case runs (see reports/conformance.md)").isEmpty();
        assertThat(report.passed()).isTrue();
        // Rendering is a pure function of the results: the committed report does not churn.
        assertThat(new ConformanceReport(corpus.versions(),
                implementations().stream().map(RnnImplementation::name).toList(), results).markdown())
                .isEqualTo(report.markdown());
    }

    /**
     * The tolerances bite: a reference whose outputs and gradients are off by a relative 1e-9 (far below float32
     * resolution, far above float64 rounding) fails every float64 case and passes the float32 ones.
     */
    @Test
    void aPerturbationOfOneInABillionFailsFloat64CasesOnly() {
        RnnImplementation perturbed = new ScaledImplementation(new ReferenceRnn(), 1 + 1e-9);
        ConformanceRunner runner = new ConformanceRunner(List.of(new ReferenceRnn(), perturbed));
        List<GoldenCase> sample = cases.stream().filter(c -> c.suite().equals("lstm") || c.suite().equals("tutorial"))
                .collect(Collectors.toList());
        assertThat(sample).isNotEmpty();
        for (GoldenCase c : sample) {
            CaseResult r = runner.run(c);
            assertThat(r.implementations().get(0).status()).as(c.name()).isEqualTo(Status.PASS);
            Status expected = c.dtype() == DType.FLOAT64 ? Status.FAIL : Status.PASS;
            assertThat(r.implementations().get(1).status()).as(c.name()).isEqualTo(expected);
        }
    }

    /** Multiplies every output, state and gradient of another implementation by a constant. */
    private record ScaledImplementation(RnnImplementation inner, double factor) implements RnnImplementation {
        @Override
        public String name() {
            return inner.name() + " x" + factor;
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
