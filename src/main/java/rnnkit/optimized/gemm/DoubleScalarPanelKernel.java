// FloatScalarPanelKernel.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized.gemm;

/**
 * Plain-Java float64 panel kernel: the fallback when the Vector API module is not in the runtime image or not
 * enabled ({@code --add-modules jdk.incubator.vector}). Same arithmetic as {@link DoublePanelKernel} prescribes
 * (scalar {@link Math#fma}, k ascending within a depth block), so its results are bit-identical to the vector
 * kernel's.
 *
 * <p>Tile MR×NR = 4×4: 16 scalar accumulators plus 4 B values and one A value fit the 16 general-purpose vector
 * registers of x86-64 without spilling. Scalar FMA throughput caps this kernel at a few GFLOP/s; it exists for
 * correctness without the incubator module, not for speed.
 */
final class DoubleScalarPanelKernel implements DoublePanelKernel {

    static final int MR = 4;
    static final int NR = 4;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int tileRows() {
        return MR;
    }

    @Override
    public int tileCols() {
        return NR;
    }

    @Override
    public void block(int mc, int nc, int kc, double[] ap, double[] bp, int bpOff, int bPanelStep, int bRowStep,
                      boolean overwrite, double[] c, int cOff, int ldc, double[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int panel = bpOff + jr / NR * bPanelStep;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                tile(kc, ap, ir / MR * kc * MR, bp, panel, bRowStep, mr, nr, overwrite, c, cOff + ir * ldc + jr, ldc,
                        tile);
            }
        }
    }

    // Naive form of this tile: for i < MR, j < NR: acc = 0; for p < kc: acc = fma(A[i][p], B[p][j], acc);
    //                          C[i][j] = overwrite ? acc : C[i][j] + acc
    // unrolled into 16 local accumulators so they live in registers.
    private static void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, int bRowStep, int mr, int nr,
                             boolean overwrite, double[] c, int cOff, int ldc, double[] tile) {
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++) {
            double b0 = bp[bOff], b1 = bp[bOff + 1], b2 = bp[bOff + 2], b3 = bp[bOff + 3];
            double a0 = ap[aOff];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            double a1 = ap[aOff + 1];
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            double a2 = ap[aOff + 2];
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            double a3 = ap[aOff + 3];
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
            aOff += MR;
            bOff += bRowStep;
        }
        tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
        tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
        tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
        tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
        for (int r = 0; r < mr; r++) {
            int ci = cOff + r * ldc;
            int t = r * NR;
            if (overwrite) {
                System.arraycopy(tile, t, c, ci, nr);
            } else {
                for (int j = 0; j < nr; j++) {
                    c[ci + j] += tile[t + j];
                }
            }
        }
    }
}
