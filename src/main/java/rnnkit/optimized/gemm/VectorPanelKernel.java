package rnnkit.optimized.gemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled panel kernel on the Vector API (incubator module {@code jdk.incubator.vector}). Only loaded
 * through {@link GemmVariants} after checking that the module is present, so the rest of the package works
 * without it.
 *
 * <p>Species: {@code SPECIES_PREFERRED}, 512 bits on this machine (16 floats / 8 doubles), which on a machine
 * with only AVX2 becomes 256 bits instead of an emulated 512. Measured here, same 6×2-vector tile, single thread
 * (CPU time), SPECIES_512 vs SPECIES_256: float 64×1536×512 99 vs 73, 512³ 144 vs 89, 2048³ 117 vs 70 GFLOP/s;
 * double 512³ 64 vs 38 (shared/docs/performance.md saw the same on Zen 4, whose FMA units are 256 bits wide:
 * half as many instructions to issue).
 *
 * <p>Tile MR×NR = 6×2·L (float) and 6×2·L (double), L = lanes per vector: 12 / 12
 * accumulator vectors plus 2 B vectors and one broadcast stay within the 32 vector registers of AVX-512,
 * and each B vector loaded is reused 6 times. Measured single-thread (CPU time) against 8×2: 6×2 was faster on
 * every shape (512³ float 125 vs 102 GFLOP/s); 12×2 and 14×2 make the tile method exceed HotSpot's
 * HugeMethodLimit (8000 bytecodes), so it is never compiled and runs interpreted, thousands of times slower.
 *
 * <p>Inner loops compute their offsets from the loop counter (aOff + p·MR, bOff + p·stride) rather than bumping
 * offset variables, and packed B panels (row stride NR, a constant) get their own tile method: C2 then hoists the
 * array range checks out of the loop. Measured single thread, float, GFLOP/s before → after: 512³ 106 → 139,
 * 3200×1024×256 95 → 143, 64×1024×256 with packed B 111 → 145 (bit-identical results: same fma chains).
 *
 * <p>The last sliver of a block, when it has at most MR/2 valid rows (batch 1–3 of an RNN step, or the remainder
 * of a larger batch), uses "wide" tiles: 1 or MR/2 rows × two adjacent panels, so the FMAs are not spent on zero
 * rows. Same per-element fma chain, so the results are the same bits. Measured 1×1024×256 float with packed B:
 * 41 GFLOP/s vs 22 without.
 *
 * <p>Generated (the unrolled register tiles are mechanical) by generate_vector_panel_kernel.py beside this file:
 * {@code python3 generate_vector_panel_kernel.py 6 2 6 2 > VectorPanelKernel.java} (MR and vectors per row, for
 * float then double). Edit the generator, not this file.
 */
final class VectorPanelKernel implements PanelKernel {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int L_FLOAT = F.length();
    private static final int L_DOUBLE = D.length();
    static final int MR_FLOAT = 6;
    static final int NR_FLOAT = 2 * L_FLOAT;
    static final int MR_DOUBLE = 6;
    static final int NR_DOUBLE = 2 * L_DOUBLE;
    /** Row count up to which a block's last sliver uses the wide (two-panel) tiles. */
    static final int WIDE_ROWS = 3;

