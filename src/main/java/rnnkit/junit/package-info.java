/**
 * The conformance kit inside your own build: {@link rnnkit.junit.KerasConformance} turns the golden Keras corpus
 * (and seeded random cases) into JUnit 5 dynamic tests of your {@link rnnkit.model.RnnImplementation}, one per case.
 * JUnit Jupiter is a provided dependency of rnnkit: this package needs it on the test class path, the rest of
 * rnnkit does not.
 */
package rnnkit.junit;
