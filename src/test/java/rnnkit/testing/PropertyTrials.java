package rnnkit.testing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Counts how many examples the QuickTheories properties really ran (QuickTheories itself does not report it), so
 * the suite can state the number. Wrap each property body with {@link #counted(Consumer)}.
 */
public final class PropertyTrials {
    private static final AtomicLong TOTAL = new AtomicLong();

    private PropertyTrials() {
    }

    /** The property body, counting each example it is run on (shrinking re-runs included). */
    public static <T> Consumer<T> counted(Consumer<T> property) {
        return example -> {
            TOTAL.incrementAndGet();
            property.accept(example);
        };
    }

    /** Two-argument form of {@link #counted(Consumer)}. */
    public static <A, B> java.util.function.BiConsumer<A, B> counted(java.util.function.BiConsumer<A, B> property) {
        return (a, b) -> {
            TOTAL.incrementAndGet();
            property.accept(a, b);
        };
    }

    /** Examples run so far in this JVM, over all property classes. */
    public static long total() {
        return TOTAL.get();
    }

    /** A line for the test log, e.g. from an {@code @AfterAll}. */
    public static String report(String suite, long before) {
        return "[property trials] " + suite + ": " + (total() - before) + " examples run; " + total()
                + " in this JVM so far";
    }
}
