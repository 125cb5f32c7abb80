package rnnkit.optimized.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * Runs independent index ranges on a fixed number of threads. Work is split into contiguous chunks of
 * {@code [0, n)}; each index's computation must not depend on the split (no reduction across chunks), which is
 * what makes results bit-identical for every thread count.
 *
 * <p>Thread-safe: many callers may submit work at once. With one thread everything runs on the caller.
 */
public final class ParallelRunner implements AutoCloseable {

    /** A range task: processes indices [from, to). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    public ParallelRunner(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count is " + threads + "; expected at least 1");
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    /** One thread per available processor. */
    public static ParallelRunner forAvailableProcessors() {
        return new ParallelRunner(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Splits [0, n) into at most {@code threads} contiguous chunks of at least {@code minChunk} indices (chunk
     * starts are multiples of {@code align} so vector/tile boundaries stay put) and runs them, returning when all
     * are done. Exceptions from a chunk are rethrown.
     */
    public void forRange(int n, int minChunk, int align, RangeTask task) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.max(1, Math.min(threads, n / Math.max(1, minChunk)));
        if (chunks == 1 || pool == null) {
            task.run(0, n);
            return;
        }
        int per = chunkSize(n, chunks, align);
        List<Future<?>> futures = new ArrayList<>(chunks);
        for (int from = per; from < n; from += per) {
            int f = from;
            int t = Math.min(n, from + per);
            futures.add(pool.submit(() -> task.run(f, t)));
        }
        Throwable failure = null;
        try {
            task.run(0, Math.min(n, per));
        } catch (Throwable e) {
            failure = e;
        }
        for (Future<?> fu : futures) {
            try {
                fu.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * How many chunks {@link #forRange} splits [0, n) into with these arguments (1: the whole range runs on the
     * caller).
     */
    public int chunkCount(int n, int minChunk, int align) {
        if (n <= 0) {
            return 0;
        }
        int chunks = Math.max(1, Math.min(threads, n / Math.max(1, minChunk)));
        if (chunks == 1 || pool == null) {
            return 1;
        }
        int per = chunkSize(n, chunks, align);
        return (n + per - 1) / per;
    }

    private static int chunkSize(int n, int chunks, int align) {
        int a = Math.max(1, align);
        int per = (n + chunks - 1) / chunks;
        return ((per + a - 1) / a) * a;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
