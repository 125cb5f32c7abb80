package rnnkit.kit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import rnnkit.model.RnnImplementation;

/**
 * Finds implementations to validate: those registered with {@link ServiceLoader} under
 * {@code META-INF/services/rnnkit.model.RnnImplementation} (found by their {@link RnnImplementation#name()}), or
 * any class on the classpath with a public no-argument constructor, by fully qualified name.
 */
public final class Implementations {
    private Implementations() {
    }

    /**
     * A registered implementation that cannot be used in this JVM (its constructor failed, e.g. an optional
     * dependency such as ONNX Runtime is not on the class path).
     *
     * @param provider the registered class name
     * @param reason why it cannot be constructed
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
     * The registered implementations visible to {@code loader}, and the registered ones that cannot be constructed
     * here (with the reason): one bad or absent adapter never hides the others.
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
            } catch (ServiceConfigurationError e) {
                // a listed class that is missing or not an RnnImplementation: the loader moves past it
                missing.add(new Unavailable("(unreadable registration)", rootMessage(e)));
                errors++;
                continue;
            }
            try {
                out.add(p.get());
            } catch (ServiceConfigurationError e) {
                missing.add(new Unavailable(p.type().getName(), rootMessage(e)));
            }
        }
        return new Registry(out, missing);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** Resolves a registered name (e.g. "reference", "onnxruntime") or a class name. */
    public static RnnImplementation resolve(String nameOrClass) {
        return resolve(nameOrClass, Implementations.class.getClassLoader());
    }

    /** Resolves a registered name or a class name among the classes visible to {@code loader}. */
    public static RnnImplementation resolve(String nameOrClass, ClassLoader loader) {
        List<String> names = new ArrayList<>();
        Registry registry = registry(loader);
        for (RnnImplementation i : registry.available()) {
            if (i.name().equals(nameOrClass)) {
                return i;
            }
            names.add(i.name());
        }
        StringBuilder unavailable = new StringBuilder();
        for (Unavailable u : registry.unavailable()) {
            unavailable.append("; registered but unavailable: ").append(u.provider()).append(" (").append(u.reason())
                    .append(")");
        }
        Class<?> cls;
        try {
            cls = Class.forName(nameOrClass, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no implementation named '" + nameOrClass + "': registered names are "
                    + names + ", and no class of that name is on the classpath" + unavailable);
        }
        if (!RnnImplementation.class.isAssignableFrom(cls)) {
            throw new IllegalArgumentException("class " + nameOrClass + " does not implement " + RnnImplementation.class.getName());
        }
        try {
            return (RnnImplementation) cls.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("class " + nameOrClass + " needs a public no-argument constructor to be used as an adapter");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("could not construct " + nameOrClass + ": " + cause, cause);
        }
    }
}
