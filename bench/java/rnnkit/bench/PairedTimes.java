package rnnkit.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What {@code pairedForward} measures besides the time per pair: the summed wall time of the prepared layer's
 * forward calls and of ONNX Runtime's {@code session.run} calls in the iteration, and how many pairs ran. JMH
 * writes each field per iteration as a secondary metric ({@code secondaryMetrics.<field>.rawData}, per fork per
 * iteration); the report divides {@link #onnxRuntimeNanos} by {@link #preparedNanos} per iteration. Reset at the
 * start of every iteration, warm-up included.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairedTimes {
    /** Nanoseconds spent in the prepared layer's forward calls this iteration. */
    public long preparedNanos;
    /** Nanoseconds spent in ONNX Runtime's {@code session.run} calls this iteration. */
    public long onnxRuntimeNanos;
    /** Pairs (one timed call of each) this iteration. */
    public long pairs;
    /** Invocations this iteration (each a block of calls of each contestant). */
    long invocations;

    @Setup(Level.Iteration)
    public void reset() {
        preparedNanos = 0;
        onnxRuntimeNanos = 0;
        pairs = 0;
        invocations = 0;
    }

    /** Which contestant goes first in the next invocation: the prepared layer on even ones, ONNX Runtime on odd ones. */
    boolean preparedFirst() {
        return invocations % 2 == 0;
    }

    /** One invocation: {@code calls} timed calls of each contestant, summed. */
    void add(long prepared, long onnxRuntime, int calls) {
        preparedNanos += prepared;
        onnxRuntimeNanos += onnxRuntime;
        pairs += calls;
        invocations++;
    }
}