    @Override
    public String name() {
        return "vector" + F.vectorBitSize();
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
    public void floatBlock(int mc, int nc, int kc, float[] ap, float[] bp, int bpOff, int bPanelStep, int bRowStep,
                            boolean overwrite,
                            float[] c, int cOff, int ldc, float[] tile) {
        // A last sliver with at most WIDE_ROWS valid rows (small batches: the RNN per-step product) goes through the
        // wide tiles below; all other slivers through the MR×NR tile, B panel outer so it stays in L1 across slivers.
        int tailRows = mc % MR_FLOAT <= WIDE_ROWS ? mc % MR_FLOAT : 0;
        int fullRows = mc - tailRows;
        for (int jr = 0; jr < nc; jr += NR_FLOAT) {
            int nr = Math.min(NR_FLOAT, nc - jr);
            int panel = bpOff + jr / NR_FLOAT * bPanelStep;
            for (int ir = 0; ir < fullRows; ir += MR_FLOAT) {
                int mr = Math.min(MR_FLOAT, fullRows - ir);
                if (bRowStep == NR_FLOAT) {
                    floatTilePacked(kc, ap, ir / MR_FLOAT * kc * MR_FLOAT, bp, panel, mr, nr, overwrite,
                            c, cOff + ir * ldc + jr, ldc, tile);
                } else {
                    floatTile(kc, ap, ir / MR_FLOAT * kc * MR_FLOAT, bp, panel, bRowStep, mr, nr, overwrite,
                            c, cOff + ir * ldc + jr, ldc, tile);
                }
            }
        }
        if (tailRows == 0) {
            return;
        }
        int aSliver = fullRows / MR_FLOAT * kc * MR_FLOAT;
        int cRow = cOff + fullRows * ldc;
        int jr = 0;
        for (; jr + 2 * NR_FLOAT <= nc; jr += 2 * NR_FLOAT) {
            int panel = bpOff + jr / NR_FLOAT * bPanelStep;
            if (tailRows == 1) {
                floatWideTile1(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c, cRow + jr, ldc);
            } else {
                floatWideTile3(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c, cRow + jr,
                        ldc);
            }
        }
        for (; jr < nc; jr += NR_FLOAT) {
            floatTile(kc, ap, aSliver, bp, bpOff + jr / NR_FLOAT * bPanelStep, bRowStep, tailRows,
                    Math.min(NR_FLOAT, nc - jr), overwrite, c, cRow + jr, ldc, tile);
        }
    }

    private static void writeBack(float[] tile, int tileCols, int mr, int nr, boolean overwrite,
                                  float[] c, int cOff, int ldc) {
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
    private static void floatTile(int kc, float[] ap, int aOff, float[] bp, int bOff, int bRowStep, int mr, int nr,
                                  boolean overwrite, float[] c, int cOff, int ldc, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR_FLOAT; // offsets from the loop counter: C2 hoists the range checks
            int bp0 = bOff + p * bRowStep;
            FloatVector b0 = FloatVector.fromArray(F, bp, bp0);
            FloatVector b1 = FloatVector.fromArray(F, bp, bp0 + 1 * L_FLOAT);
            FloatVector a0 = FloatVector.broadcast(F, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ap0 + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ap0 + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ap0 + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, ap[ap0 + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, ap[ap0 + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (mr == MR_FLOAT && nr == NR_FLOAT) {
            if (overwrite) {
                c00.intoArray(c, cOff + 0 * ldc);
                c01.intoArray(c, cOff + 0 * ldc + 1 * L_FLOAT);
                c10.intoArray(c, cOff + 1 * ldc);
                c11.intoArray(c, cOff + 1 * ldc + 1 * L_FLOAT);
                c20.intoArray(c, cOff + 2 * ldc);
                c21.intoArray(c, cOff + 2 * ldc + 1 * L_FLOAT);
                c30.intoArray(c, cOff + 3 * ldc);
                c31.intoArray(c, cOff + 3 * ldc + 1 * L_FLOAT);
                c40.intoArray(c, cOff + 4 * ldc);
                c41.intoArray(c, cOff + 4 * ldc + 1 * L_FLOAT);
                c50.intoArray(c, cOff + 5 * ldc);
                c51.intoArray(c, cOff + 5 * ldc + 1 * L_FLOAT);
            } else {
                FloatVector.fromArray(F, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
                FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * L_FLOAT).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
                FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * L_FLOAT).add(c11).intoArray(c, cOff + 1 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
                FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * L_FLOAT).add(c21).intoArray(c, cOff + 2 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 3 * ldc).add(c30).intoArray(c, cOff + 3 * ldc);
                FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * L_FLOAT).add(c31).intoArray(c, cOff + 3 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 4 * ldc).add(c40).intoArray(c, cOff + 4 * ldc);
                FloatVector.fromArray(F, c, cOff + 4 * ldc + 1 * L_FLOAT).add(c41).intoArray(c, cOff + 4 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 5 * ldc).add(c50).intoArray(c, cOff + 5 * ldc);
                FloatVector.fromArray(F, c, cOff + 5 * ldc + 1 * L_FLOAT).add(c51).intoArray(c, cOff + 5 * ldc + 1 * L_FLOAT);
            }
            return;
        }
        // Partial tile (edge of C): spill the accumulators and write back only the mr×nr valid entries.
        c00.intoArray(tile, 0 * L_FLOAT);
        c01.intoArray(tile, 1 * L_FLOAT);
        c10.intoArray(tile, 2 * L_FLOAT);
        c11.intoArray(tile, 3 * L_FLOAT);
        c20.intoArray(tile, 4 * L_FLOAT);
        c21.intoArray(tile, 5 * L_FLOAT);
        c30.intoArray(tile, 6 * L_FLOAT);
        c31.intoArray(tile, 7 * L_FLOAT);
        c40.intoArray(tile, 8 * L_FLOAT);
        c41.intoArray(tile, 9 * L_FLOAT);
        c50.intoArray(tile, 10 * L_FLOAT);
        c51.intoArray(tile, 11 * L_FLOAT);
        writeBack(tile, NR_FLOAT, mr, nr, overwrite, c, cOff, ldc);
    }

    // Naive form of this tile: for i < MR, j < NR: acc = 0; for p < kc: acc = fma(A[i][p], B[p][j], acc);
    //                          C[i][j] = overwrite ? acc : C[i][j] + acc
    // Here the 6×2 accumulator vectors stay in registers; per p: 2 loads of B, 6 broadcasts of A, 12 FMAs.
    // B rows NR_FLOAT apart (packed panels): a constant stride, so C2 removes the bounds checks from the loop.
    private static void floatTilePacked(int kc, float[] ap, int aOff, float[] bp, int bOff, int mr, int nr,
                                  boolean overwrite, float[] c, int cOff, int ldc, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR_FLOAT; // offsets from the loop counter: C2 hoists the range checks
            int bp0 = bOff + p * NR_FLOAT;
            FloatVector b0 = FloatVector.fromArray(F, bp, bp0);
            FloatVector b1 = FloatVector.fromArray(F, bp, bp0 + 1 * L_FLOAT);
            FloatVector a0 = FloatVector.broadcast(F, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ap0 + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ap0 + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ap0 + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, ap[ap0 + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, ap[ap0 + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (mr == MR_FLOAT && nr == NR_FLOAT) {
            if (overwrite) {
                c00.intoArray(c, cOff + 0 * ldc);
                c01.intoArray(c, cOff + 0 * ldc + 1 * L_FLOAT);
                c10.intoArray(c, cOff + 1 * ldc);
                c11.intoArray(c, cOff + 1 * ldc + 1 * L_FLOAT);
                c20.intoArray(c, cOff + 2 * ldc);
                c21.intoArray(c, cOff + 2 * ldc + 1 * L_FLOAT);
                c30.intoArray(c, cOff + 3 * ldc);
                c31.intoArray(c, cOff + 3 * ldc + 1 * L_FLOAT);
                c40.intoArray(c, cOff + 4 * ldc);
                c41.intoArray(c, cOff + 4 * ldc + 1 * L_FLOAT);
                c50.intoArray(c, cOff + 5 * ldc);
                c51.intoArray(c, cOff + 5 * ldc + 1 * L_FLOAT);
            } else {
                FloatVector.fromArray(F, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
                FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * L_FLOAT).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
                FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * L_FLOAT).add(c11).intoArray(c, cOff + 1 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
                FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * L_FLOAT).add(c21).intoArray(c, cOff + 2 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 3 * ldc).add(c30).intoArray(c, cOff + 3 * ldc);
                FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * L_FLOAT).add(c31).intoArray(c, cOff + 3 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 4 * ldc).add(c40).intoArray(c, cOff + 4 * ldc);
                FloatVector.fromArray(F, c, cOff + 4 * ldc + 1 * L_FLOAT).add(c41).intoArray(c, cOff + 4 * ldc + 1 * L_FLOAT);
                FloatVector.fromArray(F, c, cOff + 5 * ldc).add(c50).intoArray(c, cOff + 5 * ldc);
                FloatVector.fromArray(F, c, cOff + 5 * ldc + 1 * L_FLOAT).add(c51).intoArray(c, cOff + 5 * ldc + 1 * L_FLOAT);
            }
            return;
        }
        // Partial tile (edge of C): spill the accumulators and write back only the mr×nr valid entries.
        c00.intoArray(tile, 0 * L_FLOAT);
        c01.intoArray(tile, 1 * L_FLOAT);
        c10.intoArray(tile, 2 * L_FLOAT);
        c11.intoArray(tile, 3 * L_FLOAT);
        c20.intoArray(tile, 4 * L_FLOAT);
        c21.intoArray(tile, 5 * L_FLOAT);
        c30.intoArray(tile, 6 * L_FLOAT);
        c31.intoArray(tile, 7 * L_FLOAT);
        c40.intoArray(tile, 8 * L_FLOAT);
        c41.intoArray(tile, 9 * L_FLOAT);
        c50.intoArray(tile, 10 * L_FLOAT);
        c51.intoArray(tile, 11 * L_FLOAT);
        writeBack(tile, NR_FLOAT, mr, nr, overwrite, c, cOff, ldc);
    }

    // Same per-element arithmetic as floatTile (acc = fma(A[i][p], B[p][j], acc), p ascending), for a sliver
    // with at most 1 valid rows: 1 rows × 2 panels = 4 independent accumulator chains instead of
    // computing MR rows of which most are zero padding.
    private static void floatWideTile1(int kc, float[] ap, int aOff, float[] bp, int bOff, int bPanelStep,
                                    int bRowStep, int mr, boolean overwrite, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F), c03 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR_FLOAT;
            int bp0 = bOff + p * bRowStep;
            int bp1 = bp0 + bPanelStep;
            FloatVector b0 = FloatVector.fromArray(F, bp, bp0);
            FloatVector b1 = FloatVector.fromArray(F, bp, bp0 + 1 * L_FLOAT);
            FloatVector b2 = FloatVector.fromArray(F, bp, bp1);
            FloatVector b3 = FloatVector.fromArray(F, bp, bp1 + 1 * L_FLOAT);
            FloatVector a0 = FloatVector.broadcast(F, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
        }
        if (overwrite) {
            c00.intoArray(c, cOff + 0 * ldc);
        } else {
            FloatVector.fromArray(F, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
        }
        if (overwrite) {
            c01.intoArray(c, cOff + 0 * ldc + 1 * L_FLOAT);
        } else {
            FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * L_FLOAT).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L_FLOAT);
        }
        if (overwrite) {
            c02.intoArray(c, cOff + 0 * ldc + 2 * L_FLOAT);
        } else {
            FloatVector.fromArray(F, c, cOff + 0 * ldc + 2 * L_FLOAT).add(c02).intoArray(c, cOff + 0 * ldc + 2 * L_FLOAT);
        }
        if (overwrite) {
            c03.intoArray(c, cOff + 0 * ldc + 3 * L_FLOAT);
        } else {
            FloatVector.fromArray(F, c, cOff + 0 * ldc + 3 * L_FLOAT).add(c03).intoArray(c, cOff + 0 * ldc + 3 * L_FLOAT);
        }
    }

    // Same per-element arithmetic as floatTile (acc = fma(A[i][p], B[p][j], acc), p ascending), for a sliver
    // with at most 3 valid rows: 3 rows × 2 panels = 12 independent accumulator chains instead of
    // computing MR rows of which most are zero padding.
    private static void floatWideTile3(int kc, float[] ap, int aOff, float[] bp, int bOff, int bPanelStep,
                                    int bRowStep, int mr, boolean overwrite, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F), c03 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F), c13 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c22 = FloatVector.zero(F), c23 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR_FLOAT;
            int bp0 = bOff + p * bRowStep;
            int bp1 = bp0 + bPanelStep;
            FloatVector b0 = FloatVector.fromArray(F, bp, bp0);
            FloatVector b1 = FloatVector.fromArray(F, bp, bp0 + 1 * L_FLOAT);
            FloatVector b2 = FloatVector.fromArray(F, bp, bp1);
            FloatVector b3 = FloatVector.fromArray(F, bp, bp1 + 1 * L_FLOAT);
            FloatVector a0 = FloatVector.broadcast(F, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(F, ap[ap0 + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(F, ap[ap0 + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
        }
        if (overwrite) {
            c00.intoArray(c, cOff + 0 * ldc);
        } else {
            FloatVector.fromArray(F, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
        }
        if (overwrite) {
            c01.intoArray(c, cOff + 0 * ldc + 1 * L_FLOAT);
        } else {
            FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * L_FLOAT).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L_FLOAT);
        }
        if (overwrite) {
            c02.intoArray(c, cOff + 0 * ldc + 2 * L_FLOAT);
        } else {
            FloatVector.fromArray(F, c, cOff + 0 * ldc + 2 * L_FLOAT).add(c02).intoArray(c, cOff + 0 * ldc + 2 * L_FLOAT);
        }
        if (overwrite) {
            c03.intoArray(c, cOff + 0 * ldc + 3 * L_FLOAT);
        } else {
            FloatVector.fromArray(F, c, cOff + 0 * ldc + 3 * L_FLOAT).add(c03).intoArray(c, cOff + 0 * ldc + 3 * L_FLOAT);
        }
        if (mr > 1) {
            if (overwrite) {
                c10.intoArray(c, cOff + 1 * ldc);
            } else {
                FloatVector.fromArray(F, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
            }
            if (overwrite) {
                c11.intoArray(c, cOff + 1 * ldc + 1 * L_FLOAT);
            } else {
                FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * L_FLOAT).add(c11).intoArray(c, cOff + 1 * ldc + 1 * L_FLOAT);
            }
            if (overwrite) {
                c12.intoArray(c, cOff + 1 * ldc + 2 * L_FLOAT);
            } else {
                FloatVector.fromArray(F, c, cOff + 1 * ldc + 2 * L_FLOAT).add(c12).intoArray(c, cOff + 1 * ldc + 2 * L_FLOAT);
            }
            if (overwrite) {
                c13.intoArray(c, cOff + 1 * ldc + 3 * L_FLOAT);
            } else {
                FloatVector.fromArray(F, c, cOff + 1 * ldc + 3 * L_FLOAT).add(c13).intoArray(c, cOff + 1 * ldc + 3 * L_FLOAT);
            }
        }
        if (mr > 2) {
            if (overwrite) {
                c20.intoArray(c, cOff + 2 * ldc);
            } else {
                FloatVector.fromArray(F, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
            }
            if (overwrite) {
                c21.intoArray(c, cOff + 2 * ldc + 1 * L_FLOAT);
            } else {
                FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * L_FLOAT).add(c21).intoArray(c, cOff + 2 * ldc + 1 * L_FLOAT);
            }
            if (overwrite) {
                c22.intoArray(c, cOff + 2 * ldc + 2 * L_FLOAT);
            } else {
                FloatVector.fromArray(F, c, cOff + 2 * ldc + 2 * L_FLOAT).add(c22).intoArray(c, cOff + 2 * ldc + 2 * L_FLOAT);
            }
            if (overwrite) {
                c23.intoArray(c, cOff + 2 * ldc + 3 * L_FLOAT);
            } else {
                FloatVector.fromArray(F, c, cOff + 2 * ldc + 3 * L_FLOAT).add(c23).intoArray(c, cOff + 2 * ldc + 3 * L_FLOAT);
            }
        }
    }

    @Override
    public void doubleBlock(int mc, int nc, int kc, double[] ap, double[] bp, int bpOff, int bPanelStep, int bRowStep,
                            boolean overwrite,
                            double[] c, int cOff, int ldc, double[] tile) {
        // A last sliver with at most WIDE_ROWS valid rows (small batches: the RNN per-step product) goes through the
        // wide tiles below; all other slivers through the MR×NR tile, B panel outer so it stays in L1 across slivers.
        int tailRows = mc % MR_DOUBLE <= WIDE_ROWS ? mc % MR_DOUBLE : 0;
        int fullRows = mc - tailRows;
        for (int jr = 0; jr < nc; jr += NR_DOUBLE) {
            int nr = Math.min(NR_DOUBLE, nc - jr);
            int panel = bpOff + jr / NR_DOUBLE * bPanelStep;
            for (int ir = 0; ir < fullRows; ir += MR_DOUBLE) {
                int mr = Math.min(MR_DOUBLE, fullRows - ir);
                if (bRowStep == NR_DOUBLE) {
                    doubleTilePacked(kc, ap, ir / MR_DOUBLE * kc * MR_DOUBLE, bp, panel, mr, nr, overwrite,
                            c, cOff + ir * ldc + jr, ldc, tile);
                } else {
                    doubleTile(kc, ap, ir / MR_DOUBLE * kc * MR_DOUBLE, bp, panel, bRowStep, mr, nr, overwrite,
                            c, cOff + ir * ldc + jr, ldc, tile);
                }
            }
        }
        if (tailRows == 0) {
            return;
        }
        int aSliver = fullRows / MR_DOUBLE * kc * MR_DOUBLE;
        int cRow = cOff + fullRows * ldc;
        int jr = 0;
        for (; jr + 2 * NR_DOUBLE <= nc; jr += 2 * NR_DOUBLE) {
            int panel = bpOff + jr / NR_DOUBLE * bPanelStep;
            if (tailRows == 1) {
                doubleWideTile1(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c, cRow + jr, ldc);
            } else {
                doubleWideTile3(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c, cRow + jr,
                        ldc);
            }
        }
        for (; jr < nc; jr += NR_DOUBLE) {
            doubleTile(kc, ap, aSliver, bp, bpOff + jr / NR_DOUBLE * bPanelStep, bRowStep, tailRows,
                    Math.min(NR_DOUBLE, nc - jr), overwrite, c, cRow + jr, ldc, tile);
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
    private static void doubleTile(int kc, double[] ap, int aOff, double[] bp, int bOff, int bRowStep, int mr, int nr,
                                  boolean overwrite, double[] c, int cOff, int ldc, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(D), c01 = DoubleVector.zero(D);
        DoubleVector c10 = DoubleVector.zero(D), c11 = DoubleVector.zero(D);
        DoubleVector c20 = DoubleVector.zero(D), c21 = DoubleVector.zero(D);
        DoubleVector c30 = DoubleVector.zero(D), c31 = DoubleVector.zero(D);
        DoubleVector c40 = DoubleVector.zero(D), c41 = DoubleVector.zero(D);
        DoubleVector c50 = DoubleVector.zero(D), c51 = DoubleVector.zero(D);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR_DOUBLE; // offsets from the loop counter: C2 hoists the range checks
            int bp0 = bOff + p * bRowStep;
            DoubleVector b0 = DoubleVector.fromArray(D, bp, bp0);
            DoubleVector b1 = DoubleVector.fromArray(D, bp, bp0 + 1 * L_DOUBLE);
            DoubleVector a0 = DoubleVector.broadcast(D, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(D, ap[ap0 + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(D, ap[ap0 + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(D, ap[ap0 + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(D, ap[ap0 + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(D, ap[ap0 + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (mr == MR_DOUBLE && nr == NR_DOUBLE) {
            if (overwrite) {
                c00.intoArray(c, cOff + 0 * ldc);
                c01.intoArray(c, cOff + 0 * ldc + 1 * L_DOUBLE);
                c10.intoArray(c, cOff + 1 * ldc);
                c11.intoArray(c, cOff + 1 * ldc + 1 * L_DOUBLE);
                c20.intoArray(c, cOff + 2 * ldc);
                c21.intoArray(c, cOff + 2 * ldc + 1 * L_DOUBLE);
                c30.intoArray(c, cOff + 3 * ldc);
                c31.intoArray(c, cOff + 3 * ldc + 1 * L_DOUBLE);
                c40.intoArray(c, cOff + 4 * ldc);
                c41.intoArray(c, cOff + 4 * ldc + 1 * L_DOUBLE);
                c50.intoArray(c, cOff + 5 * ldc);
                c51.intoArray(c, cOff + 5 * ldc + 1 * L_DOUBLE);
            } else {
                DoubleVector.fromArray(D, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
                DoubleVector.fromArray(D, c, cOff + 0 * ldc + 1 * L_DOUBLE).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
                DoubleVector.fromArray(D, c, cOff + 1 * ldc + 1 * L_DOUBLE).add(c11).intoArray(c, cOff + 1 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
                DoubleVector.fromArray(D, c, cOff + 2 * ldc + 1 * L_DOUBLE).add(c21).intoArray(c, cOff + 2 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 3 * ldc).add(c30).intoArray(c, cOff + 3 * ldc);
                DoubleVector.fromArray(D, c, cOff + 3 * ldc + 1 * L_DOUBLE).add(c31).intoArray(c, cOff + 3 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 4 * ldc).add(c40).intoArray(c, cOff + 4 * ldc);
                DoubleVector.fromArray(D, c, cOff + 4 * ldc + 1 * L_DOUBLE).add(c41).intoArray(c, cOff + 4 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 5 * ldc).add(c50).intoArray(c, cOff + 5 * ldc);
                DoubleVector.fromArray(D, c, cOff + 5 * ldc + 1 * L_DOUBLE).add(c51).intoArray(c, cOff + 5 * ldc + 1 * L_DOUBLE);
            }
            return;
        }
        // Partial tile (edge of C): spill the accumulators and write back only the mr×nr valid entries.
        c00.intoArray(tile, 0 * L_DOUBLE);
        c01.intoArray(tile, 1 * L_DOUBLE);
        c10.intoArray(tile, 2 * L_DOUBLE);
        c11.intoArray(tile, 3 * L_DOUBLE);
        c20.intoArray(tile, 4 * L_DOUBLE);
        c21.intoArray(tile, 5 * L_DOUBLE);
        c30.intoArray(tile, 6 * L_DOUBLE);
        c31.intoArray(tile, 7 * L_DOUBLE);
        c40.intoArray(tile, 8 * L_DOUBLE);
        c41.intoArray(tile, 9 * L_DOUBLE);
        c50.intoArray(tile, 10 * L_DOUBLE);
        c51.intoArray(tile, 11 * L_DOUBLE);
        writeBack(tile, NR_DOUBLE, mr, nr, overwrite, c, cOff, ldc);
    }

    // Naive form of this tile: for i < MR, j < NR: acc = 0; for p < kc: acc = fma(A[i][p], B[p][j], acc);
    //                          C[i][j] = overwrite ? acc : C[i][j] + acc
    // Here the 6×2 accumulator vectors stay in registers; per p: 2 loads of B, 6 broadcasts of A, 12 FMAs.
    // B rows NR_DOUBLE apart (packed panels): a constant stride, so C2 removes the bounds checks from the loop.
    private static void doubleTilePacked(int kc, double[] ap, int aOff, double[] bp, int bOff, int mr, int nr,
                                  boolean overwrite, double[] c, int cOff, int ldc, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(D), c01 = DoubleVector.zero(D);
        DoubleVector c10 = DoubleVector.zero(D), c11 = DoubleVector.zero(D);
        DoubleVector c20 = DoubleVector.zero(D), c21 = DoubleVector.zero(D);
        DoubleVector c30 = DoubleVector.zero(D), c31 = DoubleVector.zero(D);
        DoubleVector c40 = DoubleVector.zero(D), c41 = DoubleVector.zero(D);
        DoubleVector c50 = DoubleVector.zero(D), c51 = DoubleVector.zero(D);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR_DOUBLE; // offsets from the loop counter: C2 hoists the range checks
            int bp0 = bOff + p * NR_DOUBLE;
            DoubleVector b0 = DoubleVector.fromArray(D, bp, bp0);
            DoubleVector b1 = DoubleVector.fromArray(D, bp, bp0 + 1 * L_DOUBLE);
            DoubleVector a0 = DoubleVector.broadcast(D, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(D, ap[ap0 + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(D, ap[ap0 + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(D, ap[ap0 + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(D, ap[ap0 + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(D, ap[ap0 + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (mr == MR_DOUBLE && nr == NR_DOUBLE) {
            if (overwrite) {
                c00.intoArray(c, cOff + 0 * ldc);
                c01.intoArray(c, cOff + 0 * ldc + 1 * L_DOUBLE);
                c10.intoArray(c, cOff + 1 * ldc);
                c11.intoArray(c, cOff + 1 * ldc + 1 * L_DOUBLE);
                c20.intoArray(c, cOff + 2 * ldc);
                c21.intoArray(c, cOff + 2 * ldc + 1 * L_DOUBLE);
                c30.intoArray(c, cOff + 3 * ldc);
                c31.intoArray(c, cOff + 3 * ldc + 1 * L_DOUBLE);
                c40.intoArray(c, cOff + 4 * ldc);
                c41.intoArray(c, cOff + 4 * ldc + 1 * L_DOUBLE);
                c50.intoArray(c, cOff + 5 * ldc);
                c51.intoArray(c, cOff + 5 * ldc + 1 * L_DOUBLE);
            } else {
                DoubleVector.fromArray(D, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
                DoubleVector.fromArray(D, c, cOff + 0 * ldc + 1 * L_DOUBLE).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
                DoubleVector.fromArray(D, c, cOff + 1 * ldc + 1 * L_DOUBLE).add(c11).intoArray(c, cOff + 1 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
                DoubleVector.fromArray(D, c, cOff + 2 * ldc + 1 * L_DOUBLE).add(c21).intoArray(c, cOff + 2 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 3 * ldc).add(c30).intoArray(c, cOff + 3 * ldc);
                DoubleVector.fromArray(D, c, cOff + 3 * ldc + 1 * L_DOUBLE).add(c31).intoArray(c, cOff + 3 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 4 * ldc).add(c40).intoArray(c, cOff + 4 * ldc);
                DoubleVector.fromArray(D, c, cOff + 4 * ldc + 1 * L_DOUBLE).add(c41).intoArray(c, cOff + 4 * ldc + 1 * L_DOUBLE);
                DoubleVector.fromArray(D, c, cOff + 5 * ldc).add(c50).intoArray(c, cOff + 5 * ldc);
                DoubleVector.fromArray(D, c, cOff + 5 * ldc + 1 * L_DOUBLE).add(c51).intoArray(c, cOff + 5 * ldc + 1 * L_DOUBLE);
            }
            return;
        }
        // Partial tile (edge of C): spill the accumulators and write back only the mr×nr valid entries.
        c00.intoArray(tile, 0 * L_DOUBLE);
        c01.intoArray(tile, 1 * L_DOUBLE);
        c10.intoArray(tile, 2 * L_DOUBLE);
        c11.intoArray(tile, 3 * L_DOUBLE);
        c20.intoArray(tile, 4 * L_DOUBLE);
        c21.intoArray(tile, 5 * L_DOUBLE);
        c30.intoArray(tile, 6 * L_DOUBLE);
        c31.intoArray(tile, 7 * L_DOUBLE);
        c40.intoArray(tile, 8 * L_DOUBLE);
        c41.intoArray(tile, 9 * L_DOUBLE);
        c50.intoArray(tile, 10 * L_DOUBLE);
        c51.intoArray(tile, 11 * L_DOUBLE);
        writeBack(tile, NR_DOUBLE, mr, nr, overwrite, c, cOff, ldc);
    }

    // Same per-element arithmetic as doubleTile (acc = fma(A[i][p], B[p][j], acc), p ascending), for a sliver
    // with at most 1 valid rows: 1 rows × 2 panels = 4 independent accumulator chains instead of
    // computing MR rows of which most are zero padding.
    private static void doubleWideTile1(int kc, double[] ap, int aOff, double[] bp, int bOff, int bPanelStep,
                                    int bRowStep, int mr, boolean overwrite, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(D), c01 = DoubleVector.zero(D), c02 = DoubleVector.zero(D), c03 = DoubleVector.zero(D);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR_DOUBLE;
            int bp0 = bOff + p * bRowStep;
            int bp1 = bp0 + bPanelStep;
            DoubleVector b0 = DoubleVector.fromArray(D, bp, bp0);
            DoubleVector b1 = DoubleVector.fromArray(D, bp, bp0 + 1 * L_DOUBLE);
            DoubleVector b2 = DoubleVector.fromArray(D, bp, bp1);
            DoubleVector b3 = DoubleVector.fromArray(D, bp, bp1 + 1 * L_DOUBLE);
            DoubleVector a0 = DoubleVector.broadcast(D, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
        }
        if (overwrite) {
            c00.intoArray(c, cOff + 0 * ldc);
        } else {
            DoubleVector.fromArray(D, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
        }
        if (overwrite) {
            c01.intoArray(c, cOff + 0 * ldc + 1 * L_DOUBLE);
        } else {
            DoubleVector.fromArray(D, c, cOff + 0 * ldc + 1 * L_DOUBLE).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L_DOUBLE);
        }
        if (overwrite) {
            c02.intoArray(c, cOff + 0 * ldc + 2 * L_DOUBLE);
        } else {
            DoubleVector.fromArray(D, c, cOff + 0 * ldc + 2 * L_DOUBLE).add(c02).intoArray(c, cOff + 0 * ldc + 2 * L_DOUBLE);
        }
        if (overwrite) {
            c03.intoArray(c, cOff + 0 * ldc + 3 * L_DOUBLE);
        } else {
            DoubleVector.fromArray(D, c, cOff + 0 * ldc + 3 * L_DOUBLE).add(c03).intoArray(c, cOff + 0 * ldc + 3 * L_DOUBLE);
        }
    }

    // Same per-element arithmetic as doubleTile (acc = fma(A[i][p], B[p][j], acc), p ascending), for a sliver
    // with at most 3 valid rows: 3 rows × 2 panels = 12 independent accumulator chains instead of
    // computing MR rows of which most are zero padding.
    private static void doubleWideTile3(int kc, double[] ap, int aOff, double[] bp, int bOff, int bPanelStep,
                                    int bRowStep, int mr, boolean overwrite, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(D), c01 = DoubleVector.zero(D), c02 = DoubleVector.zero(D), c03 = DoubleVector.zero(D);
        DoubleVector c10 = DoubleVector.zero(D), c11 = DoubleVector.zero(D), c12 = DoubleVector.zero(D), c13 = DoubleVector.zero(D);
        DoubleVector c20 = DoubleVector.zero(D), c21 = DoubleVector.zero(D), c22 = DoubleVector.zero(D), c23 = DoubleVector.zero(D);
        for (int p = 0; p < kc; p++) {
            int ap0 = aOff + p * MR_DOUBLE;
            int bp0 = bOff + p * bRowStep;
            int bp1 = bp0 + bPanelStep;
            DoubleVector b0 = DoubleVector.fromArray(D, bp, bp0);
            DoubleVector b1 = DoubleVector.fromArray(D, bp, bp0 + 1 * L_DOUBLE);
            DoubleVector b2 = DoubleVector.fromArray(D, bp, bp1);
            DoubleVector b3 = DoubleVector.fromArray(D, bp, bp1 + 1 * L_DOUBLE);
            DoubleVector a0 = DoubleVector.broadcast(D, ap[ap0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            DoubleVector a1 = DoubleVector.broadcast(D, ap[ap0 + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            DoubleVector a2 = DoubleVector.broadcast(D, ap[ap0 + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
        }
        if (overwrite) {
            c00.intoArray(c, cOff + 0 * ldc);
        } else {
            DoubleVector.fromArray(D, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
        }
        if (overwrite) {
            c01.intoArray(c, cOff + 0 * ldc + 1 * L_DOUBLE);
        } else {
            DoubleVector.fromArray(D, c, cOff + 0 * ldc + 1 * L_DOUBLE).add(c01).intoArray(c, cOff + 0 * ldc + 1 * L_DOUBLE);
        }
        if (overwrite) {
            c02.intoArray(c, cOff + 0 * ldc + 2 * L_DOUBLE);
        } else {
            DoubleVector.fromArray(D, c, cOff + 0 * ldc + 2 * L_DOUBLE).add(c02).intoArray(c, cOff + 0 * ldc + 2 * L_DOUBLE);
        }
        if (overwrite) {
            c03.intoArray(c, cOff + 0 * ldc + 3 * L_DOUBLE);
        } else {
            DoubleVector.fromArray(D, c, cOff + 0 * ldc + 3 * L_DOUBLE).add(c03).intoArray(c, cOff + 0 * ldc + 3 * L_DOUBLE);
        }
        if (mr > 1) {
            if (overwrite) {
                c10.intoArray(c, cOff + 1 * ldc);
            } else {
                DoubleVector.fromArray(D, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
            }
            if (overwrite) {
                c11.intoArray(c, cOff + 1 * ldc + 1 * L_DOUBLE);
            } else {
                DoubleVector.fromArray(D, c, cOff + 1 * ldc + 1 * L_DOUBLE).add(c11).intoArray(c, cOff + 1 * ldc + 1 * L_DOUBLE);
            }
            if (overwrite) {
                c12.intoArray(c, cOff + 1 * ldc + 2 * L_DOUBLE);
            } else {
                DoubleVector.fromArray(D, c, cOff + 1 * ldc + 2 * L_DOUBLE).add(c12).intoArray(c, cOff + 1 * ldc + 2 * L_DOUBLE);
            }
            if (overwrite) {
                c13.intoArray(c, cOff + 1 * ldc + 3 * L_DOUBLE);
            } else {
                DoubleVector.fromArray(D, c, cOff + 1 * ldc + 3 * L_DOUBLE).add(c13).intoArray(c, cOff + 1 * ldc + 3 * L_DOUBLE);
            }
        }
        if (mr > 2) {
            if (overwrite) {
                c20.intoArray(c, cOff + 2 * ldc);
            } else {
                DoubleVector.fromArray(D, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
            }
            if (overwrite) {
                c21.intoArray(c, cOff + 2 * ldc + 1 * L_DOUBLE);
            } else {
                DoubleVector.fromArray(D, c, cOff + 2 * ldc + 1 * L_DOUBLE).add(c21).intoArray(c, cOff + 2 * ldc + 1 * L_DOUBLE);
            }
            if (overwrite) {
                c22.intoArray(c, cOff + 2 * ldc + 2 * L_DOUBLE);
            } else {
                DoubleVector.fromArray(D, c, cOff + 2 * ldc + 2 * L_DOUBLE).add(c22).intoArray(c, cOff + 2 * ldc + 2 * L_DOUBLE);
            }
            if (overwrite) {
                c23.intoArray(c, cOff + 2 * ldc + 3 * L_DOUBLE);
            } else {
                DoubleVector.fromArray(D, c, cOff + 2 * ldc + 3 * L_DOUBLE).add(c23).intoArray(c, cOff + 2 * ldc + 3 * L_DOUBLE);
            }
        }
    }
}
