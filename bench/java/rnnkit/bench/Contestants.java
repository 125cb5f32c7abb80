package rnnkit.bench;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import rnnkit.model.RnnImplementation;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.gemm.NaiveGemm;
import rnnkit.peers.onnx.OnnxRuntimeRnn;

/**
 * Creates the contestants by class name, so that the suite builds and runs (saying what is missing) while an
 * implementation is still on another branch. Adding a contestant is one constant here.
 */
public final class Contestants {
    /** The naive double-precision reference (single-threaded): a no-argument constructor. */
    public static final String REFERENCE_CLASS = "rnnkit.reference.ReferenceRnn";
    /** The optimized implementation: a constructor taking the thread count. */
    public static final String OPTIMIZED_CLASS = "rnnkit.optimized.OptimizedRnn";
    /** Where the optimized GEMM kernels live; the roofline uses the non-naive {@link Gemm} found there. */
    public static final String GEMM_PACKAGE = "rnnkit.optimized.gemm";
    /** The optimized package's GEMM factory; its {@code fastest(ParallelRunner)} is the roofline kernel. */
    public static final String GEMM_FACTORY_CLASS = "rnnkit.optimized.gemm.GemmVariants";
    /** System property naming the GEMM class explicitly (overrides discovery). */
    public static final String GEMM_CLASS_PROPERTY = "bench.gemm.class";

    private Contestants() {
    }

    public static RnnImplementation onnxRuntime(int threads) {
        return new OnnxRuntimeRnn(threads);
    }

    /** The reference, or empty if its class is not on the class path. */
    public static Optional<RnnImplementation> reference() {
        return instantiate(REFERENCE_CLASS, RnnImplementation.class, -1);
    }

    /** The optimized implementation on {@code threads} threads, or empty if its class is not on the class path. */
    public static Optional<RnnImplementation> optimized(int threads) {
        return instantiate(OPTIMIZED_CLASS, RnnImplementation.class, threads);
    }

    public static boolean present(String className) {
        try {
            Class.forName(className, false, Contestants.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The GEMM class the roofline measures: {@value #GEMM_CLASS_PROPERTY} if set, else the one non-naive Gemm found. */
    public static Optional<String> gemmClassName() {
        if (System.getProperty(GEMM_CLASS_PROPERTY) == null && present(GEMM_FACTORY_CLASS)) {
            return Optional.of(GEMM_FACTORY_CLASS + ".fastest(ParallelRunner)");
        }
        String named = System.getProperty(GEMM_CLASS_PROPERTY);
        if (named != null && !named.isBlank()) {
            return Optional.of(named.trim());
        }
        List<String> found = new ArrayList<>();
        for (String name : classesInPackage(GEMM_PACKAGE)) {
            try {
                Class<?> c = Class.forName(name, false, Contestants.class.getClassLoader());
                if (Gemm.class.isAssignableFrom(c) && c != NaiveGemm.class && !c.isInterface()
                        && !Modifier.isAbstract(c.getModifiers()) && Modifier.isPublic(c.getModifiers())) {
                    found.add(name);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // not loadable: not a candidate
            }
        }
        if (found.size() > 1) {
            // prefer a name that says it is the tuned kernel
            for (String f : found) {
                if (f.matches(".*(Blocked|Vector|Packed|Tiled).*")) {
                    return Optional.of(f);
                }
            }
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * The optimized GEMM; tries constructors (int threads), (ParallelRunner), then (). The returned
     * {@link GemmInstance} says whether the kernel itself uses {@code threads} threads.
     */
    public static Optional<GemmInstance> gemm(int threads) {
        if (System.getProperty(GEMM_CLASS_PROPERTY) == null && present(GEMM_FACTORY_CLASS)) {
            // the optimized package's own factory: the fastest blocked GEMM, splitting C over a ParallelRunner
            try {
                Class<?> runner = Class.forName("rnnkit.optimized.parallel.ParallelRunner");
                Object r = runner.getConstructor(int.class).newInstance(threads);
                Object g = Class.forName(GEMM_FACTORY_CLASS).getMethod("fastest", runner).invoke(null, r);
                return Optional.of(new GemmInstance((Gemm) g, true));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create the GEMM with " + GEMM_FACTORY_CLASS + ".fastest: "
                        + rootMessage(e), e);
            }
        }
        Optional<String> name = gemmClassName();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            Class<?> c = Class.forName(name.get());
            try {
                Constructor<?> k = c.getConstructor(int.class);
                return Optional.of(new GemmInstance((Gemm) k.newInstance(threads), true));
            } catch (NoSuchMethodException e) {
                // next form
            }
            try {
                Class<?> runner = Class.forName("rnnkit.optimized.parallel.ParallelRunner");
                Constructor<?> k = c.getConstructor(runner);
                Object r = runner.getConstructor(int.class).newInstance(threads);
                return Optional.of(new GemmInstance((Gemm) k.newInstance(r), true));
            } catch (NoSuchMethodException e) {
                // next form
            }
            return Optional.of(new GemmInstance((Gemm) c.getConstructor().newInstance(), threads == 1));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create GEMM " + name.get() + ": " + rootMessage(e), e);
        }
    }

    /** A GEMM kernel and whether it runs on the requested number of threads itself. */
    public record GemmInstance(Gemm gemm, boolean usesRequestedThreads) {
    }

    private static <T> Optional<T> instantiate(String className, Class<T> type, int threads) {
        Class<?> c;
        try {
            c = Class.forName(className);
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        try {
            Object o = threads < 0 ? c.getConstructor().newInstance() : c.getConstructor(int.class).newInstance(threads);
            return Optional.of(type.cast(o));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructing " + className + " failed: " + rootMessage(e), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(className + " has no public constructor "
                    + (threads < 0 ? "()" : "(int threads)") + ": " + e, e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Closes a contestant if it holds resources (thread pools). */
    public static void closeQuietly(Object o) {
        if (o instanceof AutoCloseable a) {
            try {
                a.close();
            } catch (Exception e) {
                // closing after a benchmark; nothing to recover
            }
        }
    }

    /** Top-level class names of a package, found in class-path directories and jars. */
    static List<String> classesInPackage(String pkg) {
        String dir = pkg.replace('.', '/');
        TreeSet<String> names = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            try {
                if (Files.isDirectory(p)) {
                    Path d = p.resolve(dir);
                    if (Files.isDirectory(d)) {
                        try (Stream<Path> s = Files.list(d)) {
                            s.map(f -> f.getFileName().toString())
                                    .filter(f -> f.endsWith(".class") && !f.contains("$"))
                                    .forEach(f -> names.add(pkg + "." + f.substring(0, f.length() - 6)));
                        }
                    }
                } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                    try (JarFile jar = new JarFile(p.toFile())) {
                        Enumeration<JarEntry> en = jar.entries();
                        while (en.hasMoreElements()) {
                            String n = en.nextElement().getName();
                            if (n.startsWith(dir + "/") && n.endsWith(".class") && !n.contains("$")
                                    && n.indexOf('/', dir.length() + 1) < 0) {
                                names.add(n.substring(0, n.length() - 6).replace('/', '.'));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // unreadable class-path entry: skip it
            }
        }
        return new ArrayList<>(names);
    }
}
