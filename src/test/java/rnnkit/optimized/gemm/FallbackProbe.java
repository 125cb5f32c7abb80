package rnnkit.optimized.gemm;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Run in a child JVM by {@link VectorApiFallbackTest}: prints availability, the chosen GEMM and a result hash. */
public final class FallbackProbe {

    public static void main(String[] args) {
        Gemm gemm = GemmVariants.fastestSingleThreaded();
        System.out.println("vector=" + GemmVariants.vectorApiAvailable() + " fastest=" + gemm.name() + " "
                + fingerprint(gemm));
    }

    /** Hashes of a float and a double product (transposes, offsets, accumulate) computed by {@code gemm}. */
    static String fingerprint(Gemm gemm) {
        FloatGemmCase f = new FloatGemmCase(true, false, 23, 45, 300, true, new SplittableRandom(5));
        DoubleGemmCase d = new DoubleGemmCase(false, true, 23, 45, 300, true, new SplittableRandom(6));
        return Integer.toHexString(Arrays.hashCode(f.run(gemm))) + "/" + Integer.toHexString(Arrays.hashCode(d.run(gemm)));
    }
}
