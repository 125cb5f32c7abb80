package rnnkit.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes every generated source file of the project; {@code GeneratedSourcesTest} fails when any of them differs
 * from what this class makes. Run from the project root (no build needed, plain JDK 17):
 * <pre>  java src/test/java/rnnkit/codegen/SourceGenerator.java           writes the generated files
 *  java src/test/java/rnnkit/codegen/SourceGenerator.java --check   lists the stale ones, exit code 1 if any</pre>
 *
 * <p><b>float32 twins.</b> A hand-written float64 source whose first line is the {@linkplain #sourceHeader source
 * header} gets a float32 twin: the same file with {@code Double → Float}, {@code double → float},
 * {@code DOUBLE → FLOAT}, {@code dgemm → sgemm} and {@code float64 → float32} everywhere (code and prose), and its
 * first line replaced by the {@linkplain #GENERATED GENERATED header}. The float64 source stays plain Java; two typed
 * escapes say what the substitution cannot know:
 * <ul>
 *   <li>{@code /*(float)*}{@code /} before an expression: the twin narrows it there, {@code (float) expr} (a
 *       {@code Math} result, a decimal literal); the float64 file has no cast.</li>
 *   <li>{@code /**}{@code /word} (as in EJML's 64→32 generator): {@code word} is kept as written in the twin, e.g.
 *       {@code /**}{@code /double[]} for an array that is double in both, {@code random./**}{@code /nextDouble()}.</li>
 * </ul>
 * Prose in a float64 source is written so that it reads right after the substitution: "float64" (not "double
 * precision") for the working precision, "64-bit" for what stays 64-bit in both.
 *
 * <p><b>Vector panel kernels.</b> {@code FloatVectorPanelKernel} and {@code DoubleVectorPanelKernel} (the GEMM's
 * unrolled Vector API register tiles) are written out by {@link VectorPanelKernelSource} from their named tile
 * shapes, {@link #FLOAT_VECTOR_KERNEL} and {@link #DOUBLE_VECTOR_KERNEL}: change a shape there and regenerate.
 */
public final class SourceGenerator {

    /** Where the generator is, as the headers name it. */
    static final String LOCATION = "src/test/java/rnnkit/codegen/SourceGenerator.java";
    /** The command that rewrites every generated file. */
    static final String COMMAND = "java " + LOCATION;
    /** First line of every generated file; {@code %s} says from what. */
    static final String GENERATED = "// GENERATED %s by " + LOCATION + ": do not edit.";
    /** The source trees scanned for float64 sources with a twin. */
    static final List<String> SOURCE_ROOTS = List.of("src/main/java", "src/test/java");

    private static final String NARROW = "/*(float)*/";
    private static final Pattern KEEP = Pattern.compile("/\\*\\*/([A-Za-z_$][A-Za-z0-9_$]*)");
    private static final String[][] TO_FLOAT = {
            {"Double", "Float"}, {"double", "float"}, {"DOUBLE", "FLOAT"}, {"dgemm", "sgemm"}, {"float64", "float32"}};

    private SourceGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path project = Path.of(".");
        boolean check = List.of(args).contains("--check");
        Map<Path, String> files = generate(project);
        List<Path> stale = new ArrayList<>();
        for (Map.Entry<Path, String> e : files.entrySet()) {
            Path file = project.resolve(e.getKey());
            boolean current = Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(e.getValue());
            if (!current) {
                stale.add(e.getKey());
                if (!check) {
                    Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
                }
            }
        }
        for (Path p : stale) {
            System.out.println((check ? "stale: " : "wrote: ") + p);
        }
        System.out.println(files.size() + " generated files, " + stale.size() + (check ? " stale" : " rewritten"));
        if (check && !stale.isEmpty()) {
            System.exit(1);
        }
    }

    /**
     * The register tiles of the float32 vector panel kernel: MR rows × {@code vectorsPerRow} vectors of L lanes.
     * Measured against other shapes: see the kernel's class comment.
     */
    static final VectorPanelKernelSource FLOAT_VECTOR_KERNEL = new VectorPanelKernelSource("float", 8, 2);
    /** The register tiles of the float64 vector panel kernel. */
    static final VectorPanelKernelSource DOUBLE_VECTOR_KERNEL = new VectorPanelKernelSource("double", 6, 2);
    static final Path GEMM_PACKAGE = Path.of("src/main/java/rnnkit/optimized/gemm");

    /** Every generated file (path relative to the project root) and its content. */
    static Map<Path, String> generate(Path project) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        for (VectorPanelKernelSource kernel : List.of(FLOAT_VECTOR_KERNEL, DOUBLE_VECTOR_KERNEL)) {
            out.put(GEMM_PACKAGE.resolve(kernel.className() + ".java"), kernel.source());
        }
        for (Path source : twinSources(project)) {
            String text = Files.readString(project.resolve(source), StandardCharsets.UTF_8);
            out.put(source.resolveSibling(twinName(source.getFileName().toString())),
                    floatTwin(source.getFileName().toString(), text));
        }
        return out;
    }

    /** The float64 sources that have a float32 twin: files under {@link #SOURCE_ROOTS} starting with their source header. */
    static List<Path> twinSources(Path project) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String root : SOURCE_ROOTS) {
            try (Stream<Path> files = Files.walk(project.resolve(root))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    String first = firstLine(p);
                    if (first.equals(sourceHeader(p.getFileName().toString()))) {
                        sources.add(project.relativize(p));
                    }
                }
            }
        }
        return sources;
    }

    /** Files under {@link #SOURCE_ROOTS} whose first line says they are generated. */
    static List<Path> filesMarkedGenerated(Path project) throws IOException {
        List<Path> marked = new ArrayList<>();
        for (String root : SOURCE_ROOTS) {
            try (Stream<Path> files = Files.walk(project.resolve(root))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    if (firstLine(p).startsWith("// GENERATED")) {
                        marked.add(project.relativize(p));
                    }
                }
            }
        }
        return marked;
    }

    private static String firstLine(Path p) {
        try (Stream<String> lines = Files.lines(p, StandardCharsets.UTF_8)) {
            return lines.findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** First line of a float64 source that has a float32 twin. */
    static String sourceHeader(String doubleFileName) {
        return "// " + twinName(doubleFileName) + " is generated from this file: edit here, then run " + COMMAND;
    }

    static String twinName(String doubleFileName) {
        return toFloat(doubleFileName);
    }

    /** The float32 twin of a float64 source. */
    static String floatTwin(String doubleFileName, String doubleSource) {
        String header = sourceHeader(doubleFileName) + "\n";
        if (!doubleSource.startsWith(header)) {
            throw new IllegalArgumentException(doubleFileName + " does not start with its source header; expected: "
                    + header);
        }
        return String.format(GENERATED, "from " + doubleFileName) + "\n"
                + toFloat(doubleSource.substring(header.length()));
    }

    /** The double → float substitution with the two escapes (see the class comment). */
    static String toFloat(String text) {
        List<String> kept = new ArrayList<>();
        Matcher m = KEEP.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            kept.add(m.group(1));
            m.appendReplacement(sb, "\u0000" + (kept.size() - 1) + "\u0001");
        }
        m.appendTail(sb);
        String s = sb.toString().replace(NARROW, "(float)");
        for (String[] w : TO_FLOAT) {
            s = s.replace(w[0], w[1]);
        }
        for (int i = 0; i < kept.size(); i++) {
            s = s.replace("\u0000" + i + "\u0001", kept.get(i));
        }
        return s;
    }
}

