package rnnkit.model;

/** The three Keras recurrent cells and the number k of gate blocks in their weight matrices. */
public enum CellType {
    SIMPLE_RNN("SimpleRNN", 1, 1),
    LSTM("LSTM", 4, 2),
    GRU("GRU", 3, 1);

    private final String kerasName;
    private final int gates;
    private final int stateCount;

    CellType(String kerasName, int gates, int stateCount) {
        this.kerasName = kerasName;
        this.gates = gates;
        this.stateCount = stateCount;
    }

    /** Keras layer class name (the cell class is this name + "Cell"). */
    public String kerasName() {
        return kerasName;
    }

    /** k: gate blocks of width units in kernel, recurrent_kernel and bias (SimpleRNN 1, LSTM 4 (i,f,c,o), GRU 3 (z,r,h)). */
    public int gates() {
        return gates;
    }

    /** States per cell: h for SimpleRNN and GRU; h and c for LSTM. */
    public int stateCount() {
        return stateCount;
    }

    public static CellType fromKeras(String name) {
        for (CellType t : values()) {
            if (t.kerasName.equals(name) || (t.kerasName + "Cell").equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown recurrent layer '" + name + "'; expected SimpleRNN, LSTM or GRU");
    }
}
