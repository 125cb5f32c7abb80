// GENERATED (float64, tileRows=6, vectorsPerRow=2) by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized.gemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled float64 panel kernel on the Vector API (incubator module {@code jdk.incubator.vector}).
 * Only loaded through {@link GemmVariants} after checking that the module is present, so the rest of
 * the package works without it.
 *
 * <p>Species: {@code SPECIES_PREFERRED}, 512 bits on an AVX-512 machine (16 floats / 8 doubles), which
 * on a machine with only AVX2 becomes 256 bits instead of an emulated 512. Measured on an AVX-512
 * Xeon, same 6×2-vector tile, single thread (CPU time), SPECIES_512 vs SPECIES_256: float 64×1536×512
 * 99 vs 73, 512³ 144 vs 89, 2048³ 117 vs 70 GFLOP/s; double 512³ 64 vs 38.
 *
 * <p>Tile MR×NR = 6×2·L, L = lanes per vector: 12 accumulator vectors plus 2 B vectors and
 * one broadcast stay within the 32 vector registers of AVX-512, and each B vector loaded is reused
 * 6 times. Float32 tile shapes measured on an AVX-512 Xeon (Sapphire/Emerald Rapids class), same
 * run, single thread, CPU time, whole LSTM (32,100,512,512) float32 forward: 6×2 73, 8×2 84, 8×3 84,
 * 12×2 82, 5×4 72 GFLOP/s; GRU (64,50,256,256): 69, 73, 71, 71, 65. 8×2 also fits batch slices
 * aligned to 8 rows without a partial sliver (16 rows: 2 full slivers instead of 6 + 6 + 4). The float64
 * kernel keeps 6×2.
 *
 * <p>Inner loops compute their offsets from the loop counter (aOff + p·MR, bOff + p·stride) rather
 * than bumping offset variables, and packed B panels (row stride NR, a constant) get their own tile
 * method: C2 then hoists the array range checks out of the loop. Measured single thread, float,
 * GFLOP/s before → after: 512³ 106 → 139, 3200×1024×256 95 → 143, 64×1024×256 with packed B
 * 111 → 145 (bit-identical results: same fma chains).
 *
 * <p>The last sliver of a block, when it has at most MR/2 valid rows (batch 1–3 of an RNN step, or
 * the remainder of a larger batch), uses "wide" tiles: 1 or MR/2 rows × two adjacent panels, so the
 * FMAs are not spent on zero rows. Same per-element fma chain, so the results are the same bits.
 * Measured 1×1024×256 float with packed B: 41 GFLOP/s vs 22 without.
 */
final class DoubleVectorPanelKernel implements DoublePanelKernel {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;
    /** Row count up to which a block's last sliver uses the wide (two-panel) tiles. */
    static final int WIDE_ROWS = 3;

    @Override
    public String name() {
        return "vector" + S.vectorBitSize();
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
    public void block(int mc, int nc, int kc, double[] ap, double[] bp, int bpOff, int bPanelStep,
                      int bRowStep, boolean overwrite, double[] c, int cOff, int ldc, double[] tile) {
        // A last sliver with at most WIDE_ROWS valid rows (small batches: the RNN per-step product)
        // goes through the wide tiles below; all other slivers through the MR×NR tile, B panel outer
        // so it stays in L1 across slivers.
        int tailRows = mc % MR <= WIDE_ROWS ? mc % MR : 0;
        int fullRows = mc - tailRows;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int panel = bpOff + jr / NR * bPanelStep;
            for (int ir = 0; ir < fullRows; ir += MR) {
                int mr = Math.min(MR, fullRows - ir);
                if (bRowStep == NR) {
                    tilePacked(kc, ap, ir / MR * kc * MR, bp, panel, mr, nr, overwrite,
                            c, cOff + ir * ldc + jr, ldc, tile);
                } else {
                    tile(kc, ap, ir / MR * kc * MR, bp, panel, bRowStep, mr, nr, overwrite,
                            c, cOff + ir * ldc + jr, ldc, tile);
                }
            }
        }
        if (tailRows == 0) {
            return;
        }
        int aSliver = fullRows / MR * kc * MR;
        int cRow = cOff + fullRows * ldc;
        int jr = 0;
        for (; jr + 2 * NR <= nc; jr += 2 * NR) {
            int panel = bpOff + jr / NR * bPanelStep;
            if (tailRows == 1) {
                wideTile1(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c,
                        cRow + jr, ldc);
            } else {
                wideTile3(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c,
                        cRow + jr, ldc);
            }
        }
        for (; jr < nc; jr += NR) {
            tile(kc, ap, aSliver, bp, bpOff + jr / NR * bPanelStep, bRowStep, tailRows,
                    Math.min(NR, nc - jr), overwrite, c, cRow + jr, ldc, tile);
        }
    }

