import sys
MRF, NVF, MRD, NVD = map(int, sys.argv[1:5])
WIDE = MRF // 2
assert MRF == MRD
def tile(t, V, S, MR, NV, packed):
    """packed: B rows are NR apart (the packed panel layout), a compile-time constant stride; otherwise bRowStep."""
    L=[]
    T=t.upper()
    name = f"{t}TilePacked" if packed else f"{t}Tile"
    stride = f"NR_{T}" if packed else "bRowStep"
    acc=[[f"c{r}{v}" for v in range(NV)] for r in range(MR)]
    L.append(f"    // Naive form of this tile: for i < MR, j < NR: acc = 0; for p < kc: acc = fma(A[i][p], B[p][j], acc);")
    L.append(f"    //                          C[i][j] = overwrite ? acc : C[i][j] + acc")
    L.append(f"    // Here the {MR}×{NV} accumulator vectors stay in registers; per p: {NV} loads of B, {MR} broadcasts of A, {MR*NV} FMAs.")
    if packed:
        L.append(f"    // B rows NR_{T} apart (packed panels): a constant stride, so C2 removes the bounds checks from the loop.")
        L.append(f"    private static void {name}(int kc, {t}[] ap, int aOff, {t}[] bp, int bOff, int mr, int nr,")
    else:
        L.append(f"    private static void {name}(int kc, {t}[] ap, int aOff, {t}[] bp, int bOff, int bRowStep, int mr, int nr,")
    L.append(f"                                  boolean overwrite, {t}[] c, int cOff, int ldc, {t}[] tile) {{")
    for r in range(MR):
        L.append("        " + f"{V} " + ", ".join(f"{a} = {V}.zero({S})" for a in acc[r]) + ";")
    L.append(f"        for (int p = 0; p < kc; p++) {{")
    L.append(f"            int ap0 = aOff + p * MR_{T}; // offsets from the loop counter: C2 hoists the range checks")
    L.append(f"            int bp0 = bOff + p * {stride};")
    for v in range(NV):
        L.append(f"            {V} b{v} = {V}.fromArray({S}, bp, bp0{' + '+str(v)+' * L_'+T if v else ''});")
    for r in range(MR):
        L.append(f"            {V} a{r} = {V}.broadcast({S}, ap[ap0{' + '+str(r) if r else ''}]);")
        for v in range(NV):
            L.append(f"            {acc[r][v]} = a{r}.fma(b{v}, {acc[r][v]});")
    L.append("        }")
    L.append(f"        if (mr == MR_{t.upper()} && nr == NR_{t.upper()}) {{")
    L.append("            if (overwrite) {")
    for r in range(MR):
        for v in range(NV):
            L.append(f"                {acc[r][v]}.intoArray(c, cOff + {r} * ldc{' + '+str(v)+' * L_'+t.upper() if v else ''});")
    L.append("            } else {")
    for r in range(MR):
        for v in range(NV):
            o=f"cOff + {r} * ldc{' + '+str(v)+' * L_'+t.upper() if v else ''}"
            L.append(f"                {V}.fromArray({S}, c, {o}).add({acc[r][v]}).intoArray(c, {o});")
    L.append("            }")
    L.append("            return;")
    L.append("        }")
    L.append("        // Partial tile (edge of C): spill the accumulators and write back only the mr×nr valid entries.")
    for r in range(MR):
        for v in range(NV):
            L.append(f"        {acc[r][v]}.intoArray(tile, {r*NV+v} * L_{t.upper()});")
    L.append(f"        writeBack(tile, NR_{t.upper()}, mr, nr, overwrite, c, cOff, ldc);")
    L.append("    }")
    return "\n".join(L)

