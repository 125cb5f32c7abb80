package rnnkit.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.TrajectoryCase;
import rnnkit.kit.CaseResult;
import rnnkit.kit.ExpectedFailures;
import rnnkit.kit.GoldenCases;
import rnnkit.kit.KitRunner;
import rnnkit.kit.Outcome;
import rnnkit.kit.ToleranceCheck;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.optimized.OptimizedRnn;
import rnnkit.reference.ReferenceRnn;

/**
 * Every golden training trajectory (SGD and Adam runs recorded in Keras) replayed with the reference and with the
 * optimized path stays within its tolerance at every step; and the replay catches what single-call checks cannot: an
 * implementation that keeps the weights of its first call passes the golden case of the same model, but its
 * trajectory leaves Keras's after one step.
 */
class TrajectoryConformanceTest {
    private static GoldenCorpus corpus;
    private static OptimizedRnn optimized;

    @BeforeAll
    static void open() {
        corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        optimized = new OptimizedRnn(2);
    }

    @AfterAll
    static void close() {
        optimized.close();
    }

    @Test
    void referenceAndOptimizedReplayEveryKerasTrajectory() {
        assertThat(corpus.trajectoryNames()).as("golden trajectories").isNotEmpty();
        List<String> failures = new ArrayList<>();
        int steps = 0;
        for (String name : corpus.trajectoryNames()) {
            TrajectoryCase c = corpus.loadTrajectory(name);
            for (RnnImplementation impl : List.of(new ReferenceRnn(), optimized)) {
                TrajectoryCheck check = TrajectoryCheck.of(c, TrajectoryRun.replay(impl, c, c.dtype(), null));
                steps += check.losses().size();
                assertThat(check.weights()).as(name + " recorded steps").isNotEmpty();
                if (!check.pass()) {
                    failures.add(name + " " + impl.name() + ": loss " + check.worstLoss() + ", weights " + check.worstWeights());
                }
                System.out.printf(java.util.Locale.ROOT, "[trajectory] %s %s: worst loss %.2e/%.2e, weights %.2e/%.2e%n",
                        name, impl.name(), check.worstLoss().error(), check.worstLoss().tolerance(),
                        check.worstWeights().error(), check.worstWeights().tolerance());
            }
        }
        assertThat(failures).isEmpty();
        System.out.println("[trajectory] " + steps + " replayed steps compared with Keras");
    }

    /**
     * A stale-weights cache (the first call's weights reused for later calls of the same layer): invisible to the
     * golden single-call check of the MNIST model, caught by its trajectory.
     */
    @Test
    void aCacheOfStaleWeightsPassesTheSingleCallCaseButFailsTheTrajectory() {
        List<CaseResult> single = new KitRunner(new ToleranceCheck(), ExpectedFailures.none(), 600, true).run(
                new StaleWeights(optimized),
                List.of(GoldenCases.of(corpus.load("tutorial_models/mnist_lstm50_dense10_softmax__float64"))), null);
        assertThat(single.get(0).outcome()).as(single.get(0).detail()).isEqualTo(Outcome.PASS);
        for (String name : List.of("trajectories/mnist_lstm50_dense10_softmax_sgd__float64",
                "trajectories/mnist_lstm50_dense10_softmax_adam__float32")) {
            TrajectoryCase c = corpus.loadTrajectory(name);
            TrajectoryCheck check = TrajectoryCheck.of(c, TrajectoryRun.replay(new StaleWeights(optimized), c, c.dtype(), null));
            assertThat(check.pass()).as(name).isFalse();
            assertThat(check.losses().get(0).pass()).as(name + " step 1 (the first weights) passes").isTrue();
        }
    }

    /** Gradients off by one part in a million fail the float64 SGD trajectories (single steps hide it in float32). */
    @Test
    void gradientsOffByOnePartInAMillionFailFloat64Trajectories() {
        for (String name : corpus.trajectoryNames()) {
            if (!name.endsWith("sgd__float64")) {
                continue;
            }
            TrajectoryCase c = corpus.loadTrajectory(name);
            TrajectoryCheck check = TrajectoryCheck.of(c, TrajectoryRun.replay(new ScaledGradients(optimized, 1 + 1e-6),
                    c, c.dtype(), null));
            assertThat(check.pass()).as(name).isFalse();
        }
    }

    /** Remembers the weights of its first call per layer and computes every later call with them. */
    private record StaleWeights(RnnImplementation inner, Map<LayerSpec, List<Tensor>> cache) implements RnnImplementation {
        StaleWeights(RnnImplementation inner) {
            this(inner, new HashMap<>());
        }

        private LayerCall stale(LayerCall call) {
            return call.withWeights(cache.computeIfAbsent(call.layer(), l -> call.weights()));
        }

        @Override
        public String name() {
            return "stale-weights";
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            return inner.forward(stale(call));
        }

        @Override
        public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
            return inner.backward(stale(call), cotangent);
        }
    }

    /** Multiplies every weight gradient by a constant. */
    private record ScaledGradients(RnnImplementation inner, double factor) implements RnnImplementation {
        @Override
        public String name() {
            return "scaled-gradients";
        }

        @Override
        public LayerOutputs forward(LayerCall call) {
            return inner.forward(call);
        }

        @Override
        public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
            LayerGradients g = inner.backward(call, cotangent);
            List<Tensor> w = new ArrayList<>();
            for (Tensor t : g.weights()) {
                double[] d = t.data().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] *= factor;
                }
                w.add(Tensor.of(d, t.shape()));
            }
            return new LayerGradients(g.inputs(), w, g.initialStates());
        }
    }
}
