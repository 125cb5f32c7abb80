package rnnkit.testing;

import java.util.SplittableRandom;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * Seeded source of the data a layer call needs: weights, inputs, states, cotangents, sequence masks, dropout masks,
 * token ids. The same seed always gives the same tensors (java.util.SplittableRandom is specified bit for bit).
 */
public final class RandomTensors {
    private final SplittableRandom random;

    public RandomTensors(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform values in [-scale, scale). */
    public Tensor uniform(double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (2 * random.nextDouble() - 1) * scale;
        }
        return t;
    }

    /**
     * A Keras inverted-dropout mask of shape (rows, width): each entry 0 with probability {@code rate}, otherwise
     * 1/(1-rate). At least one entry per row is kept, so that a row never loses its whole input, and (when the row
     * has two or more entries) at least one is dropped, so that every mask really exercises dropout.
     */
    public Tensor dropoutMask(double rate, int rows, int width) {
        if (!(rate > 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate is " + rate + "; expected a fraction in (0, 1)");
        }
        Tensor t = Tensor.zeros(rows, width);
        double keep = 1 / (1 - rate);
        for (int r = 0; r < rows; r++) {
            int kept = random.nextInt(width);
            int dropped = width < 2 ? -1 : (kept + 1 + random.nextInt(width - 1)) % width;
            for (int c = 0; c < width; c++) {
                boolean keepIt = c == kept || (c != dropped && random.nextDouble() >= rate);
                t.set(keepIt ? keep : 0.0, r, c);
            }
        }
        return t;
    }

    /** A tensor of the given shape filled with {@code value}. */
    public static Tensor filled(double value, int... shape) {
        Tensor t = Tensor.zeros(shape);
        java.util.Arrays.fill(t.data(), value);
        return t;
    }

    /** A (batch, time) mask drawn according to {@code pattern}; null for {@link MaskPattern#NONE}. */
    public SequenceMask mask(MaskPattern pattern, int batch, int time) {
        if (pattern == MaskPattern.NONE) {
            return null;
        }
        boolean[][] m = new boolean[batch][time];
        for (int b = 0; b < batch; b++) {
            switch (pattern) {
                case ALL_TRUE -> java.util.Arrays.fill(m[b], true);
                case TRAILING_PADDING -> {
                    int length = 1 + random.nextInt(time);
                    for (int t = 0; t < length; t++) {
                        m[b][t] = true;
                    }
                }
                default -> {
                    // Holes: each step kept with probability 0.6, and every row keeps at least one step.
                    for (int t = 0; t < time; t++) {
                        m[b][t] = random.nextDouble() < 0.6;
                    }
                    m[b][random.nextInt(time)] = true;
                }
            }
        }
        if (pattern == MaskPattern.FIRST_STEP_MASKED) {
            for (int b = 0; b < batch; b++) {
                m[b][0] = false;
                if (time > 1) {
                    m[b][1 + random.nextInt(time - 1)] = true;
                }
            }
        }
        if (pattern == MaskPattern.FULLY_MASKED_ROW) {
            java.util.Arrays.fill(m[random.nextInt(batch)], false);
        }
        return SequenceMask.of(m);
    }

    /**
     * Token ids (batch, time) in [0, vocabulary): 0 exactly where {@code mask} is false (the padding id of
     * {@code mask_zero}), ids in [1, vocabulary) elsewhere; no zeros at all when {@code mask} is null.
     */
    public Tensor tokenIds(int vocabulary, int batch, int time, SequenceMask mask) {
        if (vocabulary < 2) {
            throw new IllegalArgumentException("vocabulary is " + vocabulary + "; need at least 2 ids (0 is padding)");
        }
        Tensor ids = Tensor.zeros(batch, time);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                boolean real = mask == null || mask.get(b, t);
                ids.set(real ? 1 + random.nextInt(vocabulary - 1) : 0, b, t);
            }
        }
        return ids;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public double nextDouble() {
        return random.nextDouble();
    }
}