def wide(t, V, S, R, NV):
    """R rows x two adjacent panels (2*NV vectors per row), for the last sliver of a block when it has <= R rows."""
    T=t.upper()
    NW=2*NV
    L=[]
    acc=[[f"c{r}{v}" for v in range(NW)] for r in range(R)]
    L.append(f"    // Same per-element arithmetic as {t}Tile (acc = fma(A[i][p], B[p][j], acc), p ascending), for a sliver")
    L.append(f"    // with at most {R} valid rows: {R} rows × 2 panels = {R*NW} independent accumulator chains instead of")
    L.append(f"    // computing MR rows of which most are zero padding.")
    L.append(f"    private static void {t}WideTile{R}(int kc, {t}[] ap, int aOff, {t}[] bp, int bOff, int bPanelStep,")
    L.append(f"                                    int bRowStep, int mr, boolean overwrite, {t}[] c, int cOff, int ldc) {{")
    for r in range(R):
        L.append("        " + f"{V} " + ", ".join(f"{a} = {V}.zero({S})" for a in acc[r]) + ";")
    L.append(f"        for (int p = 0; p < kc; p++) {{")
    L.append(f"            int ap0 = aOff + p * MR_{T};")
    L.append(f"            int bp0 = bOff + p * bRowStep;")
    L.append(f"            int bp1 = bp0 + bPanelStep;")
    for v in range(NW):
        base = "bp0" if v < NV else "bp1"
        vv = v % NV
        L.append(f"            {V} b{v} = {V}.fromArray({S}, bp, {base}{' + '+str(vv)+' * L_'+T if vv else ''});")
    for r in range(R):
        L.append(f"            {V} a{r} = {V}.broadcast({S}, ap[ap0{' + '+str(r) if r else ''}]);")
        for v in range(NW):
            L.append(f"            {acc[r][v]} = a{r}.fma(b{v}, {acc[r][v]});")
    L.append("        }")
    for r in range(R):
        ind = "        "
        if r > 0:
            L.append(f"        if (mr > {r}) {{")
            ind = "            "
        for v in range(NW):
            o=f"cOff + {r} * ldc{' + '+str(v)+' * L_'+T if v else ''}"
            L.append(f"{ind}if (overwrite) {{")
            L.append(f"{ind}    {acc[r][v]}.intoArray(c, {o});")
            L.append(f"{ind}}} else {{")
            L.append(f"{ind}    {V}.fromArray({S}, c, {o}).add({acc[r][v]}).intoArray(c, {o});")
            L.append(f"{ind}}}")
        if r > 0:
            L.append("        }")
    L.append("    }")
    return "\n".join(L)

def block(t):
    T=t.upper()
    return f'''
    @Override
    public void {t}Block(int mc, int nc, int kc, {t}[] ap, {t}[] bp, int bpOff, int bPanelStep, int bRowStep,
                            boolean overwrite,
                            {t}[] c, int cOff, int ldc, {t}[] tile) {{
        // A last sliver with at most WIDE_ROWS valid rows (small batches: the RNN per-step product) goes through the
        // wide tiles below; all other slivers through the MR×NR tile, B panel outer so it stays in L1 across slivers.
        int tailRows = mc % MR_{T} <= WIDE_ROWS ? mc % MR_{T} : 0;
        int fullRows = mc - tailRows;
        for (int jr = 0; jr < nc; jr += NR_{T}) {{
            int nr = Math.min(NR_{T}, nc - jr);
            int panel = bpOff + jr / NR_{T} * bPanelStep;
            for (int ir = 0; ir < fullRows; ir += MR_{T}) {{
                int mr = Math.min(MR_{T}, fullRows - ir);
                if (bRowStep == NR_{T}) {{
                    {t}TilePacked(kc, ap, ir / MR_{T} * kc * MR_{T}, bp, panel, mr, nr, overwrite,
                            c, cOff + ir * ldc + jr, ldc, tile);
                }} else {{
                    {t}Tile(kc, ap, ir / MR_{T} * kc * MR_{T}, bp, panel, bRowStep, mr, nr, overwrite,
                            c, cOff + ir * ldc + jr, ldc, tile);
                }}
            }}
        }}
        if (tailRows == 0) {{
            return;
        }}
        int aSliver = fullRows / MR_{T} * kc * MR_{T};
        int cRow = cOff + fullRows * ldc;
        int jr = 0;
        for (; jr + 2 * NR_{T} <= nc; jr += 2 * NR_{T}) {{
            int panel = bpOff + jr / NR_{T} * bPanelStep;
            if (tailRows == 1) {{
                {t}WideTile1(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c, cRow + jr, ldc);
            }} else {{
                {t}WideTile{{WIDE}}(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c, cRow + jr,
                        ldc);
            }}
        }}
        for (; jr < nc; jr += NR_{T}) {{
            {t}Tile(kc, ap, aSliver, bp, bpOff + jr / NR_{T} * bPanelStep, bRowStep, tailRows,
                    Math.min(NR_{T}, nc - jr), overwrite, c, cRow + jr, ldc, tile);
        }}
    }}

'''.replace("{WIDE}", str(WIDE)) + f'''    private static void writeBack({t}[] tile, int tileCols, int mr, int nr, boolean overwrite,
                                  {t}[] c, int cOff, int ldc) {{
        for (int r = 0; r < mr; r++) {{
            int ci = cOff + r * ldc;
            int t = r * tileCols;
            if (overwrite) {{
                System.arraycopy(tile, t, c, ci, nr);
            }} else {{
                for (int j = 0; j < nr; j++) {{
                    c[ci + j] += tile[t + j];
                }}
            }}
        }}
    }}
'''

