package rnnkit.model;

import java.util.Arrays;

/**
 * A dense row-major array of doubles with a shape: the one plain data type every implementation,
 * the golden reader and the kit exchange. Float32 data is held exactly (every float is a double).
 *
 * <p>{@link #data()} exposes the backing array for speed; code that receives a tensor must not write into it
 * unless it created it.
 */
public final class Tensor {
    private final int[] shape;
    private final double[] data;

    private Tensor(int[] shape, double[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data} (not copied) with the given shape; fails if the element count does not match. */
    public static Tensor of(double[] data, int... shape) {
        long n = elementCount(shape);
        if (data == null) {
            throw new IllegalArgumentException("tensor data is null");
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs " + n
                    + " elements, got " + data.length);
        }
        return new Tensor(shape.clone(), data);
    }

    public static Tensor zeros(int... shape) {
        long n = elementCount(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " is too large");
        }
        return new Tensor(shape.clone(), new double[(int) n]);
    }

    public static Tensor scalar(double v) {
        return new Tensor(new int[0], new double[] {v});
    }

    /** A (rows, cols) tensor from a rectangular Java array. */
    public static Tensor matrix(double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        double[] d = new double[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " columns, expected " + c);
            }
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new Tensor(new int[] {r, c}, d);
    }

    /** A 1-D tensor. */
    public static Tensor vector(double... values) {
        return new Tensor(new int[] {values.length}, values.clone());
    }

    /** Product of dimensions; negative dimensions are rejected. */
    public static long elementCount(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
            }
        }
        return n;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return data.length;
    }

    /** The backing array (row-major). */
    public double[] data() {
        return data;
    }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    public double get(int... index) {
        return data[offset(index)];
    }

    public void set(double value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " into tensor of shape "
                    + Arrays.toString(shape));
        }
        int off = 0;
        for (int a = 0; a < shape.length; a++) {
            if (index[a] < 0 || index[a] >= shape[a]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of shape "
                        + Arrays.toString(shape));
            }
            off = off * shape[a] + index[a];
        }
        return off;
    }

    public Tensor copy() {
        return new Tensor(shape.clone(), data.clone());
    }

    public Tensor reshape(int... newShape) {
        return Tensor.of(data, newShape);
    }

    /** True if every element is finite (no NaN or infinity). */
    public boolean allFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first non-finite element, or -1. */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    public static String shapeString(int... shape) {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String body = data.length <= 16 ? Arrays.toString(data) : "[" + data.length + " values]";
        return "Tensor" + Arrays.toString(shape) + body;
    }
}
