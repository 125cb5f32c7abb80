package rnnkit.model;

import java.util.Locale;

/** Floating-point precision a layer computes in, named as Keras {@code floatx} names it. */
public enum DType {
    FLOAT32("float32"),
    FLOAT64("float64");

    private final String kerasName;

    DType(String kerasName) {
        this.kerasName = kerasName;
    }

    public String kerasName() {
        return kerasName;
    }

    public static DType fromKeras(String name) {
        for (DType d : values()) {
            if (d.kerasName.equals(name.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; expected float32 or float64");
    }
}
