package rnnkit.optimized.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelRunnerTest {

    @Test
    void everyIndexRunsExactlyOnceInAlignedChunksAtMostThreadsMany() {
        for (int threads : new int[] {1, 2, 3, 7}) {
            try (ParallelRunner runner = new ParallelRunner(threads)) {
                for (int n : new int[] {1, 5, 64, 1000}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    ConcurrentLinkedQueue<int[]> chunks = new ConcurrentLinkedQueue<>();
                    runner.forRange(n, 1, 4, (from, to) -> {
                        chunks.add(new int[] {from, to});
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertThat(hits.get(i)).as("index %d of %d, %d threads", i, n, threads).isEqualTo(1);
                    }
                    assertThat(chunks.size()).isLessThanOrEqualTo(threads);
                    assertThat(chunks).allSatisfy(c -> assertThat(c[0] % 4).isZero());
                }
            }
        }
    }

    @Test
    void workersReallyRunChunksOnOtherThreads() {
        try (ParallelRunner runner = new ParallelRunner(3)) {
            ConcurrentLinkedQueue<Thread> seen = new ConcurrentLinkedQueue<>();
            runner.forRange(3, 1, 1, (from, to) -> seen.add(Thread.currentThread()));
            assertThat(seen).hasSize(3).doesNotHaveDuplicates().contains(Thread.currentThread());
        }
    }

    @Test
    void exceptionFromAWorkerChunkIsRethrownAndRunnerStaysUsable() {
        try (ParallelRunner runner = new ParallelRunner(2)) {
            assertThatThrownBy(() -> runner.forRange(10, 1, 1, (from, to) -> {
                if (from > 0) {
                    throw new IllegalStateException("chunk " + from);
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("chunk 5");
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            runner.forRange(10, 1, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            assertThat(hits.toString()).isEqualTo("[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]");
        }
    }

    @Test
    void nestedAndConcurrentCallsCompleteWithoutDeadlock() throws Exception {
        try (ParallelRunner runner = new ParallelRunner(2)) {
            ExecutorService callers = Executors.newFixedThreadPool(6);
            try {
                List<Future<Integer>> sums = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    sums.add(callers.submit(() -> {
                        AtomicIntegerArray hits = new AtomicIntegerArray(64);
                        for (int rep = 0; rep < 200; rep++) {
                            runner.forRange(8, 1, 1, (from, to) -> runner.forRange(8, 1, 1, (f2, t2) -> {
                                for (int i = from; i < to; i++) {
                                    for (int j = f2; j < t2; j++) {
                                        hits.incrementAndGet(i * 8 + j);
                                    }
                                }
                            }));
                        }
                        int total = 0;
                        for (int i = 0; i < 64; i++) {
                            total += hits.get(i);
                        }
                        return total;
                    }));
                }
                for (Future<Integer> sum : sums) {
                    assertThat(sum.get()).isEqualTo(64 * 200);
                }
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void threadCountBelowOneIsRejected() {
        assertThatThrownBy(() -> new ParallelRunner(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("thread count is 0; expected at least 1");
    }

    @Test
    void theSpinCountPropertyIsAWholeNumberOfAtLeastOneOrAClearError() {
        assertThat(ParallelRunner.spins(null)).isEqualTo(2048);
        assertThat(ParallelRunner.spins(" ")).isEqualTo(2048);
        assertThat(ParallelRunner.spins("16384")).isEqualTo(16384);
        assertThat(ParallelRunner.spins("1")).isEqualTo(1);
        for (String bad : new String[] {"many", "0", "-5", "1.5"}) {
            assertThatThrownBy(() -> ParallelRunner.spins(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ParallelRunner.SPINS_PROPERTY + " is '" + bad + "'; expected a whole number");
        }
    }
}
