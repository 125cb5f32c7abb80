package rnnkit.optimized;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The working arrays of one call (pre-activations, states, tapes, gradients over all time steps), kept for the next
 * call of the same shape so that a steady stream of calls allocates no memory that grows with the sequence length.
 *
 * <p>A call takes its arrays in a fixed order; the i-th request of the next call gets the i-th array again if its
 * length is exactly the one asked for (otherwise a new array replaces it). Arrays are zero-filled, as new Java
 * arrays would be, unless the caller overwrites every element ({@link #floatsToOverwrite}, {@link #doublesToOverwrite}). Arrays from a
 * workspace must never leave the call: in float64, layer outputs of a forward call and input gradients are
 * copy-free views in the returned tensors, so they come from {@code DoublePrecision.resultBuffer} /
 * {@code gradientBuffer}, which allocate them new; float32 results are converted to new double arrays before they
 * leave, so {@code FloatPrecision} takes those buffers from the workspace too.
 *
 * <p>Not thread-safe: one call uses one workspace; concurrent calls take different ones from the {@link Pool}.
 */
final class Workspace {
    private final ArrayList<float[]> floats = new ArrayList<>();
    private final ArrayList<double[]> doubles = new ArrayList<>();
    private int nextFloat;
    private int nextDouble;
    private boolean resultsLeave = true;

    /** Whether this call returns its forward values (a forward call) or only gradients (a backward call). */
    boolean resultsLeaveTheCall() {
        return resultsLeave;
    }

    void setResultsLeaveTheCall(boolean b) {
        resultsLeave = b;
    }

    /** A zero-filled float array of exactly n elements. */
    float[] floats(int n) {
        float[] a;
        if (nextFloat < floats.size() && floats.get(nextFloat).length == n) {
            a = floats.get(nextFloat);
            Arrays.fill(a, 0f);
        } else {
            a = new float[n];
            if (nextFloat < floats.size()) {
                floats.set(nextFloat, a);
            } else {
                floats.add(a);
            }
        }
        nextFloat++;
        return a;
    }

    /** A float array of exactly n elements with arbitrary contents, for a caller that overwrites every element. */
    float[] floatsToOverwrite(int n) {
        if (nextFloat < floats.size() && floats.get(nextFloat).length == n) {
            return floats.get(nextFloat++);
        }
        return floats(n);
    }

    /** A double array of exactly n elements with arbitrary contents, for a caller that overwrites every element. */
    double[] doublesToOverwrite(int n) {
        if (nextDouble < doubles.size() && doubles.get(nextDouble).length == n) {
            return doubles.get(nextDouble++);
        }
        return doubles(n);
    }

    /** A zero-filled double array of exactly n elements. */
    double[] doubles(int n) {
        double[] a;
        if (nextDouble < doubles.size() && doubles.get(nextDouble).length == n) {
            a = doubles.get(nextDouble);
            Arrays.fill(a, 0.0);
        } else {
            a = new double[n];
            if (nextDouble < doubles.size()) {
                doubles.set(nextDouble, a);
            } else {
                doubles.add(a);
            }
        }
        nextDouble++;
        return a;
    }

    /** Starts a new call: the arrays are handed out again from the first. */
    void rewind() {
        nextFloat = 0;
        nextDouble = 0;
        resultsLeave = true;
    }

    /** Bytes held (for tests and diagnostics). */
    long retainedBytes() {
        long b = 0;
        for (float[] a : floats) {
            b += 4L * a.length;
        }
        for (double[] a : doubles) {
            b += 8L * a.length;
        }
        return b;
    }

    /**
     * The workspaces of one model instance, one per concurrent call. Workspaces that together hold more than
     * {@link #MAX_RETAINED_BYTES} are not kept (a one-off huge call does not pin its memory).
     */
    static final class Pool {
        static final long MAX_RETAINED_BYTES = 1L << 30;
        private final ConcurrentLinkedQueue<Workspace> free = new ConcurrentLinkedQueue<>();

        Workspace take() {
            Workspace ws = free.poll();
            if (ws == null) {
                ws = new Workspace();
            }
            ws.rewind();
            return ws;
        }

        void give(Workspace ws) {
            if (ws.retainedBytes() <= MAX_RETAINED_BYTES) {
                free.offer(ws);
            }
        }

        void clear() {
            free.clear();
        }
    }
}
