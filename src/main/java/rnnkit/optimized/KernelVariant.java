package rnnkit.optimized;

import rnnkit.model.CellSpec;
import rnnkit.model.CellVariant;
import rnnkit.model.DType;

/**
 * Every optimized cell kernel: one class per cell variant and precision. The kernel a call uses is chosen by
 * {@link #of}; tests enumerate this list (and the kernel source files) so that no kernel goes untested.
 * Each kernel runs forward and backward, every activation, masks, dropout masks, initial states; direction
 * (go_backwards) is handled by the layer reversing the sequence, so it is not a kernel variant.
 */
public enum KernelVariant {
    SIMPLE_RNN_FLOAT64(CellVariant.SIMPLE_RNN, DType.FLOAT64, "DoubleSimpleRnnKernel"),
    LSTM_FLOAT64(CellVariant.LSTM, DType.FLOAT64, "DoubleLstmKernel"),
    GRU_FLOAT64(CellVariant.GRU, DType.FLOAT64, "DoubleGruKernel"),
    GRU_RESET_BEFORE_FLOAT64(CellVariant.GRU_RESET_BEFORE, DType.FLOAT64, "DoubleGruResetBeforeKernel"),
    SIMPLE_RNN_FLOAT32(CellVariant.SIMPLE_RNN, DType.FLOAT32, "FloatSimpleRnnKernel"),
    LSTM_FLOAT32(CellVariant.LSTM, DType.FLOAT32, "FloatLstmKernel"),
    GRU_FLOAT32(CellVariant.GRU, DType.FLOAT32, "FloatGruKernel"),
    GRU_RESET_BEFORE_FLOAT32(CellVariant.GRU_RESET_BEFORE, DType.FLOAT32, "FloatGruResetBeforeKernel");

    private final CellVariant cell;
    private final DType dtype;
    private final String kernelClassName;

    KernelVariant(CellVariant cell, DType dtype, String kernelClassName) {
        this.cell = cell;
        this.dtype = dtype;
        this.kernelClassName = kernelClassName;
    }

    /** The cell equations this kernel computes. */
    public CellVariant cell() {
        return cell;
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
        CellVariant c = CellVariant.of(cell);
        for (KernelVariant v : values()) {
            if (v.cell == c && v.dtype == dtype) {
                return v;
            }
        }
        throw new IllegalArgumentException("no optimized kernel for " + cell.describe() + " in " + dtype.kerasName());
    }
}
