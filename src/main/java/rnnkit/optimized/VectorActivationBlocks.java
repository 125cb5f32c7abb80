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
    // The float64 exp pass's constants as vectors made once (static final fields, the polynomial's coefficients a
    // static final array of them): using one is a load of an existing vector, where a broadcast inlines a chain of
    // Vector API methods, and the float64 sigmoid's compile (its exp polynomial has 12 terms) must stay small (see
    // below).
    private static final DoubleVector D_LOG2E_V = DoubleVector.broadcast(DOUBLES, D_LOG2E);
    private static final DoubleVector D_MAGIC_V = DoubleVector.broadcast(DOUBLES, D_MAGIC);
    private static final DoubleVector D_MINUS_LN2_HI_V = DoubleVector.broadcast(DOUBLES, -D_LN2_HI);
    private static final DoubleVector D_MINUS_LN2_LO_V = DoubleVector.broadcast(DOUBLES, -D_LN2_LO);
    private static final DoubleVector D_ONE_V = DoubleVector.broadcast(DOUBLES, 1.0);
    private static final DoubleVector[] D_TAYLOR_V = taylorVectors();

    private static DoubleVector[] taylorVectors() {
        DoubleVector[] v = new DoubleVector[D_TAYLOR.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = DoubleVector.broadcast(DOUBLES, D_TAYLOR[i]);
        }
        return v;
    }

    // Every loop below keeps its vectors inside its own body: a vector passed to or returned from a helper method
    // is boxed (allocated) whenever C2 does not inline the helper, which happened once the helper had been compiled
    // on its own (WorkspaceReuseTest saw 9 KB per time step after ThreadCountInvarianceTest). So the blocks run in
    // passes over the output array, each pass one simple loop: argument, exp, then the final formula.
    //
    // sigmoid and tanh are each kept above C2's FreqInlineSize (by default 325 bytes of bytecode on x86_64 and
    // aarch64), so C2 compiles each on its own and does not inline it into a hot caller (InliningBoundaryTest checks
    // the sizes against the running JVM's value). Inlined into a cell's epilogue with the step's other blocks, or
    // with exp inlined into tanh, a compile grew past C2's inlining node cutoff, some Vector API intrinsics were left
    // unexpanded, and the compiled code boxed vectors (10-12 KB per LSTM time step) for the rest of the JVM's life.
    // Hence sigmoid holds its exp pass, and tanh calls sigmoid on -2|x| for its exp (two more passes over the
    // block than a tanh with an exp pass of its own). The layouts tried and how often each boxed: bench/README.md.

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int lanes = FLOATS.length();
        int full = n - n % lanes;
        for (int j = 0; j < full; j += lanes) { // t = -x clamped (in place is fine: x[j] is read before y[j] is written)
            FloatVector.fromArray(FLOATS, x, xOff + j).neg().max(F_EXP_MIN).min(F_EXP_MAX).intoArray(y, yOff + j);
        }
        for (int j = 0; j < full; j += lanes) { // y = e^y (the ops of GateFunctions.expClamped)
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
        for (int j = 0; j < full; j += lanes) { // 1 / (e^-x + 1)
            FloatVector.broadcast(FLOATS, 1f).div(FloatVector.fromArray(FLOATS, y, yOff + j).add(1f))
                    .intoArray(y, yOff + j);
        }
        for (int j = full; j < n; j++) {
            y[yOff + j] = GateFunctions.sigmoid(x[xOff + j]);
        }
    }

    /**
     * Passes: y = -2|x|; y = sigmoid(y) in place (its clamp makes that 1/(e^{min(2|x|, max)} + 1)); then ±(1 - 2y) or
     * the small-|x| polynomial, by the branch select with x. The bits of {@link GateFunctions#tanh(float)}.
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
            a.add(a).neg().intoArray(y, yOff + j);
        }
        sigmoid(y, yOff, y, yOff, full); // s = 1/(e^{min(2|x|, max)} + 1), exactly sigmoid(-2|x|)
        for (int j = 0; j < full; j += lanes) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, xOff + j);
            FloatVector s = FloatVector.fromArray(FLOATS, y, yOff + j);
            // |x| >= 0.625: ±(1 - 2/(e^{2|x|} + 1)); 2·s is that quotient's bits (a power-of-two scaling commutes
            // with rounding; where 1/(e + 1) is below the normal range, 1 - 2·s rounds to 1 either way)
            FloatVector large = FloatVector.broadcast(FLOATS, 1f).sub(s.add(s));
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
        DoubleVector[] c = D_TAYLOR_V;
        for (int j = 0; j < full; j += lanes) { // y = e^y (the ops of GateFunctions.expClamped)
            DoubleVector t = DoubleVector.fromArray(DOUBLES, y, yOff + j);
            DoubleVector shifted = t.fma(D_LOG2E_V, D_MAGIC_V);
            DoubleVector k = shifted.sub(D_MAGIC_V);
            DoubleVector r = k.fma(D_MINUS_LN2_HI_V, t);
            r = k.fma(D_MINUS_LN2_LO_V, r);
            DoubleVector p = c[0];
            p = p.fma(r, c[1]);
            p = p.fma(r, c[2]);
            p = p.fma(r, c[3]);
            p = p.fma(r, c[4]);
            p = p.fma(r, c[5]);
            p = p.fma(r, c[6]);
            p = p.fma(r, c[7]);
            p = p.fma(r, c[8]);
            p = p.fma(r, c[9]);
            p = p.fma(r, c[10]);
            p = p.fma(r, c[11]);
            DoubleVector e = p.fma(r.mul(r), r).add(D_ONE_V);
            LongVector bits = (LongVector) shifted.reinterpretAsLongs();
            DoubleVector scale = bits.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            e.mul(scale).intoArray(y, yOff + j);
        }
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
            a.add(a).neg().intoArray(y, yOff + j);
        }
        sigmoid(y, yOff, y, yOff, full); // s = sigmoid(-2|x|), as in the float32 tanh
        for (int j = 0; j < full; j += lanes) {
            DoubleVector v = DoubleVector.fromArray(DOUBLES, x, xOff + j);
            DoubleVector s = DoubleVector.fromArray(DOUBLES, y, yOff + j);
            DoubleVector large = DoubleVector.broadcast(DOUBLES, 1.0).sub(s.add(s));
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