/**
 * The source of one vector panel kernel ({@code FloatVectorPanelKernel} or {@code DoubleVectorPanelKernel}): the
 * unrolled MR × (vectorsPerRow·L) register tile for packed and in-place B, and the two "wide" tiles (1 and MR/2
 * rows × two panels) for a block's last few rows, all with the fma order the panel-kernel contract prescribes.
 *
 * @param type {@code float} or {@code double}
 * @param tileRows MR, rows of A per sliver and of the register tile
 * @param vectorsPerRow NR / L, vectors of L lanes per tile row
 */
record VectorPanelKernelSource(String type, int tileRows, int vectorsPerRow) {

    VectorPanelKernelSource {
        if (!type.equals("float") && !type.equals("double")) {
            throw new IllegalArgumentException("vector kernel type is " + type + "; expected float or double");
        }
        if (tileRows < 1 || vectorsPerRow < 1) {
            throw new IllegalArgumentException("vector kernel tile is " + tileRows + " rows × " + vectorsPerRow
                    + " vectors; expected both >= 1");
        }
    }

    /** Row count up to which a block's last sliver uses the wide (two-panel) tiles: MR/2 (at least 1). */
    int wideRows() {
        return Math.max(1, tileRows / 2);
    }

    String boxed() {
        return type.equals("float") ? "Float" : "Double";
    }