print(f'''package rnnkit.optimized.gemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled panel kernel on the Vector API (incubator module {{@code jdk.incubator.vector}}). Only loaded
 * through {{@link GemmVariants}} after checking that the module is present, so the rest of the package works
 * without it.
 *
 * <p>Species: {{@code SPECIES_PREFERRED}}, 512 bits on this machine (16 floats / 8 doubles), which on a machine
 * with only AVX2 becomes 256 bits instead of an emulated 512. Measured here, same 6×2-vector tile, single thread
 * (CPU time), SPECIES_512 vs SPECIES_256: float 64×1536×512 99 vs 73, 512³ 144 vs 89, 2048³ 117 vs 70 GFLOP/s;
 * double 512³ 64 vs 38 (shared/docs/performance.md saw the same on Zen 4, whose FMA units are 256 bits wide:
 * half as many instructions to issue).
 *
 * <p>Tile MR×NR = {MRF}×{NVF}·L (float) and {MRD}×{NVD}·L (double), L = lanes per vector: {MRF*NVF} / {MRD*NVD}
 * accumulator vectors plus {NVF} B vectors and one broadcast stay within the 32 vector registers of AVX-512,
 * and each B vector loaded is reused {MRF} times. Measured single-thread (CPU time) against 8×2: 6×2 was faster on
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
 * {{@code python3 generate_vector_panel_kernel.py 6 2 6 2 > VectorPanelKernel.java}} (MR and vectors per row, for
 * float then double). Edit the generator, not this file.
 */
final class VectorPanelKernel implements PanelKernel {{

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int L_FLOAT = F.length();
    private static final int L_DOUBLE = D.length();
    static final int MR_FLOAT = {MRF};
    static final int NR_FLOAT = {NVF} * L_FLOAT;
    static final int MR_DOUBLE = {MRD};
    static final int NR_DOUBLE = {NVD} * L_DOUBLE;
    /** Row count up to which a block's last sliver uses the wide (two-panel) tiles. */
    static final int WIDE_ROWS = {WIDE};

    @Override
    public String name() {{
        return "vector" + F.vectorBitSize();
    }}

    @Override
    public int floatTileRows() {{
        return MR_FLOAT;
    }}

    @Override
    public int floatTileCols() {{
        return NR_FLOAT;
    }}

    @Override
    public int doubleTileRows() {{
        return MR_DOUBLE;
    }}

    @Override
    public int doubleTileCols() {{
        return NR_DOUBLE;
    }}
{block("float")}
{tile("float","FloatVector","F",MRF,NVF,False)}

{tile("float","FloatVector","F",MRF,NVF,True)}

{wide("float","FloatVector","F",1,NVF)}

{wide("float","FloatVector","F",WIDE,NVF)}
{block("double")}
{tile("double","DoubleVector","D",MRD,NVD,False)}

{tile("double","DoubleVector","D",MRD,NVD,True)}

{wide("double","DoubleVector","D",1,NVD)}

{wide("double","DoubleVector","D",WIDE,NVD)}
}}''')
