package rnnkit.golden;

import java.util.Arrays;

import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * One array read from a {@code .npy} file: its dtype descriptor ({@code <f4}, {@code <f8}, {@code |b1},
 * {@code <i4}, {@code <i8}), its shape and its values widened to double (exact for every allowed dtype: floats
 * widen exactly, booleans are 0/1, integers are checked to lie within ±2^53 when read).
 */
public record NpyArray(String descr, int[] shape, double[] values) {

    public NpyArray {
        shape = shape.clone();
        if (Tensor.elementCount(shape) != values.length) {
            throw new IllegalArgumentException("npy array of shape " + Arrays.toString(shape) + " needs "
                    + Tensor.elementCount(shape) + " values, got " + values.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public boolean isBoolean() {
        return descr.equals(NpyReader.BOOL);
    }

    public boolean isFloat() {
        return descr.equals(NpyReader.FLOAT32) || descr.equals(NpyReader.FLOAT64);
    }

    /** The values as a tensor (row-major, C order as stored). */
    public Tensor toTensor() {
        return Tensor.of(values.clone(), shape);
    }

    /** A (batch, time) boolean array as a sequence mask. */
    public SequenceMask toMask() {
        if (!isBoolean() || shape.length != 2) {
            throw new IllegalArgumentException("a mask must be a 2-D '|b1' array (batch, time); got '" + descr
                    + "' of shape " + Arrays.toString(shape));
        }
        boolean[][] m = new boolean[shape[0]][shape[1]];
        for (int b = 0; b < shape[0]; b++) {
            for (int t = 0; t < shape[1]; t++) {
                m[b][t] = values[b * shape[1] + t] != 0;
            }
        }
        return SequenceMask.of(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && descr.equals(a.descr) && Arrays.equals(shape, a.shape)
                && Arrays.equals(values, a.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * descr.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "NpyArray['" + descr + "', " + Arrays.toString(shape) + "]";
    }
}
