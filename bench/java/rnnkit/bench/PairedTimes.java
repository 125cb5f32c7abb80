package rnnkit.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What {@code pairedForward} measures besides the time per invocation: the summed wall time of the prepared
 * layer's timed forward calls and of ONNX Runtime's timed {@code session.run} calls in the iteration, and how many
 * timed calls each made ({@code pairs}). JMH
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

    @Setup(Level.Iteration)
    public void reset() {
        preparedNanos = 0;
        onnxRuntimeNanos = 0;
        pairs = 0;
    }

    /** One invocation: {@code calls} timed calls of each contestant, summed. */
    void add(long prepared, long onnxRuntime, int calls) {
        preparedNanos += prepared;
        onnxRuntimeNanos += onnxRuntime;
        pairs += calls;
    }

    /**
     * The pause of {@code LayerCallContestant.PAIR_PAUSE_NANOS} in milliseconds from its system property's value
     * (null or blank: 100); here, away from that class's static initializer, so a bad value is reported as itself.
     */
    static long pairPauseMillis(String property) {
        if (property == null || property.isBlank()) {
            return 100;
        }
        try {
            long ms = Long.parseLong(property.trim());
            if (ms >= 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + LayerCallContestant.PAIR_PAUSE_PROPERTY + " is '"
                + property + "'; expected a whole number of milliseconds, 0 or more");
    }
}
