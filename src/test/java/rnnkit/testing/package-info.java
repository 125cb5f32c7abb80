/**
 * Shared test infrastructure for any {@link rnnkit.model.RnnImplementation}: seeded random cases, QuickTheories
 * generators, a finite-difference gradient checker, call transforms and tolerances.
 *
 * <ul>
 * <li>{@link rnnkit.testing.CaseRecipe}: everything that determines a case (structure, cell, options, sizes, mask
 * pattern, dropout pattern, seed); {@code build()} draws all numbers from the seed and returns an
 * {@link rnnkit.testing.RnnCase} (call, random cotangent, effective mask). Its {@code toString()} reproduces it.</li>
 * <li>{@link rnnkit.testing.CaseSpace} and {@link rnnkit.testing.CaseGenerators}: QuickTheories generators over a
 * restrictable space, e.g.
 * {@code qt().withFixedSeed(1L).withExamples(100).forAll(CaseGenerators.cases(CaseSpace.everything()
 * .withKinds(LayerKind.SINGLE))).checkAssert(PropertyTrials.counted(c -> ...))}.</li>
 * <li>{@link rnnkit.testing.FiniteDifferenceChecker}: backward against central differences of forward;
 * {@link rnnkit.testing.GradientCorruption} injects known gradient errors to prove a check can fail.</li>
 * <li>{@link rnnkit.testing.ImplementationAgreement}: a candidate implementation against a trusted one on a case
 * (forward, optionally backward), reporting unsupported cases separately.</li>
 * <li>{@link rnnkit.testing.CallTransforms} and {@link rnnkit.testing.TimeAxis}: time-reversed, sliced, step-removed,
 * single-row calls; {@link rnnkit.conformance.Tolerance}: every tolerance of the project, in one file.</li>
 * </ul>
 */
package rnnkit.testing;
