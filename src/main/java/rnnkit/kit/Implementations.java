package rnnkit.kit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import rnnkit.model.RnnImplementation;

/**
 * Finds implementations to validate: those registered with {@link ServiceLoader} under
 * {@code META-INF/services/rnnkit.model.RnnImplementation} (found by their {@link RnnImplementation#name()}), or
 * any class on the classpath with a public no-argument constructor, by fully qualified name.
 *
 * <p>A registration that cannot be used (a listed class that is missing, a constructor that throws, a native library
 * that does not load, a name() that fails or is not a valid report name) never stops discovery: it is kept as
 * {@link Unavailable} with its root cause, and the other implementations are still found. Two registrations with
 * one name are an error naming both classes.
 */
public final class Implementations {
    /** Report names: letters, digits, '_', '.', '-' (a name becomes report file names). */
    public static final String NAME_PATTERN = "[A-Za-z0-9_.\\-]+";

    private Implementations() {
    }

    /**
     * A registered implementation that cannot be used in this JVM (its class is missing, its constructor failed,
     * e.g. an optional dependency such as ONNX Runtime is not on the class path, or its name is not valid).
     *
     * @param provider the registered class name (or the service-file entry that could not be read)
     * @param reason why it cannot be used: the root cause's message first
     */
    public record Unavailable(String provider, String reason) {
    }

    /** What ServiceLoader finds: the implementations it could construct, and those it could not, with why. */
    public record Registry(List<RnnImplementation> available, List<Unavailable> unavailable) {
        public Registry {
            available = List.copyOf(available);
            unavailable = List.copyOf(unavailable);
        }
    }

    /** Every implementation registered with ServiceLoader, in discovery order. */
    public static List<RnnImplementation> registered() {
        return registered(Implementations.class.getClassLoader());
    }

    /** Every implementation registered with ServiceLoader visible to {@code loader} (e.g. with extra adapter jars). */
    public static List<RnnImplementation> registered(ClassLoader loader) {
        return registry(loader).available();
    }

    /**
     * The registered implementations visible to {@code loader}, and the registered ones that cannot be used here
     * (with the reason): one bad or absent adapter never hides the others.
     */
    public static Registry registry(ClassLoader loader) {
        List<RnnImplementation> out = new ArrayList<>();
        List<Unavailable> missing = new ArrayList<>();
        Iterator<ServiceLoader.Provider<RnnImplementation>> it = ServiceLoader.load(RnnImplementation.class, loader)
                .stream().iterator();
        for (int errors = 0; errors < 1000; ) {
            ServiceLoader.Provider<RnnImplementation> p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // a listed class that is missing or not an RnnImplementation: the loader moves past it
                missing.add(new Unavailable(entryOf(e), rootMessage(e)));
                errors++;
                continue;
            }
            String provider = "(unreadable registration)";
            try {
                provider = p.type().getName();
                RnnImplementation impl = p.get();
                out.add(checkName(impl));
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                missing.add(new Unavailable(provider, rootMessage(e)));
                errors++;
            }
        }
        return new Registry(out, missing);
    }

    /** The root cause's message (or the root cause itself when it has none), then where it came from. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String root = t.getMessage() != null ? t.getMessage() : t.toString();
        return t == e ? root : root + " (" + t.getClass().getName() + ", via " + e.getClass().getName() + ")";
    }

    private static String entryOf(Throwable e) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Provider (\\S+)").matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group(1) : "(unreadable registration)";
    }

    /** Two implementations registered under one name, as an error message naming both classes; null if none. */
    public static String duplicateNames(List<RnnImplementation> impls) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (RnnImplementation i : impls) {
            String other = byName.putIfAbsent(i.name(), i.getClass().getName());
            if (other != null) {
                return "two implementations are named '" + i.name() + "': " + other + " and " + i.getClass().getName()
                        + "; each registered implementation needs its own name";
            }
        }
        return null;
    }

    /** Resolves a registered name (e.g. "reference", "onnxruntime") or a class name. */
    public static RnnImplementation resolve(String nameOrClass) {
        return resolve(nameOrClass, Implementations.class.getClassLoader());
    }

    /**
     * Resolves a registered name or a class name among the classes visible to {@code loader}; its name() must be a
     * valid report name. Failures are IllegalArgumentExceptions with the root cause first.
     */
    public static RnnImplementation resolve(String nameOrClass, ClassLoader loader) {
        List<String> names = new ArrayList<>();
        Registry registry = registry(loader);
        List<RnnImplementation> named = new ArrayList<>();
        for (RnnImplementation i : registry.available()) {
            if (i.name().equals(nameOrClass)) {
                named.add(i);
            }
            names.add(i.name());
        }
        if (named.size() > 1) {
            throw new IllegalArgumentException(duplicateNames(named));
        }
        if (named.size() == 1) {
            return named.get(0);
        }
        StringBuilder unavailable = new StringBuilder();
        for (Unavailable u : registry.unavailable()) {
            if (u.provider().equals(nameOrClass)) {
                throw new IllegalArgumentException(u.reason() + " (registered implementation " + u.provider()
                        + " cannot be used)");
            }
            unavailable.append("; registered but unavailable: ").append(u.provider()).append(" (").append(u.reason())
                    .append(")");
        }
        Class<?> cls;
        try {
            cls = Class.forName(nameOrClass, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no implementation named '" + nameOrClass + "': registered names are "
                    + names + ", and no class of that name is on the classpath" + unavailable);
        } catch (LinkageError e) {
            throw new IllegalArgumentException(rootMessage(e) + " (while loading adapter class " + nameOrClass + ")", e);
        }
        if (!RnnImplementation.class.isAssignableFrom(cls)) {
            throw new IllegalArgumentException("class " + nameOrClass + " does not implement " + RnnImplementation.class.getName());
        }
        RnnImplementation impl;
        try {
            impl = (RnnImplementation) cls.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("class " + nameOrClass + " needs a public no-argument constructor to be used as an adapter");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new IllegalArgumentException(rootMessage(e) + " (while constructing adapter " + nameOrClass + ")", e);
        }
        return checkName(impl);
    }

    /** The implementation, if its name() is a valid report name; else an IllegalArgumentException. */
    public static RnnImplementation checkName(RnnImplementation impl) {
        String name;
        try {
            name = impl.name();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalArgumentException(rootMessage(e) + " (from name() of adapter " + impl.getClass().getName() + ")", e);
        }
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("adapter " + impl.getClass().getName() + " has name() "
                    + (name == null ? "null" : "'" + name + "'")
                    + "; a name must be letters, digits, '_', '.' or '-' (it names the report files)");
        }
        return impl;
    }
}
