package rnnkit.testing;

import java.util.List;
import rnnkit.model.Tensor;

/**
 * Rearrangements of batch-major tensors along the time (axis 1) and batch (axis 0) axes, used by properties that
 * relate a call to calls on reversed, split or single-row data. Pure data movement, no arithmetic.
 */
public final class TimeAxis {
    private TimeAxis() {
    }

    /** {@code x[:, ::-1, ...]}: the time axis reversed (rank 2 token ids or rank 3 features/outputs). */
    public static Tensor reversed(Tensor x) {
        int[] shape = x.shape();
        int batch = shape[0];
        int time = shape[1];
        int inner = x.size() / Math.max(1, batch * time);
        Tensor out = Tensor.zeros(shape);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                System.arraycopy(x.data(), (b * time + t) * inner, out.data(), (b * time + (time - 1 - t)) * inner, inner);
            }
        }
        return out;
    }

    /** {@code x[:, from:to, ...]}. */
    public static Tensor slice(Tensor x, int from, int to) {
        int[] shape = x.shape();
        int batch = shape[0];
        int time = shape[1];
        int inner = x.size() / Math.max(1, batch * time);
        int[] outShape = shape.clone();
        outShape[1] = to - from;
        Tensor out = Tensor.zeros(outShape);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.data(), (b * time + from) * inner, out.data(), b * (to - from) * inner, (to - from) * inner);
        }
        return out;
    }

    /** Concatenation along time of tensors with equal batch and feature sizes. */
    public static Tensor concat(List<Tensor> parts) {
        int[] shape = parts.get(0).shape();
        int batch = shape[0];
        int inner = parts.get(0).size() / Math.max(1, batch * shape[1]);
        int time = 0;
        for (Tensor p : parts) {
            time += p.dim(1);
        }
        int[] outShape = shape.clone();
        outShape[1] = time;
        Tensor out = Tensor.zeros(outShape);
        int t0 = 0;
        for (Tensor p : parts) {
            int pt = p.dim(1);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(p.data(), b * pt * inner, out.data(), (b * time + t0) * inner, pt * inner);
            }
            t0 += pt;
        }
        return out;
    }

    /** {@code x[from:to]} along the batch axis (any rank). */
    public static Tensor rows(Tensor x, int from, int to) {
        int[] shape = x.shape();
        int inner = x.size() / Math.max(1, shape[0]);
        shape[0] = to - from;
        Tensor out = Tensor.zeros(shape);
        System.arraycopy(x.data(), from * inner, out.data(), 0, (to - from) * inner);
        return out;
    }

    /** {@code x[:, t, :]} of a rank-3 tensor: the (batch, features) slice at step t. */
    public static Tensor step(Tensor x, int t) {
        int batch = x.dim(0);
        int features = x.dim(2);
        Tensor out = Tensor.zeros(batch, features);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.data(), (b * x.dim(1) + t) * features, out.data(), b * features, features);
        }
        return out;
    }
}
