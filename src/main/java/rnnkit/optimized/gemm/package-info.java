/**
 * Matrix multiply for the optimized layers: {@code C = op(A)·op(B) (+ C)} on row-major float/double arrays.
 *
 * <h2>Which GEMM to use</h2>
 * <pre>{@code
 * ParallelRunner runner = ParallelRunner.forAvailableProcessors();   // owned and closed by the caller
 * BlockedGemm gemm = GemmVariants.fastest(runner);   // Vector API kernel, or scalar fallback without the module
 * GemmVariants.warmUp(gemm);                          // once per process, before timing anything
 * }</pre>
 * {@link rnnkit.optimized.gemm.GemmVariants#all} lists every variant for tests (naive, scalar-blocked, vector-blocked,
 * each blocked one also threaded). All blocked variants give the same bits as each other and for every thread
 * count; naive differs in rounding only.
 *
 * <h2>The three RNN products</h2>
 * <pre>{@code
 * // 1. input projection of all steps at once: Z[B·T × 4H] = X[B·T × D] · W[D × 4H]
 * gemm.sgemm(false, false, B * T, 4 * H, D, x, 0, D, w, 0, 4 * H, false, z, 0, 4 * H);
 *
 * // 2. per step, recurrent weights packed ONCE (and repacked in place after each weight update):
 * PackedFloatMatrix u = gemm.packB(false, H, 4 * H, recurrentKernel, 0, 4 * H);   // allocates, once
 * for (int t = 0; t < T; t++) {
 *     // Z_t[B × 4H] += h_{t-1}[B × H] · U   (accumulate onto the input projection rows of step t)
 *     gemm.sgemmPackedB(false, B, h, 0, H, u, true, zt, ztOff, ldz);
 * }
 * gemm.repackB(u, false, recurrentKernel, 0, 4 * H);   // after the optimizer changed the weights; no allocation
 *
 * // 3. backward, weight gradient over all steps: dW[D × 4H] += X^T[D × B·T] · dZ[B·T × 4H]
 * gemm.sgemm(true, false, D, 4 * H, B * T, x, 0, D, dz, 0, 4 * H, true, dw, 0, 4 * H);
 * // and dh_{t-1} = dZ_t · U^T: pack U^T once with packB(true, 4 * H, H, recurrentKernel, 0, 4 * H)
 * }</pre>
 * Offsets and leading dimensions address sub-matrices in place (e.g. the columns of one gate, or step t's rows of
 * a [B, T, F] tensor with ld = T·F). Double precision: {@code dgemm}, {@code dgemmPackedB}, same arguments.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Per C element the k-sum is accumulated in a fixed order (depth blocks of
 *       {@link rnnkit.optimized.gemm.BlockedGemm#DEPTH_BLOCK}, fma within a block), independent of threads, tiles and
 *       of packed vs unpacked B: bit-identical results for every thread count.</li>
 *   <li>Thread-safe: any number of threads may call one instance, and share one packed matrix (read-only between
 *       repackB calls). Calls from inside a {@code ParallelRunner} task of the same runner run on the calling thread.</li>
 *   <li>Steady-state repeated calls allocate nothing (thread-local packing buffers, allocation-free runner).</li>
 *   <li>Error: |C − exact| ≤ (k+2)·eps·(Σ|a·b| + |C_old|), eps = Math.ulp(1f) or Math.ulp(1d)
 *       (GemmReference in the tests).</li>
 *   <li>Bad arguments throw IllegalArgumentException naming the operand, e.g.
 *       "A is 2×3 with leading dimension 2; expected leading dimension >= 3".</li>
 * </ul>
 */
package rnnkit.optimized.gemm;
