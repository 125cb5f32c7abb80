package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The four cell equation sets, each with its one name. The name is the golden corpus's suite name
 * ({@code golden/simple_rnn}, {@code golden/lstm}, {@code golden/gru}, {@code golden/gru_reset_before}) and the
 * name the kernels, benchmarks, random cases and reports use. The GRU with Keras's default {@code reset_after=True}
 * is plain {@code gru}; Keras's {@code GRU(reset_after=False)} is {@code gru_reset_before}.
 */
public enum CellVariant {
    SIMPLE_RNN("simple_rnn", CellType.SIMPLE_RNN, false),
    LSTM("lstm", CellType.LSTM, false),
    GRU("gru", CellType.GRU, true),
    GRU_RESET_BEFORE("gru_reset_before", CellType.GRU, false);

    private final String label;
    private final CellType type;
    private final boolean resetAfter;

    CellVariant(String label, CellType type, boolean resetAfter) {
        this.label = label;
        this.type = type;
        this.resetAfter = resetAfter;
    }

    /** The variant's name: {@code simple_rnn}, {@code lstm}, {@code gru} or {@code gru_reset_before}. */
    public String label() {
        return label;
    }

    public CellType type() {
        return type;
    }

    /** Keras {@code reset_after} (false for the cells other than GRU). */
    public boolean resetAfter() {
        return resetAfter;
    }

    /** A cell of this variant with Keras's defaults otherwise. */
    public CellSpec spec(int units) {
        return switch (this) {
            case SIMPLE_RNN -> CellSpec.simpleRnn(units);
            case LSTM -> CellSpec.lstm(units);
            case GRU -> CellSpec.gru(units);
            case GRU_RESET_BEFORE -> CellSpec.gru(units).withResetAfter(false);
        };
    }

    /** The variant whose equations {@code cell} uses. */
    public static CellVariant of(CellSpec cell) {
        return switch (cell.type()) {
            case SIMPLE_RNN -> SIMPLE_RNN;
            case LSTM -> LSTM;
            case GRU -> cell.resetAfter() ? GRU : GRU_RESET_BEFORE;
        };
    }

    /** The variant named {@code label}. */
    public static CellVariant fromLabel(String label) {
        List<String> known = new ArrayList<>();
        for (CellVariant v : values()) {
            if (v.label.equals(label)) {
                return v;
            }
            known.add(v.label);
        }
        throw new IllegalArgumentException("unknown cell variant '" + label + "'; expected one of " + known);
    }
}
