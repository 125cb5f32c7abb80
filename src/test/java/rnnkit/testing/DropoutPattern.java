package rnnkit.testing;

/**
 * Which dropout a generated training call uses. Masks are explicit (rnnkit never draws them): values 0 or
 * 1/(1-rate), one per sequence, constant over time. Keras 3.15.1 draws one mask per gate block for LSTM/GRU
 * whenever recurrent_dropout != 0 ({@code implementation=1}); {@link #BOTH_SHARED} is the one-mask-for-all-gates
 * form the contract also accepts.
 */
public enum DropoutPattern {
    /** Inference call, no dropout. */
    NONE(0, 0, false),
    /** dropout only (one shared input mask). */
    INPUT(0.25, 0, false),
    /** recurrent_dropout only (per-gate recurrent masks for LSTM/GRU, as Keras draws them). */
    RECURRENT(0, 0.3, true),
    /** dropout and recurrent_dropout, one mask per gate block for LSTM/GRU, as Keras 3 draws them. */
    BOTH_PER_GATE(0.25, 0.3, true),
    /** dropout and recurrent_dropout, one mask shared by all gates. */
    BOTH_SHARED(0.25, 0.3, false);

    private final double inputRate;
    private final double recurrentRate;
    private final boolean perGate;

    DropoutPattern(double inputRate, double recurrentRate, boolean perGate) {
        this.inputRate = inputRate;
        this.recurrentRate = recurrentRate;
        this.perGate = perGate;
    }

    public double inputRate() {
        return inputRate;
    }

    public double recurrentRate() {
        return recurrentRate;
    }

    /** True if LSTM/GRU cells get one mask per gate block. */
    public boolean perGate() {
        return perGate;
    }
}
