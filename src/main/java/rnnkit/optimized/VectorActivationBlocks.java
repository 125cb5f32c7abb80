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

    // Every loop below keeps its vectors inside its own body: a vector passed to or returned from a helper method
    // is boxed (allocated) whenever C2 does not inline the helper, which happened once the helper had been compiled
    // on its own (WorkspaceReuseTest saw 9 KB per time step after ThreadCountInvarianceTest). So the blocks run in
    // passes over the output array, each pass one simple loop: argument, exp, then the final formula.

    /** y[j] = e^{y[j]} for j in [yOff, yOff + full), y already clamped to [F_EXP_MIN, F_EXP_MAX]. */
    private static void expInPlace(float[] y, int yOff, int full) {
        int lanes = FLOATS.length();
        for (int j = 0; j < full; j += lanes) {
            FloatVector t = FloatVector.fromArray(FLOATS, y, yOff + j);
            FloatVector shifted = t.fma(F_LOG2E, F_MAGIC);
            FloatVector k = shifted.sub(F_MAGIC);
            FloatVector r = k.fma(FloatVector.broadcast(FLOATS, -F_LN2_HI), t);
            r = k.fma(FloatVector.broadcast(FLOATS, -F_LN2_LO), r);
            FloatVector p = FloatVector.broadcast(FLOATS, F_P0).fma(r, FloatVector.broadcast(FLOATS, F_P1));
            p = p.fma(r, FloatVector.broadcast(FLOATS, F_P2));
            p = p.fma(r, FloatVector.broadcast(FLOATS, F_P3));
            p = p.fma(r, FloatVector.broadcast(FLOATS, F_P4));
            p = p.fma(r, FloatVector.broadcast(FLOATS, F_P5));
            FloatVector e = p.fma(r.mul(r), r).add(1f);
            FloatVector scale = shifted.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            e.mul(scale).intoArray(y, yOff + j);
        }
    }

    /** Double-precision twin of {@link #expInPlace(float[], int, int)}. */
    private static void expInPlace(double[] y, int yOff, int full) {
        int lanes = DOUBLES.length();
        double[] c = D_TAYLOR;
        for (int j = 0; j < full; j += lanes) {
            DoubleVector t = DoubleVector.fromArray(DOUBLES, y, yOff + j);
            DoubleVector shifted = t.fma(D_LOG2E, D_MAGIC);
            DoubleVector k = shifted.sub(D_MAGIC);
            DoubleVector r = k.fma(DoubleVector.broadcast(DOUBLES, -D_LN2_HI), t);
            r = k.fma(DoubleVector.broadcast(DOUBLES, -D_LN2_LO), r);
            DoubleVector p = DoubleVector.broadcast(DOUBLES, c[0]);
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[1]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[2]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[3]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[4]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[5]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[6]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[7]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[8]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[9]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[10]));
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, c[11]));
            DoubleVector e = p.fma(r.mul(r), r).add(1.0);
            LongVector bits = (LongVector) shifted.reinterpretAsLongs();
            DoubleVector scale = bits.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            e.mul(scale).intoArray(y, yOff + j);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int lanes = FLOATS.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) { // t = -x clamped (in place is fine: x[j] is read before y[j] is written)
            FloatVector.fromArray(FLOATS, x, xOff + j).neg().max(F_EXP_MIN).min(F_EXP_MAX).intoArray(y, yOff + j);
        }
        expInPlace(y, yOff, full);
        for (int j = 0; j < full; j += lanes) { // 1 / (e^-x + 1)
            FloatVector.broadcast(FLOATS, 1f).div(FloatVector.fromArray(FLOATS, y, yOff + j).add(1f))
                    .intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] = GateFunctions.sigmoid(x[xOff + j]);
        }
    }

    /** Passes: y = min(2|x|, max), y = e^y, then the branch select with x. The ops of {@link GateFunctions#tanh(float)}. */
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
            a.add(a).min(F_EXP_MAX).intoArray(y, yOff + j);
        }
        expInPlace(y, yOff, full);
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
        int lanes = DOUBLES.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            DoubleVector.fromArray(DOUBLES, x, xOff + j).neg().max(D_EXP_MIN).min(D_EXP_MAX).intoArray(y, yOff + j);
        }
        expInPlace(y, yOff, full);
        for (int j = 0; j < full; j += lanes) {
            DoubleVector.broadcast(DOUBLES, 1.0).div(DoubleVector.fromArray(DOUBLES, y, yOff + j).add(1.0))
                    .intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] = GateFunctions.sigmoid(x[xOff + j]);
        }
    }

    /** Passes, as the float32 tanh; the ops of {@link GateFunctions#tanh(double)}. */
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
            a.add(a).min(D_EXP_MAX).intoArray(y, yOff + j);
        }
        expInPlace(y, yOff, full);
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
    public void addSum(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int lanes = FLOATS.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            FloatVector.fromArray(FLOATS, y, yOff + j)
                    .add(FloatVector.fromArray(FLOATS, a, aOff + j).add(FloatVector.fromArray(FLOATS, b, bOff + j)))
                    .intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] += a[aOff + j] + b[bOff + j];
        }
    }

    @Override
    public void add(float[] y, int yOff, float[] a, int aOff, int n) {
        int lanes = FLOATS.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            FloatVector.fromArray(FLOATS, y, yOff + j).add(FloatVector.fromArray(FLOATS, a, aOff + j)).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] += a[aOff + j];
        }
    }

    @Override
    public void mulAddMul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d, int dOff,
                          int n) {
        int lanes = FLOATS.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            FloatVector ab = FloatVector.fromArray(FLOATS, a, aOff + j).mul(FloatVector.fromArray(FLOATS, b, bOff + j));
            FloatVector cd = FloatVector.fromArray(FLOATS, c, cOff + j).mul(FloatVector.fromArray(FLOATS, d, dOff + j));
            ab.add(cd).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] = a[aOff + j] * b[bOff + j] + c[cOff + j] * d[dOff + j];
        }
    }

    @Override
    public void mul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int lanes = FLOATS.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            FloatVector.fromArray(FLOATS, a, aOff + j).mul(FloatVector.fromArray(FLOATS, b, bOff + j)).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] = a[aOff + j] * b[bOff + j];
        }
    }

    @Override
    public void addSum(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int n) {
        int lanes = DOUBLES.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            DoubleVector.fromArray(DOUBLES, y, yOff + j)
                    .add(DoubleVector.fromArray(DOUBLES, a, aOff + j).add(DoubleVector.fromArray(DOUBLES, b, bOff + j)))
                    .intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] += a[aOff + j] + b[bOff + j];
        }
    }

    @Override
    public void add(double[] y, int yOff, double[] a, int aOff, int n) {
        int lanes = DOUBLES.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            DoubleVector.fromArray(DOUBLES, y, yOff + j).add(DoubleVector.fromArray(DOUBLES, a, aOff + j)).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] += a[aOff + j];
        }
    }

    @Override
    public void mulAddMul(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, double[] d, int dOff,
                          int n) {
        int lanes = DOUBLES.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            DoubleVector ab = DoubleVector.fromArray(DOUBLES, a, aOff + j).mul(DoubleVector.fromArray(DOUBLES, b, bOff + j));
            DoubleVector cd = DoubleVector.fromArray(DOUBLES, c, cOff + j).mul(DoubleVector.fromArray(DOUBLES, d, dOff + j));
            ab.add(cd).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] = a[aOff + j] * b[bOff + j] + c[cOff + j] * d[dOff + j];
        }
    }

    @Override
    public void mul(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int n) {
        int lanes = DOUBLES.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            DoubleVector.fromArray(DOUBLES, a, aOff + j).mul(DoubleVector.fromArray(DOUBLES, b, bOff + j)).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] = a[aOff + j] * b[bOff + j];
        }
    }

    @Override
    public void addMul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int lanes = FLOATS.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            FloatVector.fromArray(FLOATS, y, yOff + j)
                    .add(FloatVector.fromArray(FLOATS, a, aOff + j).mul(FloatVector.fromArray(FLOATS, b, bOff + j)))
                    .intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] += a[aOff + j] * b[bOff + j];
        }
    }

    @Override
    public void interpolate(float[] y, int yOff, float[] z, int zOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int lanes = FLOATS.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            FloatVector zv = FloatVector.fromArray(FLOATS, z, zOff + j);
            FloatVector za = zv.mul(FloatVector.fromArray(FLOATS, a, aOff + j));
            FloatVector zb = FloatVector.broadcast(FLOATS, 1f).sub(zv).mul(FloatVector.fromArray(FLOATS, b, bOff + j));
            za.add(zb).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            float zj = z[zOff + j];
            y[yOff + j] = zj * a[aOff + j] + (1 - zj) * b[bOff + j];
        }
    }

    @Override
    public void addMul(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int n) {
        int lanes = DOUBLES.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            DoubleVector.fromArray(DOUBLES, y, yOff + j)
                    .add(DoubleVector.fromArray(DOUBLES, a, aOff + j).mul(DoubleVector.fromArray(DOUBLES, b, bOff + j)))
                    .intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] += a[aOff + j] * b[bOff + j];
        }
    }

    @Override
    public void interpolate(double[] y, int yOff, double[] z, int zOff, double[] a, int aOff, double[] b, int bOff, int n) {
        int lanes = DOUBLES.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) {
            DoubleVector zv = DoubleVector.fromArray(DOUBLES, z, zOff + j);
            DoubleVector za = zv.mul(DoubleVector.fromArray(DOUBLES, a, aOff + j));
            DoubleVector zb = DoubleVector.broadcast(DOUBLES, 1d).sub(zv).mul(DoubleVector.fromArray(DOUBLES, b, bOff + j));
            za.add(zb).intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            double zj = z[zOff + j];
            y[yOff + j] = zj * a[aOff + j] + (1 - zj) * b[bOff + j];
        }
    }

    @Override
    public String name() {
        return "vector" + FLOATS.vectorBitSize();
    }
}
