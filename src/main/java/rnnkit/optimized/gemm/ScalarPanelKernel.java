package rnnkit.optimized.gemm;

import java.util.Arrays;

/**
 * Plain-Java panel kernel: the fallback when the Vector API module is not in the runtime image or not enabled
 * ({@code --add-modules jdk.incubator.vector}). Same arithmetic as {@link PanelKernel} prescribes (scalar
 * {@link Math#fma}, k ascending within a depth block), so its results are bit-identical to the vector kernel's.
 *
 * <p>Tile MR×NR = 4×16 (float) and 4×8 (double): 64/32 accumulators held in a scratch array that stays in L1;
 * the innermost j loop over NR contiguous values is what C2's auto-vectorizer can turn into vector FMAs.
 */
final class ScalarPanelKernel implements PanelKernel {

    static final int MR_FLOAT = 4;
    static final int NR_FLOAT = 16;
    static final int MR_DOUBLE = 4;
    static final int NR_DOUBLE = 8;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int floatTileRows() {
        return MR_FLOAT;
    }

    @Override
    public int floatTileCols() {
        return NR_FLOAT;
    }

    @Override
    public int doubleTileRows() {
        return MR_DOUBLE;
    }

    @Override
    public int doubleTileCols() {
        return NR_DOUBLE;
    }

    @Override
    public void floatBlock(int mc, int nc, int kc, float[] ap, float[] bp, int bpOff, boolean overwrite,
                           float[] c, int cOff, int ldc, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR_FLOAT) {
            int nr = Math.min(NR_FLOAT, nc - jr);
            int panel = bpOff + jr / NR_FLOAT * kc * NR_FLOAT;
            for (int ir = 0; ir < mc; ir += MR_FLOAT) {
                int mr = Math.min(MR_FLOAT, mc - ir);
                floatTile(kc, ap, ir / MR_FLOAT * kc * MR_FLOAT, bp, panel, mr, nr, overwrite, c, cOff + ir * ldc + jr, ldc, tile);
            }
        }
    }

    // for i < MR, j < NR: acc = 0; for p < kc: acc = fma(A[i][p], B[p][j], acc); C[i][j] = overwrite ? acc : C[i][j] + acc
    // kept in that form, with the accumulators in the tile scratch array and j innermost so C2 can vectorize it.
    private static void floatTile(int kc, float[] ap, int aOff, float[] bp, int bOff, int mr, int nr, boolean overwrite,
                                  float[] c, int cOff, int ldc, float[] acc) {
        Arrays.fill(acc, 0, MR_FLOAT * NR_FLOAT, 0f);
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * MR_FLOAT;
            int b = bOff + p * NR_FLOAT;
            for (int r = 0; r < MR_FLOAT; r++) {
                float ar = ap[a + r];
                int t = r * NR_FLOAT;
                for (int j = 0; j < NR_FLOAT; j++) {
                    acc[t + j] = Math.fma(ar, bp[b + j], acc[t + j]);
                }
            }
        }
        for (int r = 0; r < mr; r++) {
            int ci = cOff + r * ldc;
            int t = r * NR_FLOAT;
            if (overwrite) {
                System.arraycopy(acc, t, c, ci, nr);
            } else {
                for (int j = 0; j < nr; j++) {
                    c[ci + j] += acc[t + j];
                }
            }
        }
    }

    @Override
    public void doubleBlock(int mc, int nc, int kc, double[] ap, double[] bp, int bpOff, boolean overwrite,
                           double[] c, int cOff, int ldc, double[] tile) {
        for (int jr = 0; jr < nc; jr += NR_DOUBLE) {
            int nr = Math.min(NR_DOUBLE, nc - jr);
            int panel = bpOff + jr / NR_DOUBLE * kc * NR_DOUBLE;
            for (int ir = 0; ir < mc; ir += MR_DOUBLE) {
                int mr = Math.min(MR_DOUBLE, mc - ir);
                doubleTile(kc, ap, ir / MR_DOUBLE * kc * MR_DOUBLE, bp, panel, mr, nr, overwrite, c, cOff + ir * ldc + jr, ldc, tile);
            }
        }
    }

    // for i < MR, j < NR: acc = 0; for p < kc: acc = fma(A[i][p], B[p][j], acc); C[i][j] = overwrite ? acc : C[i][j] + acc
    // kept in that form, with the accumulators in the tile scratch array and j innermost so C2 can vectorize it.
    private static void doubleTile(int kc, double[] ap, int aOff, double[] bp, int bOff, int mr, int nr, boolean overwrite,
                                  double[] c, int cOff, int ldc, double[] acc) {
        Arrays.fill(acc, 0, MR_DOUBLE * NR_DOUBLE, 0d);
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * MR_DOUBLE;
            int b = bOff + p * NR_DOUBLE;
            for (int r = 0; r < MR_DOUBLE; r++) {
                double ar = ap[a + r];
                int t = r * NR_DOUBLE;
                for (int j = 0; j < NR_DOUBLE; j++) {
                    acc[t + j] = Math.fma(ar, bp[b + j], acc[t + j]);
                }
            }
        }
        for (int r = 0; r < mr; r++) {
            int ci = cOff + r * ldc;
            int t = r * NR_DOUBLE;
            if (overwrite) {
                System.arraycopy(acc, t, c, ci, nr);
            } else {
                for (int j = 0; j < nr; j++) {
                    c[ci + j] += acc[t + j];
                }
            }
        }
    }
}
