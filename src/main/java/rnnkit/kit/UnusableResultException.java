package rnnkit.kit;

/** The implementation's answer cannot be compared (missing, truncated, wrong dtype): an ERROR with this reason. */
public final class UnusableResultException extends RuntimeException {
    public UnusableResultException(String reason) {
        super(reason);
    }
}
