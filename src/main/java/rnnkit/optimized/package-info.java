/**
 * The optimized implementation of Keras recurrent layers ({@link rnnkit.optimized.OptimizedRnn}), sharing no
 * arithmetic with the reference.
 *
 * <p>Layout: {@code Double*} classes are the float64 kernels and layers; the {@code Float*} classes with the same
 * suffix are generated from them ({@code java src/test/java/rnnkit/codegen/SourceGenerator.java}, checked by
 * GeneratedSourcesTest), except the hand-written {@code DoublePrecision}/{@code FloatPrecision}, which differ:
 * float32 converts at the boundary.
 * <ul>
 * <li>{@code *CellKernel}: one cell over a whole sequence (input projection GEMM, per-step recurrent GEMM with the
 * recurrent kernel prepacked, weight-gradient GEMMs over all steps, dropout masks, batch-slice threading);
 * {@code *SimpleRnnKernel}, {@code *LstmKernel}, {@code *GruKernel}, {@code *GruResetBeforeKernel}: the
 * fused per-step equations, forward and backward ({@link rnnkit.optimized.KernelVariant} lists them).</li>
 * <li>{@code *RecurrentLayer}: go_backwards, stacked cells, masks and outputs; {@code *Model}: Bidirectional,
 * Embedding, Dense, Sequential and the call/cotangent plumbing.</li>
 * <li>{@code *Activations}, {@link rnnkit.optimized.ActivationBlocks} (Vector API sigmoid/tanh with a scalar
 * fallback), {@link rnnkit.optimized.GaussianErf} (exact GELU).</li>
 * </ul>
 * Products go through {@link rnnkit.optimized.gemm.Gemm}; threads through
 * {@link rnnkit.optimized.parallel.ParallelRunner}.
 */
package rnnkit.optimized;
