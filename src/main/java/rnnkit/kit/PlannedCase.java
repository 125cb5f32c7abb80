package rnnkit.kit;

import java.util.function.Supplier;

/**
 * A case a run will take, loaded only when its turn comes, inside the runner's per-case guard: a case that cannot
 * be read (corrupt, truncated, a FIFO, too large) becomes one ERROR with the reason, and the other cases still run.
 *
 * @param name the case name, known before loading (it names the ERROR if loading fails)
 * @param loader reads, validates and returns the case; may throw anything
 */
public record PlannedCase(String name, Supplier<ConformanceCase> loader) {
    public PlannedCase {
        if (name == null || name.isBlank() || loader == null) {
            throw new IllegalArgumentException("a planned case needs a name and a loader");
        }
    }

    /** A case already in memory. */
    public static PlannedCase of(ConformanceCase c) {
        return new PlannedCase(c.name(), () -> c);
    }
}
