package rnnkit.kit;

import java.util.ArrayList;
import java.util.List;
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

    /** Every implementation registered with ServiceLoader, in discovery order. */
    public static List<RnnImplementation> registered() {
        return registered(Implementations.class.getClassLoader());
    }

    /** Every implementation registered with ServiceLoader visible to {@code loader} (e.g. with extra adapter jars). */
    public static List<RnnImplementation> registered(ClassLoader loader) {
        List<RnnImplementation> out = new ArrayList<>();
        for (RnnImplementation i : ServiceLoader.load(RnnImplementation.class, loader)) {
            out.add(i);
        }
        return out;
    }

    /** Resolves a registered name (e.g. "reference", "onnxruntime") or a class name. */
    public static RnnImplementation resolve(String nameOrClass) {
        return resolve(nameOrClass, Implementations.class.getClassLoader());
    }

    /** Resolves a registered name or a class name among the classes visible to {@code loader}. */
    public static RnnImplementation resolve(String nameOrClass, ClassLoader loader) {
        List<String> names = new ArrayList<>();
        for (RnnImplementation i : registered(loader)) {
            if (i.name().equals(nameOrClass)) {
                return i;
            }
            names.add(i.name());
        }
        Class<?> cls;
        try {
            cls = Class.forName(nameOrClass, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no implementation named '" + nameOrClass + "': registered names are "
                    + names + ", and no class of that name is on the classpath");
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
