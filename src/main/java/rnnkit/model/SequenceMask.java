package rnnkit.model;

/**
 * A boolean mask over (batch, time): true marks a real step, false a padded one. At a masked step Keras carries
 * the states over unchanged and repeats the previous output (or outputs zeros with {@code zero_output_for_mask}).
 */
public final class SequenceMask {
    private final boolean[][] values;

    private SequenceMask(boolean[][] values) {
        this.values = values;
    }

    /** Wraps a rectangular (batch, time) array (copied). */
    public static SequenceMask of(boolean[][] values) {
        if (values == null) {
            throw new IllegalArgumentException("mask is null");
        }
        int time = values.length == 0 ? 0 : values[0].length;
        boolean[][] copy = new boolean[values.length][];
        for (int b = 0; b < values.length; b++) {
            if (values[b] == null || values[b].length != time) {
                throw new IllegalArgumentException("mask row " + b + " has " + (values[b] == null ? "no" : values[b].length)
                        + " steps; expected " + time + " like row 0");
            }
            copy[b] = values[b].clone();
        }
        return new SequenceMask(copy);
    }

    /** A mask from 0/1 values, e.g. {@code fromInts(new int[][] {{1,1,0},{1,0,0}})}. */
    public static SequenceMask fromInts(int[][] values) {
        boolean[][] v = new boolean[values.length][];
        for (int b = 0; b < values.length; b++) {
            v[b] = new boolean[values[b].length];
            for (int t = 0; t < values[b].length; t++) {
                v[b][t] = values[b][t] != 0;
            }
        }
        return of(v);
    }

    public static SequenceMask allTrue(int batch, int time) {
        boolean[][] v = new boolean[batch][time];
        for (boolean[] row : v) {
            java.util.Arrays.fill(row, true);
        }
        return new SequenceMask(v);
    }

    public int batch() {
        return values.length;
    }

    public int time() {
        return values.length == 0 ? 0 : values[0].length;
    }

    public boolean get(int batch, int time) {
        return values[batch][time];
    }

    public boolean isAllTrue() {
        for (boolean[] row : values) {
            for (boolean v : row) {
                if (!v) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The mask with its time axis reversed. */
    public SequenceMask reversedInTime() {
        boolean[][] v = new boolean[values.length][];
        for (int b = 0; b < values.length; b++) {
            int t = values[b].length;
            v[b] = new boolean[t];
            for (int i = 0; i < t; i++) {
                v[b][i] = values[b][t - 1 - i];
            }
        }
        return new SequenceMask(v);
    }

    /** Steps [from, to) of every row. */
    public SequenceMask slice(int from, int to) {
        boolean[][] v = new boolean[values.length][];
        for (int b = 0; b < values.length; b++) {
            v[b] = java.util.Arrays.copyOfRange(values[b], from, to);
        }
        return new SequenceMask(v);
    }

    public boolean[][] toArray() {
        boolean[][] copy = new boolean[values.length][];
        for (int b = 0; b < values.length; b++) {
            copy[b] = values[b].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceMask m && java.util.Arrays.deepEquals(values, m.values);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.deepHashCode(values);
    }
}
