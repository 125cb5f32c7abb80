package rnnkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The allocation sources tell Vector API boxes from other allocations: vectors kept in an array escape, so every
 * one of them is a heap object; plain arrays are not boxes.
 */
class AllocationSourcesTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static Object sink;

    @Test
    void vectorsThatEscapeAreCountedAsBoxesAndArraysAreNot() {
        float[] lanes = new float[S.length()];
        AllocationSources.Split boxes = AllocationSources.of(() -> {
            Object[] keep = new Object[1 << 14];
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < keep.length; i++) {
                    keep[i] = FloatVector.fromArray(S, lanes, 0).add((float) i); // escapes: a heap object each
                }
                sink = keep;
            }
        });
        AllocationSources.Split arrays = AllocationSources.of(() -> {
            for (int i = 0; i < 20 * (1 << 14); i++) {
                sink = new float[S.length()];
            }
        });
        System.out.println("[allocation sources] escaping vectors: " + boxes + "; arrays: " + arrays);
        assertThat(boxes.totalBytes()).as("sampled bytes of the escaping vectors").isGreaterThan(1_000_000);
        assertThat(boxes.vectorBoxShare()).as(boxes.toString()).isGreaterThan(0.9);
        assertThat(arrays.totalBytes()).as("sampled bytes of the arrays").isGreaterThan(1_000_000);
        assertThat(arrays.vectorBoxShare()).as(arrays.toString()).isLessThan(0.05);
        assertThat(arrays.otherTopFrames().keySet()).anyMatch(f -> f.contains("AllocationSourcesTest"));
    }
}
