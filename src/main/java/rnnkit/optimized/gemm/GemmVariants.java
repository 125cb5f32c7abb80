package rnnkit.optimized.gemm;

import java.util.ArrayList;
import java.util.List;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * Every GEMM implementation in this package, and the factory the layers use.
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which is only resolved when the
 * JVM runs with {@code --add-modules jdk.incubator.vector}. {@code FloatVectorPanelKernel} and
 * {@code DoubleVectorPanelKernel} are therefore loaded by name, only after checking that the module is in the boot
 * layer; without it every factory here falls back to
 * the scalar blocked kernel, which gives bit-identical results (same KC, same fma order), only slower.
 */
public final class GemmVariants {

    /** Thread count of the threaded variants listed by {@link #all(ParallelRunner)}. */
    public static final int THREADED_VARIANT_THREADS = 2;

    private static final BlockedGemm.Kernels SCALAR_KERNEL = new BlockedGemm.Kernels("scalar",
            new FloatScalarPanelKernel(), new DoubleScalarPanelKernel());
    private static final BlockedGemm.Kernels VECTOR_KERNEL = loadVectorKernel();
    private static final ParallelRunner SINGLE_THREAD = new ParallelRunner(1);

    private GemmVariants() {
    }

    /** True when the Vector API module is present and the vector kernel loaded. */
    public static boolean vectorApiAvailable() {
        return VECTOR_KERNEL != null;
    }

    /**
     * Every variant, freshly made: naive, scalar-blocked and (if the Vector API is available) vector-blocked, each
     * blocked one also on {@link #THREADED_VARIANT_THREADS} threads. The threaded ones share {@code runner}.
     * Count: 5 with the Vector API, 3 without.
     */
    public static List<Gemm> all(ParallelRunner threadedRunner) {
        List<Gemm> variants = new ArrayList<>();
        variants.add(new NaiveGemm());
        variants.add(new BlockedGemm(SCALAR_KERNEL, SINGLE_THREAD));
        variants.add(new BlockedGemm(SCALAR_KERNEL, threadedRunner));
        if (VECTOR_KERNEL != null) {
            variants.add(new BlockedGemm(VECTOR_KERNEL, SINGLE_THREAD));
            variants.add(new BlockedGemm(VECTOR_KERNEL, threadedRunner));
        }
        return variants;
    }

    /** The fastest GEMM available, splitting work over {@code runner}'s threads (caller keeps ownership). */
    public static BlockedGemm fastest(ParallelRunner runner) {
        return new BlockedGemm(VECTOR_KERNEL != null ? VECTOR_KERNEL : SCALAR_KERNEL, runner);
    }

    /** The fastest GEMM available on the calling thread only. */
    public static BlockedGemm fastestSingleThreaded() {
        return fastest(SINGLE_THREAD);
    }

    /** The scalar blocked GEMM (the no-Vector-API fallback), on {@code runner}'s threads. */
    public static BlockedGemm scalarBlocked(ParallelRunner runner) {
        return new BlockedGemm(SCALAR_KERNEL, runner);
    }

    /**
     * Compiles the kernels through many small products (every transpose combination, both precisions, packed and
     * unpacked B) before any long call. Without it, the first large product may get the micro-kernel compiled by
     * on-stack replacement inside one long loop, which on JDK 17 (seen on AVX-512 Xeons) sometimes yields
     * non-intrinsified vector code ten times slower for the life of the process. Takes about 0.1–0.3 s; call once
     * per process before benchmarking (layers may call it when they are built).
     */
    public static void warmUp(Gemm gemm) {
        int size = 96;
        int rows = 40;
        float[] a = new float[size * size];
        float[] b = new float[size * size];
        float[] c = new float[size * size];
        double[] ad = new double[size * size];
        double[] bd = new double[size * size];
        double[] cd = new double[size * size];
        for (int i = 0; i < a.length; i++) {
            // any finite values: only the compiled code matters, and C is overwritten first
            a[i] = (i % 7) * 0.125f;
            b[i] = (i % 5) * 0.25f;
            ad[i] = a[i];
            bd[i] = b[i];
        }
        PackedFloatMatrix packedF = gemm.packB(false, size, size, b, 0, size);
        PackedDoubleMatrix packedD = gemm.packB(false, size, size, bd, 0, size);
        for (int rep = 0; rep < 2000; rep++) {
            boolean transA = (rep & 1) != 0;
            boolean transB = (rep & 2) != 0;
            int m = rep % 3 == 0 ? rows + 1 : rows; // also exercises the few-row tail tiles
            gemm.sgemm(transA, transB, m, size, size, a, 0, size, b, 0, size, false, c, 0, size);
            gemm.dgemm(transA, transB, m, size, size, ad, 0, size, bd, 0, size, false, cd, 0, size);
            gemm.sgemmPackedB(transA, m, a, 0, size, packedF, false, c, 0, size);
            gemm.dgemmPackedB(transA, m, ad, 0, size, packedD, false, cd, 0, size);
        }
    }

    private static BlockedGemm.Kernels loadVectorKernel() {
        if (Boolean.getBoolean("rnnkit.gemm.disableVectorApi")
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            FloatPanelKernel floats = (FloatPanelKernel) Class.forName("rnnkit.optimized.gemm.FloatVectorPanelKernel")
                    .getDeclaredConstructor().newInstance();
            DoublePanelKernel doubles = (DoublePanelKernel) Class.forName(
                    "rnnkit.optimized.gemm.DoubleVectorPanelKernel").getDeclaredConstructor().newInstance();
            return new BlockedGemm.Kernels(floats.name(), floats, doubles);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
