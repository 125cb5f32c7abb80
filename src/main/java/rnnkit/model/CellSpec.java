package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One recurrent cell, mirroring the Keras cell's {@code get_config()} (names and defaults of Keras 3.15.1).
 *
 * <p>Weights, in Keras {@code get_weights()} order, for input dimension d and k gate blocks:
 * {@code kernel (d, k·units)}, {@code recurrent_kernel (units, k·units)}, and when {@code use_bias}
 * {@code bias (k·units)}, or {@code (2, 3·units)} for a GRU with {@code reset_after} (row 0 input bias,
 * row 1 recurrent bias). {@code unit_forget_bias} only affects initialization in Keras; it is kept so configs
 * round-trip.
 *
 * @param dropout fraction of the inputs dropped in training (masks are given explicitly, see {@link CellDropoutMasks})
 * @param recurrentDropout fraction of the recurrent state dropped in training
 */
public record CellSpec(
        CellType type,
        int units,
        Activation activation,
        Activation recurrentActivation,
        boolean useBias,
        boolean resetAfter,
        boolean unitForgetBias,
        double dropout,
        double recurrentDropout) {

    public CellSpec {
        if (type == null) {
            throw new IllegalArgumentException("cell type is null; expected SimpleRNN, LSTM or GRU");
        }
        if (units <= 0) {
            throw new IllegalArgumentException(type.kerasName() + " units is " + units + "; expected a positive integer");
        }
        if (activation == null) {
            throw new IllegalArgumentException(type.kerasName() + " activation is null");
        }
        if (recurrentActivation == null) {
            throw new IllegalArgumentException(type.kerasName() + " recurrent_activation is null");
        }
        for (Activation a : new Activation[] {activation, recurrentActivation}) {
            if (!a.isElementwise()) {
                throw new IllegalArgumentException(type.kerasName() + " activation " + a.kerasName() + " acts on a whole"
                        + " vector (axis -1); rnnkit's recurrent cells take element-wise activations only (" + a.kerasName()
                        + " is supported in Dense and Activation layers)");
            }
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException(type.kerasName() + " dropout is " + dropout + "; expected a fraction in [0, 1]");
        }
        if (!(recurrentDropout >= 0 && recurrentDropout <= 1)) {
            throw new IllegalArgumentException(type.kerasName() + " recurrent_dropout is " + recurrentDropout
                    + "; expected a fraction in [0, 1]");
        }
        if ((long) units * type.gates() * units > MAX_WEIGHT_ELEMENTS) {
            throw new IllegalArgumentException(type.kerasName() + " units is " + units + "; at most " + maxUnits(type)
                    + ": the recurrent kernel (units, " + type.gates() + "·units) must fit in one Java array of at most "
                    + MAX_WEIGHT_ELEMENTS + " elements");
        }
        if (type != CellType.GRU && resetAfter) {
            throw new IllegalArgumentException("reset_after applies only to GRU, not " + type.kerasName());
        }
    }

    /** Largest number of elements of one weight array (the largest Java array of doubles). */
    public static final long MAX_WEIGHT_ELEMENTS = Integer.MAX_VALUE - 8L;

    /** Largest {@code units} a cell of this type can have: its recurrent kernel must fit in one array. */
    public static int maxUnits(CellType type) {
        return (int) Math.floor(Math.sqrt((double) MAX_WEIGHT_ELEMENTS / type.gates()));
    }

    /** SimpleRNN cell with Keras defaults (activation tanh, use_bias true). */
    public static CellSpec simpleRnn(int units) {
        return new CellSpec(CellType.SIMPLE_RNN, units, Activation.TANH, Activation.SIGMOID, true, false, false, 0, 0);
    }

    /** LSTM cell with Keras defaults (tanh, sigmoid, use_bias, unit_forget_bias). */
    public static CellSpec lstm(int units) {
        return new CellSpec(CellType.LSTM, units, Activation.TANH, Activation.SIGMOID, true, false, true, 0, 0);
    }

    /** GRU cell with Keras defaults (tanh, sigmoid, use_bias, reset_after true). */
    public static CellSpec gru(int units) {
        return new CellSpec(CellType.GRU, units, Activation.TANH, Activation.SIGMOID, true, true, false, 0, 0);
    }

    public CellSpec withActivation(Activation a) {
        return new CellSpec(type, units, a, recurrentActivation, useBias, resetAfter, unitForgetBias, dropout, recurrentDropout);
    }

    public CellSpec withRecurrentActivation(Activation a) {
        return new CellSpec(type, units, activation, a, useBias, resetAfter, unitForgetBias, dropout, recurrentDropout);
    }

    public CellSpec withUseBias(boolean b) {
        return new CellSpec(type, units, activation, recurrentActivation, b, resetAfter, unitForgetBias, dropout, recurrentDropout);
    }

    public CellSpec withResetAfter(boolean b) {
        return new CellSpec(type, units, activation, recurrentActivation, useBias, b, unitForgetBias, dropout, recurrentDropout);
    }

    public CellSpec withUnitForgetBias(boolean b) {
        return new CellSpec(type, units, activation, recurrentActivation, useBias, resetAfter, b, dropout, recurrentDropout);
    }

    public CellSpec withDropout(double inputRate, double recurrentRate) {
        return new CellSpec(type, units, activation, recurrentActivation, useBias, resetAfter, unitForgetBias, inputRate, recurrentRate);
    }

    /** k, the number of gate blocks. */
    public int gates() {
        return type.gates();
    }

    /** Size of each state: all states of a Keras cell have {@code units} columns. */
    public int stateCount() {
        return type.stateCount();
    }

    /**
     * How many dropout masks Keras 3.15.1 draws per sequence for this cell: LSTM and GRU switch to
     * {@code implementation=1} when {@code recurrent_dropout != 0}, which draws one mask per gate block
     * (4 or 3) for the inputs and for the state; otherwise one mask is drawn and shared by all gates.
     */
    public int dropoutMaskCount() {
        return type != CellType.SIMPLE_RNN && recurrentDropout != 0 ? gates() : 1;
    }

    /** The Keras weight names of this cell in get_weights() order. */
    public List<String> weightNames() {
        List<String> names = new ArrayList<>(List.of("kernel", "recurrent_kernel"));
        if (useBias) {
            names.add("bias");
        }
        return names;
    }

    /** Expected shapes of the cell's weights in get_weights() order, for input dimension {@code inputDim}. */
    public List<int[]> weightShapes(int inputDim) {
        int ku = gates() * units;
        List<int[]> shapes = new ArrayList<>();
        shapes.add(new int[] {inputDim, ku});
        shapes.add(new int[] {units, ku});
        if (useBias) {
            shapes.add(type == CellType.GRU && resetAfter ? new int[] {2, ku} : new int[] {ku});
        }
        return shapes;
    }

    /** Keras parameter count for input dimension d. */
    public long parameterCount(int inputDim) {
        long n = 0;
        for (int[] s : weightShapes(inputDim)) {
            n += Tensor.elementCount(s);
        }
        return n;
    }

    /** Human-readable description used in error messages, e.g. {@code LSTM(units=4)}. */
    public String describe() {
        return type.kerasName() + "(units=" + units + ")";
    }
}
