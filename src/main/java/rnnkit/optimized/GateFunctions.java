package rnnkit.optimized;

/**
 * The gate activations sigmoid and tanh of the optimized path, in float32 and float64, built only from operations
 * that IEEE 754 and the Java language define exactly: +, -, *, /, {@link Math#fma}, min/max and integer bit
 * arithmetic. {@link VectorActivationBlocks} evaluates the same operation sequence lane by lane, so a value is
 * bit-identical whether it was computed in a vector lane, in a block's scalar tail, in the interpreter or in
 * compiled code, and therefore whatever the thread count or the block boundaries. (Math.exp would not do in a
 * vector: the Vector API's lanewise EXP changes bits when C2 compiles the loop.)
 *
 * <pre>
 *   exp(t):     k = round(t·log2 e), r = t - k·ln 2 (two fma steps, ln 2 split in a high and a low part),
 *               exp(t) = 2^k · P(r), |r| ≤ ln2/2; P: Cephes expf minimax (float32), Taylor to r^13 (float64);
 *               the rounding is the "magic number" addition of 1.5·2^p, whose low bits then hold k.
 *   sigmoid(x) = 1 / (1 + exp(-x)),           -x clamped to the range where exp and 2^k are normal numbers
 *   tanh(x)    = x + x·z·R(z), z = x²          for |x| &lt; 0.625 (Cephes tanh/tanhf, no cancellation)
 *              = sign(x)·(1 - 2/(exp(2|x|) + 1)) otherwise (2|x| clamped likewise; the result is ±1 there)
 * </pre>
 * Measured accuracy against Math.exp/Math.tanh evaluated in double (20 million random points over |x| from 1e-8
 * to 30): float32 sigmoid within 2.5 ulp, tanh within 1.4 ulp; float64 sigmoid and tanh within 2 ulp
 * (ActivationsTest pins these bounds; where sigmoid's exact value is below the smallest normal number, its absolute
 * error is below that number). NaN propagates (min/max return NaN); tanh(-0) is +0.
 */
final class GateFunctions {
    private GateFunctions() {
    }

    // ---- float32 ----
    static final float F_LOG2E = 1.44269504088896341f;
    /** 1.5·2^23: adding it rounds to an integer held in the low mantissa bits. */
    static final float F_MAGIC = 12582912f;
    static final float F_LN2_HI = 0.693359375f;
    static final float F_LN2_LO = -2.12194440e-4f;
    static final float F_EXP_MIN = -87f;
    static final float F_EXP_MAX = 88f;
    static final float F_P0 = 1.9875691500e-4f;
    static final float F_P1 = 1.3981999507e-3f;
    static final float F_P2 = 8.3334519073e-3f;
    static final float F_P3 = 4.1665795894e-2f;
    static final float F_P4 = 1.6666665459e-1f;
    static final float F_P5 = 5.0000001201e-1f;
    static final float F_TANH_SMALL = 0.625f;
    static final float F_T0 = -5.70498872745e-3f;
    static final float F_T1 = 2.06390887954e-2f;
    static final float F_T2 = -5.37397155531e-2f;
    static final float F_T3 = 1.33314422036e-1f;
    static final float F_T4 = -3.33332819422e-1f;

    /** e^t for t in [F_EXP_MIN, F_EXP_MAX]. */
    static float expClamped(float t) {
        float shifted = Math.fma(t, F_LOG2E, F_MAGIC);
        int bits = Float.floatToRawIntBits(shifted);
        float k = shifted - F_MAGIC;
        float r = Math.fma(k, -F_LN2_HI, t);
        r = Math.fma(k, -F_LN2_LO, r);
        float p = Math.fma(F_P0, r, F_P1);
        p = Math.fma(p, r, F_P2);
        p = Math.fma(p, r, F_P3);
        p = Math.fma(p, r, F_P4);
        p = Math.fma(p, r, F_P5);
        float y = Math.fma(p, r * r, r) + 1f;
        float scale = Float.intBitsToFloat((bits + 127) << 23);
        return y * scale;
    }

    static float sigmoid(float x) {
        float t = Math.min(Math.max(-x, F_EXP_MIN), F_EXP_MAX);
        return 1f / (expClamped(t) + 1f);
    }

    static float tanh(float x) {
        float a = Math.abs(x);
        if (a < F_TANH_SMALL) {
            float z = x * x;
            float p = Math.fma(F_T0, z, F_T1);
            p = Math.fma(p, z, F_T2);
            p = Math.fma(p, z, F_T3);
            p = Math.fma(p, z, F_T4);
            return Math.fma(p * z, x, x);
        }
        float e = expClamped(Math.min(a + a, F_EXP_MAX));
        float y = 1f - 2f / (e + 1f);
        return x < 0 ? -y : y;
    }

    // ---- float64 ----
    static final double D_LOG2E = 1.44269504088896338700e+00;
    /** 1.5·2^52. */
    static final double D_MAGIC = 6755399441055744.0;
    static final double D_LN2_HI = 6.93147180369123816490e-01;
    static final double D_LN2_LO = 1.90821492927058770002e-10;
    static final double D_EXP_MIN = -708;
    static final double D_EXP_MAX = 709;
    /** 1/n! for n = 13 down to 2. */
    static final double[] D_TAYLOR = taylor();
    static final double D_TANH_SMALL = 0.625;
    static final double D_TP0 = -9.64399179425052238628e-01;
    static final double D_TP1 = -9.92877231001918586564e+01;
    static final double D_TP2 = -1.61468768441708447952e+03;
    static final double D_TQ0 = 1.12811678491632931402e+02;
    static final double D_TQ1 = 2.23548839060100448583e+03;
    static final double D_TQ2 = 4.84406305325125486048e+03;

    private static double[] taylor() {
        double[] c = new double[12];
        for (int n = 13; n >= 2; n--) {
            double f = 1;
            for (int i = 2; i <= n; i++) {
                f *= i;
            }
            c[13 - n] = 1 / f; // n! ≤ 13! < 2^53 is exact, so 1/n! is correctly rounded
        }
        return c;
    }

    /** e^t for t in [D_EXP_MIN, D_EXP_MAX]. */
    static double expClamped(double t) {
        double shifted = Math.fma(t, D_LOG2E, D_MAGIC);
        long bits = Double.doubleToRawLongBits(shifted);
        double k = shifted - D_MAGIC;
        double r = Math.fma(k, -D_LN2_HI, t);
        r = Math.fma(k, -D_LN2_LO, r);
        double[] c = D_TAYLOR;
        double p = c[0];
        for (int i = 1; i < c.length; i++) {
            p = Math.fma(p, r, c[i]);
        }
        double y = Math.fma(p, r * r, r) + 1;
        double scale = Double.longBitsToDouble((bits + 1023) << 52);
        return y * scale;
    }

    static double sigmoid(double x) {
        double t = Math.min(Math.max(-x, D_EXP_MIN), D_EXP_MAX);
        return 1 / (expClamped(t) + 1);
    }

    static double tanh(double x) {
        double a = Math.abs(x);
        if (a < D_TANH_SMALL) {
            double z = x * x;
            double p = Math.fma(D_TP0, z, D_TP1);
            p = Math.fma(p, z, D_TP2);
            double q = z + D_TQ0;
            q = Math.fma(q, z, D_TQ1);
            q = Math.fma(q, z, D_TQ2);
            return Math.fma(z * (p / q), x, x);
        }
        double e = expClamped(Math.min(a + a, D_EXP_MAX));
        double y = 1 - 2 / (e + 1);
        return x < 0 ? -y : y;
    }
}
