// FloatCellWeights.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import rnnkit.model.CellSpec;
import rnnkit.model.CellVariant;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.gemm.PackedDoubleMatrix;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * The weights of one recurrent cell in the form the float64 kernels read them, made once per prepared layer (or
 * once per call without one):
 * <ul>
 * <li>kernel W (D, k·U) and recurrent kernel U (U, k·U) in Keras layout, in the compute precision;</li>
 * <li>the gate bias added to every gate pre-activation: the Keras bias, except GRU reset_after, whose input and
 * recurrent biases are summed once for the z and r blocks (x·W_z + h·U_z + (b_in,z + b_rec,z)); its h block keeps
 * b_in,h here and b_rec,h in {@link #recurrentBias}, which the reset gate multiplies;</li>
 * <li>packed forms of U for the per-step products, made on first use by the thread(s) that need them and kept:
 * gate-interleaved chunks for the forward ({@link #forwardChunks}) and U^T, whole or in column slices, for the
 * backward ({@link #transposedSlices}).</li>
 * </ul>
 *
 * <p>Gate-interleaved chunks: the units are cut into {@link #chunkCount()} chunks (see {@link #chunkCount(int, int,
 * int, int)}); chunk c of gate blocks [g0, g1) is the matrix of the columns g·U + [u0, u1) of every gate g in the range, side by
 * side, packed once. One product with it yields every gate of those units, so the cell's element-wise step (bias,
 * activations, state update) runs on that tile right after its GEMM while it is in cache, and a thread that owns a
 * range of chunks can finish its units without waiting for the others (oneDNN's per-n-block gate layout).
 *
 * <p>Thread-safe: the arrays are never written after construction; the packed forms are made under
 * {@link ConcurrentHashMap#computeIfAbsent} and immutable afterwards.
 */
final class DoubleCellWeights {
    /**
     * Columns (gates × units) a forward chunk holds at most: a 512-wide block of output per product (smaller chunks
     * repack the left operand too often); narrower where the chunks are shared among threads (see chunkCount).
     */
    static final int CHUNK_COLUMNS = 512;
    /** Chunk widths are multiples of this (the GEMM's float panel width), so gate blocks start on panel edges. */
    static final int CHUNK_ALIGN = 32;

    final CellSpec cell;
    final int units;
    final int gates;
    /** k·U: columns of the kernels and of the pre-activations. */
    final int width;
    final int inputDim;
    final double[] kernel;
    final double[] recurrentKernel;
    /** Bias added to each gate pre-activation (see the class comment), or null without bias. */
    final double[] gateBias;
    /** GRU reset_after: the recurrent bias of the h block (U), inside the reset product; otherwise null. */
    final double[] recurrentBias;
    /** Number of forward chunks. */
    private final int chunks;
    /** Chunk starts are multiples of this many units. */
    private final int chunkAlign;
    private final Gemm gemm;
    private final ParallelRunner runner;
    private final ConcurrentHashMap<Long, PackedDoubleMatrix[]> packed = new ConcurrentHashMap<>();

    /**
     * @param weights the cell's Keras weights (kernel, recurrent_kernel[, bias])
     * @param copy whether to copy the values (a prepared layer, which must not see later changes to the tensors)
     *     or, where the precision allows, read the tensors' own arrays (one call)
     */
    DoubleCellWeights(CellSpec cell, List<Tensor> weights, Gemm gemm, ParallelRunner runner, boolean copy) {
        this.cell = cell;
        this.units = cell.units();
        this.gates = cell.gates();
        this.width = gates * units;
        this.gemm = gemm;
        this.runner = runner;
        this.kernel = copy ? DoublePrecision.copy(weights.get(0), runner) : DoublePrecision.read(weights.get(0), runner);
        this.inputDim = kernel.length / width;
        this.recurrentKernel = copy ? DoublePrecision.copy(weights.get(1), runner)
                : DoublePrecision.read(weights.get(1), runner);
        if (!cell.useBias()) {
            gateBias = null;
            recurrentBias = null;
        } else if (CellVariant.of(cell) == CellVariant.GRU) {
            double[] both = DoublePrecision.read(weights.get(2));
            gateBias = new double[width];
            for (int j = 0; j < width; j++) {
                gateBias[j] = j < 2 * units ? both[j] + both[width + j] : both[j];
            }
            recurrentBias = java.util.Arrays.copyOfRange(both, width + 2 * units, 2 * width);
        } else {
            gateBias = copy ? DoublePrecision.copy(weights.get(2), runner) : DoublePrecision.read(weights.get(2));
            recurrentBias = null;
        }
        this.chunkAlign = Math.max(CHUNK_ALIGN, gemm.packedColumnAlign());
        this.chunks = chunkCount(units, gates, chunkAlign, runner.threads());
    }

    /**
     * The gate block ranges [g0, g1) of the recurrent products of one forward step, in order: all gates in one
     * product, except GRU reset_before, whose h-block product multiplies r ∘ h and so follows the z, r product.
     */
    int[][] phases() {
        return CellVariant.of(cell) == CellVariant.GRU_RESET_BEFORE ? new int[][] {{0, 2}, {2, 3}} : new int[][] {{0, gates}};
    }

    /**
     * How many forward chunks a cell of {@code units} units and {@code gates} gates is cut into: as many as keep a
     * chunk within {@link #CHUNK_COLUMNS} columns, and, where a column-split forward may use them
     * ({@link RecurrenceSplit#columnSplitPays}), rounded up to a multiple of the thread count, so that the threads
     * own equal shares of the units at every step (equal within one aligned block; fewer chunks than that when the
     * units have fewer aligned blocks). {@link #chunkStart} spreads the blocks evenly over the chunks (widths differ
     * by at most one block), so no thread finishes a short chunk and then waits for a long one. Decided when the
     * weights are prepared, so batch-split calls get the same, possibly narrower, chunks. Chunking only decides
     * which columns a product computes together: every element is the same bits.
     */
    static int chunkCount(int units, int gates, int align, int threads) {
        int perGate = Math.max(align, CHUNK_COLUMNS / gates / align * align);
        int count = (units + perGate - 1) / perGate;
        if (threads > 1 && RecurrenceSplit.columnSplitPays(units, gates * units)) {
            count = (count + threads - 1) / threads * threads;
        }
        return Math.max(1, Math.min(count, (units + align - 1) / align));
    }

    /** Number of forward chunks. */
    int chunkCount() {
        return chunks;
    }

    /**
     * First unit of chunk c ({@code c = chunkCount()} gives U): chunk c holds the aligned unit blocks
     * [c·B/n, (c+1)·B/n), B = the number of {@code chunkAlign}-unit blocks, n = the number of chunks.
     */
    int chunkStart(int c) {
        return chunkStart(c, units, chunks, chunkAlign);
    }

    /** First unit of chunk c of {@code chunks} over {@code units} units with starts aligned to {@code align}. */
    static int chunkStart(int c, int units, int chunks, int align) {
        int blocks = (units + align - 1) / align;
        return Math.min(units, c * blocks / chunks * align);
    }

    /**
     * The gate-interleaved packed chunks of gate blocks [g0, g1) (see the class comment): chunk c is the
     * U × (g1 - g0)·w matrix whose column (g - g0)·w + j is U's column g·U + u0 + j, w = chunk width. Packed on first
     * use, the chunks split over the runner's threads as a column-split forward uses them.
     */
    PackedDoubleMatrix[] forwardChunks(int g0, int g1) {
        return packed.computeIfAbsent(key(0, g0, g1, 0), k -> {
            int n = chunkCount();
            PackedDoubleMatrix[] chunks = new PackedDoubleMatrix[n];
            runner.forRange(n, 1, 1, (c0, c1) -> {
                for (int c = c0; c < c1; c++) {
                    int u0 = chunkStart(c);
                    int w = chunkStart(c + 1) - u0;
                    int cols = (g1 - g0) * w;
                    double[] gathered = new double[units * cols];
                    for (int p = 0; p < units; p++) {
                        for (int g = g0; g < g1; g++) {
                            System.arraycopy(recurrentKernel, p * width + g * units + u0, gathered,
                                    p * cols + (g - g0) * w, w);
                        }
                    }
                    chunks[c] = gemm.packB(false, units, cols, gathered, 0, cols);
                }
            });
            return chunks;
        });
    }

    /**
     * Gate blocks [g0, g1) of U as one packed U × (g1 - g0)·U matrix in chunk-major, gate-interleaved column order:
     * chunk c's columns start at (g1 - g0)·u0 and hold, gate after gate, U's columns g·U + [u0, u1). A tiled product
     * with pieces of (g1 - g0)·w columns (w = a chunk's width) then finishes one chunk (all gates of its units) per
     * piece. Packed on first use.
     */
    PackedDoubleMatrix forwardInterleaved(int g0, int g1) {
        return packed.computeIfAbsent(key(2, g0, g1, 0), k -> {
            int gp = g1 - g0;
            int cols = gp * units;
            double[] gathered = new double[units * cols];
            runner.forRange(units, 1, 1, (p0, p1) -> {
                for (int p = p0; p < p1; p++) {
                    for (int c = 0; c < chunkCount(); c++) {
                        int u0 = chunkStart(c);
                        int w = chunkStart(c + 1) - u0;
                        for (int g = g0; g < g1; g++) {
                            System.arraycopy(recurrentKernel, p * width + g * units + u0, gathered,
                                    p * cols + gp * u0 + (g - g0) * w, w);
                        }
                    }
                }
            });
            return new PackedDoubleMatrix[] {gemm.packB(false, units, cols, gathered, 0, cols)};
        })[0];
    }

    /**
     * Gate blocks [g0, g1) of the kernel W (D × (g1 - g0)·U) packed for the input projection, so that a prepared
     * layer packs W once like U; the prepacked-B product gives the bits of the one that packs B per call. (Measured
     * single thread, CPU time, float32: the isolated product 3200×512×2048 121 vs 77 GFLOP/s; a whole LSTM
     * (32,100,512,512) forward showed no difference, 89 vs 89.) Packed on first use.
     */
    PackedDoubleMatrix packedKernel(int g0, int g1) {
        return packed.computeIfAbsent(key(3, g0, g1, 0), k -> new PackedDoubleMatrix[] {
            gemm.packB(false, inputDim, (g1 - g0) * units, kernel, g0 * units, width)})[0];
    }

    /**
     * U_block^T for gate blocks [g0, g1) ((g1 - g0)·U × U), packed whole ({@code slices} = 1) or as the column
     * slices of {@link #sliceStarts}(U, slices), each packed by the thread that multiplies with it in a
     * column-split backward. Packed on first use.
     */
    PackedDoubleMatrix[] transposedSlices(int g0, int g1, int slices) {
        return packed.computeIfAbsent(key(1, g0, g1, slices), k -> {
            int n = (g1 - g0) * units;
            int off = g0 * units;
            int[] starts = sliceStarts(units, slices);
            PackedDoubleMatrix[] out = new PackedDoubleMatrix[starts.length - 1];
            runner.forRange(out.length, 1, 1, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    int j0 = starts[t];
                    out[t] = gemm.packB(true, n, starts[t + 1] - j0, recurrentKernel, off + j0 * width, width);
                }
            });
            return out;
        });
    }

    /** Starts of {@code slices} column slices of [0, n) (multiples of 32 columns, the last may be shorter), then n. */
    static int[] sliceStarts(int n, int slices) {
        int per = ((n + slices - 1) / slices + 31) / 32 * 32;
        int count = Math.max(1, (n + per - 1) / per);
        int[] starts = new int[count + 1];
        for (int t = 0; t < count; t++) {
            starts[t] = t * per;
        }
        starts[count] = n;
        return starts;
    }

    private static long key(int kind, int g0, int g1, int slices) {
        return ((long) kind << 48) | ((long) g0 << 40) | ((long) g1 << 32) | slices;
    }
}
