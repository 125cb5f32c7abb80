package rnnkit.kit;

/**
 * The worst disagreement found in one compared quantity (an output, a state, a gradient) of one case.
 *
 * @param quantity e.g. "output", "state[1]", "grad/kernel"
 * @param maxAbsError max |got - expected|
 * @param maxRelError max |got - expected| / max(|expected|, floor), floor given by the tolerance
 * @param tolerance the bound the error was held to, as a readable string
 * @param withinTolerance whether it passed
 */
public record QuantityError(String quantity, double maxAbsError, double maxRelError, String tolerance,
                            boolean withinTolerance) {
}
