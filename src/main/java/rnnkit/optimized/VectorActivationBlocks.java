package rnnkit.optimized;

import static rnnkit.optimized.GateFunctions.D_EXP_MAX;
import static rnnkit.optimized.GateFunctions.D_EXP_MIN;
import static rnnkit.optimized.GateFunctions.D_LN2_HI;
import static rnnkit.optimized.GateFunctions.D_LN2_LO;
import static rnnkit.optimized.GateFunctions.D_LOG2E;
import static rnnkit.optimized.GateFunctions.D_MAGIC;
import static rnnkit.optimized.GateFunctions.D_TANH_SMALL;
import static rnnkit.optimized.GateFunctions.D_TAYLOR;
import static rnnkit.optimized.GateFunctions.D_TP0;
import static rnnkit.optimized.GateFunctions.D_TP1;
import static rnnkit.optimized.GateFunctions.D_TP2;
import static rnnkit.optimized.GateFunctions.D_TQ0;
import static rnnkit.optimized.GateFunctions.D_TQ1;
import static rnnkit.optimized.GateFunctions.D_TQ2;
import static rnnkit.optimized.GateFunctions.F_EXP_MAX;
import static rnnkit.optimized.GateFunctions.F_EXP_MIN;
import static rnnkit.optimized.GateFunctions.F_LN2_HI;
import static rnnkit.optimized.GateFunctions.F_LN2_LO;
import static rnnkit.optimized.GateFunctions.F_LOG2E;
import static rnnkit.optimized.GateFunctions.F_MAGIC;
import static rnnkit.optimized.GateFunctions.F_P0;
import static rnnkit.optimized.GateFunctions.F_P1;
import static rnnkit.optimized.GateFunctions.F_P2;
import static rnnkit.optimized.GateFunctions.F_P3;
import static rnnkit.optimized.GateFunctions.F_P4;
import static rnnkit.optimized.GateFunctions.F_P5;
import static rnnkit.optimized.GateFunctions.F_T0;
import static rnnkit.optimized.GateFunctions.F_T1;
import static rnnkit.optimized.GateFunctions.F_T2;
import static rnnkit.optimized.GateFunctions.F_T3;
import static rnnkit.optimized.GateFunctions.F_T4;
import static rnnkit.optimized.GateFunctions.F_TANH_SMALL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Block sigmoid and tanh with the Vector API (loaded by name from {@link ActivationBlocks}; only touch this class
 * when the jdk.incubator.vector module is present): {@link GateFunctions}' operation sequence lane by lane (fma,
 * +, -, *, /, min/max and integer shifts only, each exact per IEEE 754 in every JIT tier), the tail of a block
 * through {@link GateFunctions} itself, so every element gets the same bits wherever the block boundaries fall.
 */
final class VectorActivationBlocks implements ActivationBlocks {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private static FloatVector expClamped(FloatVector t) {
        FloatVector shifted = t.fma(F_LOG2E, F_MAGIC);
        FloatVector k = shifted.sub(F_MAGIC);
        FloatVector r = k.fma(FloatVector.broadcast(FLOATS, -F_LN2_HI), t);
        r = k.fma(FloatVector.broadcast(FLOATS, -F_LN2_LO), r);
        FloatVector p = FloatVector.broadcast(FLOATS, F_P0).fma(r, FloatVector.broadcast(FLOATS, F_P1));
        p = p.fma(r, FloatVector.broadcast(FLOATS, F_P2));
        p = p.fma(r, FloatVector.broadcast(FLOATS, F_P3));
        p = p.fma(r, FloatVector.broadcast(FLOATS, F_P4));
        p = p.fma(r, FloatVector.broadcast(FLOATS, F_P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        FloatVector scale = shifted.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return y.mul(scale);
    }

    private static DoubleVector expClamped(DoubleVector t) {
        DoubleVector shifted = t.fma(D_LOG2E, D_MAGIC);
        DoubleVector k = shifted.sub(D_MAGIC);
        DoubleVector r = k.fma(DoubleVector.broadcast(DOUBLES, -D_LN2_HI), t);
        r = k.fma(DoubleVector.broadcast(DOUBLES, -D_LN2_LO), r);
        double[] c = D_TAYLOR;
        DoubleVector p = DoubleVector.broadcast(DOUBLES, c[0]);
        for (int i = 1; i < c.length; i++) {
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[i]));
        }
        DoubleVector y = p.fma(r.mul(r), r).add(1.0);
        LongVector bits = (LongVector) shifted.reinterpretAsLongs();
        DoubleVector scale = bits.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return y.mul(scale);
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int j = 0;
        int lanes = FLOATS.length();
        for (; j <= n - lanes; j += lanes) {
            FloatVector t = FloatVector.fromArray(FLOATS, x, xOff + j).neg().max(F_EXP_MIN).min(F_EXP_MAX);
            FloatVector.broadcast(FLOATS, 1f).div(expClamped(t).add(1f)).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = GateFunctions.sigmoid(x[xOff + j]);
        }
    }

