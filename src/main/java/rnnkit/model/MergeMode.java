package rnnkit.model;

/** How Bidirectional combines its forward and (re-reversed) backward outputs, as Keras names it. */
public enum MergeMode {
    CONCAT("concat"),
    SUM("sum"),
    MUL("mul"),
    AVE("ave"),
    /** Keras {@code merge_mode=None}: the two outputs are returned as a list. */
    NONE("None");

    private final String kerasName;

    MergeMode(String kerasName) {
        this.kerasName = kerasName;
    }

    public String kerasName() {
        return kerasName;
    }

    public static MergeMode fromKeras(String name) {
        if (name == null) {
            return NONE;
        }
        for (MergeMode m : values()) {
            if (m.kerasName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown merge_mode '" + name + "'; expected concat, sum, mul, ave or None");
    }
}
