package rnnkit.model;

/** Thrown by an implementation for a call it cannot express: reported as "unsupported", not as "wrong". */
public class UnsupportedCaseException extends RuntimeException {
    public UnsupportedCaseException(String message) {
        super(message);
    }
}
