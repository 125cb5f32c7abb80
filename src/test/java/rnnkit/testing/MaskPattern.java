package rnnkit.testing;

/** Shapes of sequence masks a generated case can have; the edge cases are where implementations disagree. */
public enum MaskPattern {
    /** No mask at all. */
    NONE,
    /** A mask that keeps every step (must equal no mask). */
    ALL_TRUE,
    /** Right padding: each row is real for a random prefix of length at least 1. */
    TRAILING_PADDING,
    /** Random holes anywhere; every row keeps at least one step. */
    HOLES,
    /** Holes, with step 0 masked in every row (Keras then outputs zeros there and keeps the initial state). */
    FIRST_STEP_MASKED,
    /** Holes, with one row masked at every step (its final state is the initial state, its last output zeros). */
    FULLY_MASKED_ROW;

    /** True if some row may have no real step before a masked one, i.e. Keras's zero "previous output" shows. */
    public boolean masksLeadingSteps() {
        return this == HOLES || this == FIRST_STEP_MASKED || this == FULLY_MASKED_ROW;
    }
}
