package rnnkit.optimized.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs independent index ranges on a fixed number of threads. Work is split into contiguous chunks of
 * {@code [0, n)}; each index's computation must not depend on the split (no reduction across chunks), which is
 * what makes results bit-identical for every thread count.
 *
 * <p>Thread-safe: many callers may submit work at once. With one thread everything runs on the caller.
 *
 * <p>Implementation: {@code threads - 1} persistent daemon workers plus the calling thread, which always runs the
 * first chunk itself. A call hands each worker its chunk through a volatile field, so a steady stream of calls
 * allocates nothing (RNN layers issue one small product per time step; a thread pool's futures and queues would
 * cost an allocation and a few microseconds each). Workers spin briefly after a chunk (the next time step's product
 * usually follows within microseconds) and then park. One call at a time owns the workers: a call that finds them
 * busy (another caller, or a task nested inside a chunk) runs its whole range on its own thread, which gives the
 * same results because of the contract above, and cannot deadlock.
 */
public final class ParallelRunner implements AutoCloseable {

    /** A range task: processes indices [from, to). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /** The system property that sets {@link #SPINS}. */
    public static final String SPINS_PROPERTY = "rnnkit.parallel.spins";

    /**
     * Spin iterations (Thread.onSpinWait) before parking: 2048 are about 40 µs on the 2-core Xeon this was measured
     * on (onSpinWait 16–22 ns, CPU time). System property {@value #SPINS_PROPERTY} overrides it (a whole number, at least 1; anything else stops the
     * class from loading with that message), to
     * measure the barrier's cost against the time a step takes.
     */
    static final int SPINS = spins(System.getProperty(SPINS_PROPERTY));

    static int spins(String property) {
        if (property == null || property.isBlank()) {
            return 1 << 11;
        }
        int n;
        try {
            n = Integer.parseInt(property.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new IllegalArgumentException("system property " + SPINS_PROPERTY + " is '" + property
                    + "'; expected a whole number of spin iterations, at least 1");
        }
        return n;
    }

    private final int threads;
    private final Worker[] workers;
    /** Held by the one call that owns the workers; not reentrant, so a nested call on the owner runs inline. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread waiter;
    private volatile boolean closed;

    public ParallelRunner(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count is " + threads + "; expected at least 1");
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker("rnnkit-parallel-" + System.identityHashCode(this) + "-" + (w + 1));
            workers[w].start();
        }
    }

    /** One thread per available processor. */
    public static ParallelRunner forAvailableProcessors() {
        return new ParallelRunner(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * How many contiguous chunks {@link #forRange} splits [0, n) into when its workers are free (1: the whole range
     * runs on the caller). Callers use it to decide between splitting rows and splitting columns.
     */
    public int chunkCount(int n, int minChunk, int align) {
        if (n <= 0) {
            return 0;
        }
        int chunks = Math.max(1, Math.min(threads, n / Math.max(1, minChunk)));
        if (chunks == 1) {
            return 1;
        }
        int a = Math.max(1, align);
        int per = (n + chunks - 1) / chunks;
        per = ((per + a - 1) / a) * a;
        return (n + per - 1) / per;
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
        if (chunks == 1 || closed || !busy.compareAndSet(false, true)) {
            task.run(0, n);
            return;
        }
        try {
            int a = Math.max(1, align);
            int per = (n + chunks - 1) / chunks;
            per = ((per + a - 1) / a) * a;
            int workerChunks = 0;
            for (int from = per; from < n; from += per) {
                workerChunks++;
            }
            waiter = Thread.currentThread();
            pending.set(workerChunks);
            int w = 0;
            for (int from = per; from < n; from += per) {
                workers[w++].assign(task, from, Math.min(n, from + per));
            }
            Throwable failure = null;
            try {
                task.run(0, Math.min(n, per));
            } catch (Throwable e) {
                failure = e;
            }
            awaitWorkers();
            for (int i = 0; i < workerChunks; i++) {
                Throwable workerFailure = workers[i].takeFailure();
                failure = failure == null ? workerFailure : failure;
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
        } finally {
            waiter = null;
            busy.set(false);
        }
    }

    private void awaitWorkers() {
        for (int spin = 0; spin < SPINS; spin++) {
            if (pending.get() == 0) {
                return;
            }
            Thread.onSpinWait();
        }
        while (pending.get() != 0) {
            LockSupport.park(this);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker worker : workers) {
            LockSupport.unpark(worker);
        }
    }

    /** A persistent thread that runs one assigned chunk at a time. */
    private final class Worker extends Thread {
        private volatile RangeTask task;
        private int from;
        private int to;
        private Throwable failure;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        /** Called by the owning caller only while this worker is idle (pending was 0). */
        void assign(RangeTask newTask, int newFrom, int newTo) {
            from = newFrom;
            to = newTo;
            failure = null;
            task = newTask; // volatile write publishes from/to
            LockSupport.unpark(this);
        }

        Throwable takeFailure() {
            Throwable f = failure;
            failure = null;
            return f;
        }

        @Override
        public void run() {
            int idle = 0;
            while (!closed) {
                RangeTask current = task;
                if (current == null) {
                    if (idle++ < SPINS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                    continue;
                }
                idle = 0;
                try {
                    current.run(from, to);
                } catch (Throwable e) {
                    failure = e;
                }
                task = null;
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(waiter);
                }
            }
        }
    }
}
