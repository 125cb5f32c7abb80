package rnnkit.optimized;

import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;

/**
 * Every optimized cell kernel: one class per cell equation set and precision. The kernel a call uses is chosen by
 * {@link #of}; tests enumerate this list (and the kernel source files) so that no kernel goes untested.
 * Each kernel runs forward and backward, every activation, masks, dropout masks, initial states; direction
 * (go_backwards) is handled by the layer reversing the sequence, so it is not a kernel variant.
 */
public enum KernelVariant {
    SIMPLE_RNN_FLOAT64(CellType.SIMPLE_RNN, false, DType.FLOAT64, "DoubleSimpleRnnKernel"),
    LSTM_FLOAT64(CellType.LSTM, false, DType.FLOAT64, "DoubleLstmKernel"),
    GRU_RESET_AFTER_FLOAT64(CellType.GRU, true, DType.FLOAT64, "DoubleGruResetAfterKernel"),
    GRU_RESET_BEFORE_FLOAT64(CellType.GRU, false, DType.FLOAT64, "DoubleGruResetBeforeKernel"),
    SIMPLE_RNN_FLOAT32(CellType.SIMPLE_RNN, false, DType.FLOAT32, "FloatSimpleRnnKernel"),
    LSTM_FLOAT32(CellType.LSTM, false, DType.FLOAT32, "FloatLstmKernel"),
    GRU_RESET_AFTER_FLOAT32(CellType.GRU, true, DType.FLOAT32, "FloatGruResetAfterKernel"),
    GRU_RESET_BEFORE_FLOAT32(CellType.GRU, false, DType.FLOAT32, "FloatGruResetBeforeKernel");

    private final CellType cellType;
    private final boolean resetAfter;
    private final DType dtype;
    private final String kernelClassName;

    KernelVariant(CellType cellType, boolean resetAfter, DType dtype, String kernelClassName) {
        this.cellType = cellType;
        this.resetAfter = resetAfter;
        this.dtype = dtype;
        this.kernelClassName = kernelClassName;
    }

    public CellType cellType() {
        return cellType;
    }

    /** GRU reset_after (false for the other cells). */
    public boolean resetAfter() {
        return resetAfter;
    }

    public DType dtype() {
        return dtype;
    }

    /** Simple name of the class implementing this variant (in package rnnkit.optimized). */
    public String kernelClassName() {
        return kernelClassName;
    }

    /** The variant that runs {@code cell} in {@code dtype}. */
    public static KernelVariant of(CellSpec cell, DType dtype) {
        for (KernelVariant v : values()) {
            if (v.cellType == cell.type() && v.resetAfter == (cell.type() == CellType.GRU && cell.resetAfter())
                    && v.dtype == dtype) {
                return v;
            }
        }
        throw new IllegalArgumentException("no optimized kernel for " + cell.describe() + " in " + dtype.kerasName());
    }
}