    /**
     * Two passes over the block, so each loop body stays small enough for C2 to keep every vector in registers
     * (one loop holding both branches and the exp left {@code y.mul(scale)} un-intrinsified): first
     * e = exp(min(2|x|, max)) into y, then the branch select in place. The same operations as
     * {@link GateFunctions#tanh(float)}.
     */
    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        if (x == y) { // the first pass would overwrite the input: element by element, the same bits
            for (int j = 0; j < n; j++) {
                y[yOff + j] = GateFunctions.tanh(x[xOff + j]);
            }
            return;
        }
        int lanes = FLOATS.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            FloatVector a = FloatVector.fromArray(FLOATS, x, xOff + j).abs();
            expClamped(a.add(a).min(F_EXP_MAX)).intoArray(y, yOff + j);
        }
        for (int j = 0; j < full; j += lanes) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, xOff + j);
            FloatVector e = FloatVector.fromArray(FLOATS, y, yOff + j);
            // |x| >= 0.625: ±(1 - 2/(e^{2|x|} + 1))
            FloatVector large = FloatVector.broadcast(FLOATS, 1f).sub(FloatVector.broadcast(FLOATS, 2f).div(e.add(1f)));
            large = large.blend(large.neg(), v.compare(VectorOperators.LT, 0f));
            // |x| < 0.625: x + x·z·R(z)
            FloatVector z = v.mul(v);
            FloatVector p = FloatVector.broadcast(FLOATS, F_T0).fma(z, FloatVector.broadcast(FLOATS, F_T1));
            p = p.fma(z, FloatVector.broadcast(FLOATS, F_T2));
            p = p.fma(z, FloatVector.broadcast(FLOATS, F_T3));
            p = p.fma(z, FloatVector.broadcast(FLOATS, F_T4));
            FloatVector small = p.mul(z).fma(v, v);
            large.blend(small, v.abs().compare(VectorOperators.LT, F_TANH_SMALL)).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] = GateFunctions.tanh(x[xOff + j]);
        }
    }

    @Override
    public void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        int j = 0;
        int lanes = DOUBLES.length();
        for (; j <= n - lanes; j += lanes) {
            DoubleVector t = DoubleVector.fromArray(DOUBLES, x, xOff + j).neg().max(D_EXP_MIN).min(D_EXP_MAX);
            DoubleVector.broadcast(DOUBLES, 1.0).div(expClamped(t).add(1.0)).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = GateFunctions.sigmoid(x[xOff + j]);
        }
    }

    /** Two passes, as the float32 tanh; the same operations as {@link GateFunctions#tanh(double)}. */
    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        if (x == y) { // the first pass would overwrite the input: element by element, the same bits
            for (int j = 0; j < n; j++) {
                y[yOff + j] = GateFunctions.tanh(x[xOff + j]);
            }
            return;
        }
        int lanes = DOUBLES.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            DoubleVector a = DoubleVector.fromArray(DOUBLES, x, xOff + j).abs();
            expClamped(a.add(a).min(D_EXP_MAX)).intoArray(y, yOff + j);
        }
        for (int j = 0; j < full; j += lanes) {
            DoubleVector v = DoubleVector.fromArray(DOUBLES, x, xOff + j);
            DoubleVector e = DoubleVector.fromArray(DOUBLES, y, yOff + j);
            DoubleVector large = DoubleVector.broadcast(DOUBLES, 1.0)
                    .sub(DoubleVector.broadcast(DOUBLES, 2.0).div(e.add(1.0)));
            VectorMask<Double> negative = v.compare(VectorOperators.LT, 0.0);
            large = large.blend(large.neg(), negative);
            DoubleVector z = v.mul(v);
            DoubleVector p = DoubleVector.broadcast(DOUBLES, D_TP0).fma(z, DoubleVector.broadcast(DOUBLES, D_TP1));
            p = p.fma(z, DoubleVector.broadcast(DOUBLES, D_TP2));
            DoubleVector q = z.add(D_TQ0);
            q = q.fma(z, DoubleVector.broadcast(DOUBLES, D_TQ1));
            q = q.fma(z, DoubleVector.broadcast(DOUBLES, D_TQ2));
            DoubleVector small = z.mul(p.div(q)).fma(v, v);
            large.blend(small, v.abs().compare(VectorOperators.LT, D_TANH_SMALL)).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] = GateFunctions.tanh(x[xOff + j]);
        }
    }

    @Override
    public String name() {
        return "vector" + FLOATS.vectorBitSize();
    }
}