    private static void writeBack(double[] tile, int tileCols, int mr, int nr, boolean overwrite,
                                  double[] c, int cOff, int ldc) {
        for (int r = 0; r < mr; r++) {
            int ci = cOff + r * ldc;
            int t = r * tileCols;
            if (overwrite) {
                System.arraycopy(tile, t, c, ci, nr);
            } else {
                for (int j = 0; j < nr; j++) {
                    c[ci + j] += tile[t + j];
                }
            }
        }
    }

    // Naive form of this tile: for i < MR, j < NR: acc = 0; for p < kc: acc = fma(A[i][p], B[p][j], acc);
    //                          C[i][j] = overwrite ? acc : C[i][j] + acc
    // Here the 6×2 accumulator vectors stay in registers; per p: 2 loads of B, 6 broadcasts of A, 12 FMAs.
    private static void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, int bRowStep, int mr,
                             int nr, boolean overwrite, double[] c, int cOff, int ldc, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR; // offsets from the loop counter: C2 hoists the range checks
            int bp0 = bOff + p * bRowStep;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bp0);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bp0 + 1 * L);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ap0 + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ap0 + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[ap0 + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(S, ap[ap0 + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(S, ap[ap0 + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (mr == MR && nr == NR) {
            if (overwrite) {
                c00.intoArray(c, cOff + 0 * ldc);
                c01.intoArray(c, cOff + 0 * ldc + 1 * L);
                c10.intoArray(c, cOff + 1 * ldc);
                c11.intoArray(c, cOff + 1 * ldc + 1 * L);
                c20.intoArray(c, cOff + 2 * ldc);
                c21.intoArray(c, cOff + 2 * ldc + 1 * L);
                c30.intoArray(c, cOff + 3 * ldc);
                c31.intoArray(c, cOff + 3 * ldc + 1 * L);
                c40.intoArray(c, cOff + 4 * ldc);
                c41.intoArray(c, cOff + 4 * ldc + 1 * L);
                c50.intoArray(c, cOff + 5 * ldc);
                c51.intoArray(c, cOff + 5 * ldc + 1 * L);
            } else {
                DoubleVector.fromArray(S, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
                DoubleVector.fromArray(S, c, cOff + 0 * ldc + 1 * L).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
                DoubleVector.fromArray(S, c, cOff + 1 * ldc + 1 * L).add(c11).intoArray(c, cOff + 1 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
                DoubleVector.fromArray(S, c, cOff + 2 * ldc + 1 * L).add(c21).intoArray(c, cOff + 2 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 3 * ldc).add(c30).intoArray(c, cOff + 3 * ldc);
                DoubleVector.fromArray(S, c, cOff + 3 * ldc + 1 * L).add(c31).intoArray(c, cOff + 3 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 4 * ldc).add(c40).intoArray(c, cOff + 4 * ldc);
                DoubleVector.fromArray(S, c, cOff + 4 * ldc + 1 * L).add(c41).intoArray(c, cOff + 4 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 5 * ldc).add(c50).intoArray(c, cOff + 5 * ldc);
                DoubleVector.fromArray(S, c, cOff + 5 * ldc + 1 * L).add(c51).intoArray(c, cOff + 5 * ldc + 1 * L);
            }
            return;
        }
        // Partial tile (edge of C): spill the accumulators and write back only the mr×nr valid entries.
        c00.intoArray(tile, 0 * L);
        c01.intoArray(tile, 1 * L);
        c10.intoArray(tile, 2 * L);
        c11.intoArray(tile, 3 * L);
        c20.intoArray(tile, 4 * L);
        c21.intoArray(tile, 5 * L);
        c30.intoArray(tile, 6 * L);
        c31.intoArray(tile, 7 * L);
        c40.intoArray(tile, 8 * L);
        c41.intoArray(tile, 9 * L);
        c50.intoArray(tile, 10 * L);
        c51.intoArray(tile, 11 * L);
        writeBack(tile, NR, mr, nr, overwrite, c, cOff, ldc);
    }

    // Naive form of this tile: for i < MR, j < NR: acc = 0; for p < kc: acc = fma(A[i][p], B[p][j], acc);
    //                          C[i][j] = overwrite ? acc : C[i][j] + acc
    // Here the 6×2 accumulator vectors stay in registers; per p: 2 loads of B, 6 broadcasts of A, 12 FMAs.
    // B rows NR apart (packed panels): a constant stride, so C2 removes the bounds checks from the loop.
    private static void tilePacked(int kc, double[] ap, int aOff, double[] bp, int bOff, int mr, int nr,
                                   boolean overwrite, double[] c, int cOff, int ldc, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR; // offsets from the loop counter: C2 hoists the range checks
            int bp0 = bOff + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bp0);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bp0 + 1 * L);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ap0 + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ap0 + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[ap0 + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(S, ap[ap0 + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(S, ap[ap0 + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (mr == MR && nr == NR) {
            if (overwrite) {
                c00.intoArray(c, cOff + 0 * ldc);
                c01.intoArray(c, cOff + 0 * ldc + 1 * L);
                c10.intoArray(c, cOff + 1 * ldc);
                c11.intoArray(c, cOff + 1 * ldc + 1 * L);
                c20.intoArray(c, cOff + 2 * ldc);
                c21.intoArray(c, cOff + 2 * ldc + 1 * L);
                c30.intoArray(c, cOff + 3 * ldc);
                c31.intoArray(c, cOff + 3 * ldc + 1 * L);
                c40.intoArray(c, cOff + 4 * ldc);
                c41.intoArray(c, cOff + 4 * ldc + 1 * L);
                c50.intoArray(c, cOff + 5 * ldc);
                c51.intoArray(c, cOff + 5 * ldc + 1 * L);
            } else {
                DoubleVector.fromArray(S, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
                DoubleVector.fromArray(S, c, cOff + 0 * ldc + 1 * L).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
                DoubleVector.fromArray(S, c, cOff + 1 * ldc + 1 * L).add(c11).intoArray(c, cOff + 1 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
                DoubleVector.fromArray(S, c, cOff + 2 * ldc + 1 * L).add(c21).intoArray(c, cOff + 2 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 3 * ldc).add(c30).intoArray(c, cOff + 3 * ldc);
                DoubleVector.fromArray(S, c, cOff + 3 * ldc + 1 * L).add(c31).intoArray(c, cOff + 3 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 4 * ldc).add(c40).intoArray(c, cOff + 4 * ldc);
                DoubleVector.fromArray(S, c, cOff + 4 * ldc + 1 * L).add(c41).intoArray(c, cOff + 4 * ldc + 1 * L);
                DoubleVector.fromArray(S, c, cOff + 5 * ldc).add(c50).intoArray(c, cOff + 5 * ldc);
                DoubleVector.fromArray(S, c, cOff + 5 * ldc + 1 * L).add(c51).intoArray(c, cOff + 5 * ldc + 1 * L);
            }
            return;
        }
        // Partial tile (edge of C): spill the accumulators and write back only the mr×nr valid entries.
        c00.intoArray(tile, 0 * L);
        c01.intoArray(tile, 1 * L);
        c10.intoArray(tile, 2 * L);
        c11.intoArray(tile, 3 * L);
        c20.intoArray(tile, 4 * L);
        c21.intoArray(tile, 5 * L);
        c30.intoArray(tile, 6 * L);
        c31.intoArray(tile, 7 * L);
        c40.intoArray(tile, 8 * L);
        c41.intoArray(tile, 9 * L);
        c50.intoArray(tile, 10 * L);
        c51.intoArray(tile, 11 * L);
        writeBack(tile, NR, mr, nr, overwrite, c, cOff, ldc);
    }

    // Same per-element arithmetic as tile (acc = fma(A[i][p], B[p][j], acc), p ascending), for a sliver
    // with at most 1 valid row: 1 row × 2 panels = 4 independent accumulator chains instead of
    // computing MR rows of which most are zero padding.
    private static void wideTile1(int kc, double[] ap, int aOff, double[] bp, int bOff, int bPanelStep,
                                  int bRowStep, int mr, boolean overwrite, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S), c02 = DoubleVector.zero(S), c03 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR;
            int bp0 = bOff + p * bRowStep;
            int bp1 = bp0 + bPanelStep;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bp0);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bp0 + 1 * L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bp1);
            DoubleVector b3 = DoubleVector.fromArray(S, bp, bp1 + 1 * L);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
        }
        if (overwrite) {
            c00.intoArray(c, cOff + 0 * ldc);
        } else {
            DoubleVector.fromArray(S, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
        }
        if (overwrite) {
            c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        } else {
            DoubleVector.fromArray(S, c, cOff + 0 * ldc + 1 * L).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L);
        }
        if (overwrite) {
            c02.intoArray(c, cOff + 0 * ldc + 2 * L);
        } else {
            DoubleVector.fromArray(S, c, cOff + 0 * ldc + 2 * L).add(c02).intoArray(c, cOff + 0 * ldc + 2 * L);
        }
        if (overwrite) {
            c03.intoArray(c, cOff + 0 * ldc + 3 * L);
        } else {
            DoubleVector.fromArray(S, c, cOff + 0 * ldc + 3 * L).add(c03).intoArray(c, cOff + 0 * ldc + 3 * L);
        }
    }

    // Same per-element arithmetic as tile (acc = fma(A[i][p], B[p][j], acc), p ascending), for a sliver
    // with at most 3 valid rows: 3 rows × 2 panels = 12 independent accumulator chains instead of
    // computing MR rows of which most are zero padding.
    private static void wideTile3(int kc, double[] ap, int aOff, double[] bp, int bOff, int bPanelStep,
                                  int bRowStep, int mr, boolean overwrite, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S), c02 = DoubleVector.zero(S), c03 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S), c12 = DoubleVector.zero(S), c13 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S), c22 = DoubleVector.zero(S), c23 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR;
            int bp0 = bOff + p * bRowStep;
            int bp1 = bp0 + bPanelStep;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bp0);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bp0 + 1 * L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bp1);
            DoubleVector b3 = DoubleVector.fromArray(S, bp, bp1 + 1 * L);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ap0 + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ap0 + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
        }
        if (overwrite) {
            c00.intoArray(c, cOff + 0 * ldc);
        } else {
            DoubleVector.fromArray(S, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
        }
        if (overwrite) {
            c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        } else {
            DoubleVector.fromArray(S, c, cOff + 0 * ldc + 1 * L).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L);
        }
        if (overwrite) {
            c02.intoArray(c, cOff + 0 * ldc + 2 * L);
        } else {
            DoubleVector.fromArray(S, c, cOff + 0 * ldc + 2 * L).add(c02).intoArray(c, cOff + 0 * ldc + 2 * L);
        }
        if (overwrite) {
            c03.intoArray(c, cOff + 0 * ldc + 3 * L);
        } else {
            DoubleVector.fromArray(S, c, cOff + 0 * ldc + 3 * L).add(c03).intoArray(c, cOff + 0 * ldc + 3 * L);
        }
        if (mr > 1) {
            if (overwrite) {
                c10.intoArray(c, cOff + 1 * ldc);
            } else {
                DoubleVector.fromArray(S, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
            }
            if (overwrite) {
                c11.intoArray(c, cOff + 1 * ldc + 1 * L);
            } else {
                DoubleVector.fromArray(S, c, cOff + 1 * ldc + 1 * L).add(c11).intoArray(c, cOff + 1 * ldc + 1 * L);
            }
            if (overwrite) {
                c12.intoArray(c, cOff + 1 * ldc + 2 * L);
            } else {
                DoubleVector.fromArray(S, c, cOff + 1 * ldc + 2 * L).add(c12).intoArray(c, cOff + 1 * ldc + 2 * L);
            }
            if (overwrite) {
                c13.intoArray(c, cOff + 1 * ldc + 3 * L);
            } else {
                DoubleVector.fromArray(S, c, cOff + 1 * ldc + 3 * L).add(c13).intoArray(c, cOff + 1 * ldc + 3 * L);
            }
        }
        if (mr > 2) {
            if (overwrite) {
                c20.intoArray(c, cOff + 2 * ldc);
            } else {
                DoubleVector.fromArray(S, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
            }
            if (overwrite) {
                c21.intoArray(c, cOff + 2 * ldc + 1 * L);
            } else {
                DoubleVector.fromArray(S, c, cOff + 2 * ldc + 1 * L).add(c21).intoArray(c, cOff + 2 * ldc + 1 * L);
            }
            if (overwrite) {
                c22.intoArray(c, cOff + 2 * ldc + 2 * L);
            } else {
                DoubleVector.fromArray(S, c, cOff + 2 * ldc + 2 * L).add(c22).intoArray(c, cOff + 2 * ldc + 2 * L);
            }
            if (overwrite) {
                c23.intoArray(c, cOff + 2 * ldc + 3 * L);
            } else {
                DoubleVector.fromArray(S, c, cOff + 2 * ldc + 3 * L).add(c23).intoArray(c, cOff + 2 * ldc + 3 * L);
            }
        }
    }
}
