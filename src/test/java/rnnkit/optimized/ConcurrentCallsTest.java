package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.MergeMode;
import rnnkit.model.Tensor;
import rnnkit.testing.CaseRecipe;
import rnnkit.testing.DropoutPattern;
import rnnkit.testing.LayerKind;
import rnnkit.testing.MaskPattern;
import rnnkit.testing.RnnCase;

/**
 * One OptimizedRnn used by many threads at once gives exactly the results of sequential use: calls share no
 * mutable state (workspaces are per call; the thread pool and GEMM are thread-safe).
 */
class ConcurrentCallsTest {
    private static final int CALLER_THREADS = 8;
    private static final int ROUNDS = 3;

    private static List<RnnCase> cases() {
        List<RnnCase> out = new ArrayList<>();
        long seed = 1;
        for (LayerKind kind : LayerKind.values()) {
            for (CellType type : CellType.values()) {
                CaseRecipe r = CaseRecipe.of(type, seed++).withKind(kind).withSizes(11, 5, 6, 5)
                        .withReturnSequences(seed % 2 == 0).withMask(MaskPattern.HOLES)
                        .withDropout(seed % 3 == 0 ? DropoutPattern.BOTH_PER_GATE : DropoutPattern.NONE)
                        .withInitialStates(kind == LayerKind.SINGLE || kind == LayerKind.BIDIRECTIONAL);
                if (kind == LayerKind.BIDIRECTIONAL) {
                    r = r.withMergeMode(MergeMode.values()[(int) (seed % MergeMode.values().length)]);
                }
                out.add(r.build());
            }
        }
        return out;
    }

    @Test
    void manyThreadsUsingOneInstanceGetTheSequentialResults() throws Exception {
        List<RnnCase> cases = cases();
        try (OptimizedRnn shared = new OptimizedRnn(3)) {
            List<List<Tensor>> expected = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                RnnCase c = cases.get(i);
                expected.add(ThreadCountInvarianceTest.results(shared, dtyped(c, i), c.cotangent()));
            }
            ExecutorService callers = Executors.newFixedThreadPool(CALLER_THREADS);
            try {
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < CALLER_THREADS; t++) {
                    final long order = t;
                    futures.add(callers.submit(() -> {
                        int done = 0;
                        List<Integer> indices = new ArrayList<>();
                        for (int i = 0; i < cases.size(); i++) {
                            indices.add(i);
                        }
                        for (int round = 0; round < ROUNDS; round++) {
                            Collections.shuffle(indices, new Random(order * 31 + round));
                            for (int i : indices) {
                                RnnCase c = cases.get(i);
                                List<Tensor> got = ThreadCountInvarianceTest.results(shared, dtyped(c, i), c.cotangent());
                                if (!got.equals(expected.get(i))) {
                                    throw new AssertionError("concurrent call differs from sequential for " + c);
                                }
                                done++;
                            }
                        }
                        return done;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : futures) {
                    total += f.get();
                }
                assertThat(total).isEqualTo(CALLER_THREADS * ROUNDS * cases.size());
            } finally {
                callers.shutdown();
            }
        }
    }

    /** Alternate dtypes so both precisions run concurrently. */
    private static LayerCall dtyped(RnnCase c, int i) {
        return c.call().withDtype(i % 2 == 0 ? DType.FLOAT64 : DType.FLOAT32);
    }
}
