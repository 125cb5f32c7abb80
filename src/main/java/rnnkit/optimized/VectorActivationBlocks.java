package rnnkit.optimized;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Block sigmoid and tanh with the Vector API (loaded by name from {@link ActivationBlocks}; only touch this class
 * when the jdk.incubator.vector module is present). Full vectors through lanewise EXP / TANH, the tail of a
 * block through the scalar functions:
 * <pre>
 *   sigmoid(x) = 1 / (1 + exp(-x))       (exp(-x) = +inf for x ≪ 0 gives the correct limit 0)
 *   tanh(x)    = lanewise TANH
 * </pre>
 */
final class VectorActivationBlocks implements ActivationBlocks {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int j = 0;
        int lanes = FLOATS.length();
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        for (; j <= n - lanes; j += lanes) {
            FloatVector e = FloatVector.fromArray(FLOATS, x, xOff + j).neg().lanewise(VectorOperators.EXP);
            one.div(e.add(one)).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = FloatActivations.sigmoid(x[xOff + j]);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int j = 0;
        int lanes = FLOATS.length();
        for (; j <= n - lanes; j += lanes) {
            FloatVector.fromArray(FLOATS, x, xOff + j).lanewise(VectorOperators.TANH).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = FloatPrecision.tanh(x[xOff + j]);
        }
    }

    @Override
    public void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        int j = 0;
        int lanes = DOUBLES.length();
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        for (; j <= n - lanes; j += lanes) {
            DoubleVector e = DoubleVector.fromArray(DOUBLES, x, xOff + j).neg().lanewise(VectorOperators.EXP);
            one.div(e.add(one)).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = DoubleActivations.sigmoid(x[xOff + j]);
        }
    }

    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        int j = 0;
        int lanes = DOUBLES.length();
        for (; j <= n - lanes; j += lanes) {
            DoubleVector.fromArray(DOUBLES, x, xOff + j).lanewise(VectorOperators.TANH).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = DoublePrecision.tanh(x[xOff + j]);
        }
    }

    @Override
    public String name() {
        return "vector" + FLOATS.vectorBitSize();
    }
}