    String vector() {
        return boxed() + "Vector";
    }

    String className() {
        return boxed() + "VectorPanelKernel";
    }

    String bits() {
        return type.equals("float") ? "float32" : "float64";
    }

    String source() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(SourceGenerator.GENERATED, "(" + bits() + ", tileRows=" + tileRows
                + ", vectorsPerRow=" + vectorsPerRow + ")")).append('\n');
        out.append(fill("""
                package rnnkit.optimized.gemm;

                import jdk.incubator.vector.$Vector$;
                import jdk.incubator.vector.VectorSpecies;

                /**
                 * Register-tiled $bits$ panel kernel on the Vector API (incubator module {@code jdk.incubator.vector}).
                 * Only loaded through {@link GemmVariants} after checking that the module is present, so the rest of
                 * the package works without it.
                 *
                 * <p>Species: {@code SPECIES_PREFERRED}, 512 bits on an AVX-512 machine (16 floats / 8 doubles), which
                 * on a machine with only AVX2 becomes 256 bits instead of an emulated 512. Measured on an AVX-512
                 * Xeon, same 6×2-vector tile, single thread (CPU time), SPECIES_512 vs SPECIES_256: float 64×1536×512
                 * 99 vs 73, 512³ 144 vs 89, 2048³ 117 vs 70 GFLOP/s; double 512³ 64 vs 38.
                 *
                 * <p>Tile MR×NR = $MR$×$V$·L, L = lanes per vector: $acc$ accumulator vectors plus $V$ B vectors and
                 * one broadcast stay within the 32 vector registers of AVX-512, and each B vector loaded is reused
                 * $MR$ times. Float32 tile shapes measured on an AVX-512 Xeon (Sapphire/Emerald Rapids class), same
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
                final class $Class$ implements $Boxed$PanelKernel {

                    private static final VectorSpecies<$Boxed$> S = $Vector$.SPECIES_PREFERRED;
                    private static final int L = S.length();
                    static final int MR = $MR$;
                    static final int NR = $V$ * L;
                    /** Row count up to which a block's last sliver uses the wide (two-panel) tiles. */
                    static final int WIDE_ROWS = $WIDE$;

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
                    public void block(int mc, int nc, int kc, $type$[] ap, $type$[] bp, int bpOff, int bPanelStep,
                                      int bRowStep, boolean overwrite, $type$[] c, int cOff, int ldc, $type$[] tile) {
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
                """));
        if (wideRows() == 1) {
            out.append(fill("""
                            wideTile1(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c, cRow + jr,
                                    ldc);
                """));
        } else {
            out.append(fill("""
                            if (tailRows == 1) {
                                wideTile1(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c,
                                        cRow + jr, ldc);
                            } else {
                                wideTile$WIDE$(kc, ap, aSliver, bp, panel, bPanelStep, bRowStep, tailRows, overwrite, c,
                                        cRow + jr, ldc);
                            }
                """));
        }
        out.append(fill("""
                        }
                        for (; jr < nc; jr += NR) {
                            tile(kc, ap, aSliver, bp, bpOff + jr / NR * bPanelStep, bRowStep, tailRows,
                                    Math.min(NR, nc - jr), overwrite, c, cRow + jr, ldc, tile);
                        }
                    }

                    private static void writeBack($type$[] tile, int tileCols, int mr, int nr, boolean overwrite,
                                                  $type$[] c, int cOff, int ldc) {
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
                """));
        out.append('\n').append(tile(false)).append('\n').append(tile(true));
        out.append('\n').append(wideTile(1));
        if (wideRows() > 1) {
            out.append('\n').append(wideTile(wideRows()));
        }
        out.append("}\n");
        return out.toString();
    }

    /** Replaces the {@code $name$} placeholders of a template. */
    private String fill(String template) {
        return template.replace("$Vector$", vector()).replace("$Boxed$", boxed()).replace("$Class$", className())
                .replace("$type$", type).replace("$bits$", bits()).replace("$MR$", String.valueOf(tileRows))
                .replace("$V$", String.valueOf(vectorsPerRow)).replace("$WIDE$", String.valueOf(wideRows()))
                .replace("$acc$", String.valueOf(tileRows * vectorsPerRow));
    }

    private static String offset(String base, int vector) {
        return vector == 0 ? base : base + " + " + vector + " * L";
    }

    /** The MR×NR tile; {@code packed}: B rows are NR apart, a constant stride, instead of bRowStep. */
    private String tile(boolean packed) {
        String v = vector();
        List<String> l = new ArrayList<>();
        l.add("    // Naive form of this tile: for i < MR, j < NR: acc = 0; for p < kc: acc = fma(A[i][p], B[p][j], acc);");
        l.add("    //                          C[i][j] = overwrite ? acc : C[i][j] + acc");
        l.add("    // Here the " + tileRows + "×" + vectorsPerRow + " accumulator vectors stay in registers; per p: "
                + vectorsPerRow + " loads of B, " + tileRows + " broadcasts of A, " + tileRows * vectorsPerRow
                + " FMAs.");
        if (packed) {
            l.add("    // B rows NR apart (packed panels): a constant stride, so C2 removes the bounds checks from the loop.");
            l.add("    private static void tilePacked(int kc, " + type + "[] ap, int aOff, " + type + "[] bp, int bOff, int mr, int nr,");
            l.add("                                   boolean overwrite, " + type + "[] c, int cOff, int ldc, " + type + "[] tile) {");
        } else {
            l.add("    private static void tile(int kc, " + type + "[] ap, int aOff, " + type + "[] bp, int bOff, int bRowStep, int mr,");
            l.add("                             int nr, boolean overwrite, " + type + "[] c, int cOff, int ldc, " + type + "[] tile) {");
        }
        for (int r = 0; r < tileRows; r++) {
            List<String> zeros = new ArrayList<>();
            for (int j = 0; j < vectorsPerRow; j++) {
                zeros.add("c" + r + j + " = " + v + ".zero(S)");
            }
            l.add("        " + v + " " + String.join(", ", zeros) + ";");
        }
        l.add("        for (int p = 0; p < kc; p++) {");
        l.add("            int ap0 = aOff + p * MR; // offsets from the loop counter: C2 hoists the range checks");
        l.add("            int bp0 = bOff + p * " + (packed ? "NR" : "bRowStep") + ";");
        for (int j = 0; j < vectorsPerRow; j++) {
            l.add("            " + v + " b" + j + " = " + v + ".fromArray(S, bp, " + offset("bp0", j) + ");");
        }
        for (int r = 0; r < tileRows; r++) {
            l.add("            " + v + " a" + r + " = " + v + ".broadcast(S, ap[ap0" + (r == 0 ? "" : " + " + r) + "]);");
            for (int j = 0; j < vectorsPerRow; j++) {
                l.add("            c" + r + j + " = a" + r + ".fma(b" + j + ", c" + r + j + ");");
            }
        }
        l.add("        }");
        l.add("        if (mr == MR && nr == NR) {");
        l.add("            if (overwrite) {");
        for (int r = 0; r < tileRows; r++) {
            for (int j = 0; j < vectorsPerRow; j++) {
                l.add("                c" + r + j + ".intoArray(c, " + offset("cOff + " + r + " * ldc", j) + ");");
            }
        }
        l.add("            } else {");
        for (int r = 0; r < tileRows; r++) {
            for (int j = 0; j < vectorsPerRow; j++) {
                String o = offset("cOff + " + r + " * ldc", j);
                l.add("                " + v + ".fromArray(S, c, " + o + ").add(c" + r + j + ").intoArray(c, " + o + ");");
            }
        }
        l.add("            }");
        l.add("            return;");
        l.add("        }");
        l.add("        // Partial tile (edge of C): spill the accumulators and write back only the mr×nr valid entries.");
        for (int r = 0; r < tileRows; r++) {
            for (int j = 0; j < vectorsPerRow; j++) {
                l.add("        c" + r + j + ".intoArray(tile, " + (r * vectorsPerRow + j) + " * L);");
            }
        }
        l.add("        writeBack(tile, NR, mr, nr, overwrite, c, cOff, ldc);");
        l.add("    }");
        return String.join("\n", l) + "\n";
    }

    /** {@code rows} rows × two adjacent panels (2·vectorsPerRow vectors per row). */
    private String wideTile(int rows) {
        String v = vector();
        int width = 2 * vectorsPerRow;
        List<String> l = new ArrayList<>();
        l.add("    // Same per-element arithmetic as tile (acc = fma(A[i][p], B[p][j], acc), p ascending), for a sliver");
        l.add("    // with at most " + rows + " valid row" + (rows == 1 ? "" : "s") + ": " + rows + " row"
                + (rows == 1 ? "" : "s") + " × 2 panels = " + rows * width + " independent accumulator chains instead of");
        l.add("    // computing MR rows of which most are zero padding.");
        l.add("    private static void wideTile" + rows + "(int kc, " + type + "[] ap, int aOff, " + type
                + "[] bp, int bOff, int bPanelStep,");
        l.add("                                  int bRowStep, int mr, boolean overwrite, " + type
                + "[] c, int cOff, int ldc) {");
        for (int r = 0; r < rows; r++) {
            List<String> zeros = new ArrayList<>();
            for (int j = 0; j < width; j++) {
                zeros.add("c" + r + j + " = " + v + ".zero(S)");
            }
            l.add("        " + v + " " + String.join(", ", zeros) + ";");
        }
        l.add("        for (int p = 0; p < kc; p++) {");
        l.add("            int ap0 = aOff + p * MR;");
        l.add("            int bp0 = bOff + p * bRowStep;");
        l.add("            int bp1 = bp0 + bPanelStep;");
        for (int j = 0; j < width; j++) {
            String base = j < vectorsPerRow ? "bp0" : "bp1";
            l.add("            " + v + " b" + j + " = " + v + ".fromArray(S, bp, " + offset(base, j % vectorsPerRow) + ");");
        }
        for (int r = 0; r < rows; r++) {
            l.add("            " + v + " a" + r + " = " + v + ".broadcast(S, ap[ap0" + (r == 0 ? "" : " + " + r) + "]);");
            for (int j = 0; j < width; j++) {
                l.add("            c" + r + j + " = a" + r + ".fma(b" + j + ", c" + r + j + ");");
            }
        }
        l.add("        }");
        for (int r = 0; r < rows; r++) {
            String indent = r == 0 ? "        " : "            ";
            if (r > 0) {
                l.add("        if (mr > " + r + ") {");
            }
            for (int j = 0; j < width; j++) {
                String o = offset("cOff + " + r + " * ldc", j);
                l.add(indent + "if (overwrite) {");
                l.add(indent + "    c" + r + j + ".intoArray(c, " + o + ");");
                l.add(indent + "} else {");
                l.add(indent + "    " + v + ".fromArray(S, c, " + o + ").add(c" + r + j + ").intoArray(c, " + o + ");");
                l.add(indent + "}");
            }
            if (r > 0) {
                l.add("        }");
            }
        }
        l.add("    }");
        return String.join("\n", l) + "\n";
    }
}
