package rnnkit.bench;

/**
 * What a layer-call benchmark method times, under the names the suite and the report use: the contestant and the
 * phase. Every experiment class ({@link HeadlineBenchmark}, {@link SweepBenchmark}, {@link DeepBenchBenchmark})
 * names its methods by {@link #method()}.
 */
public enum LayerCallMethod {
    /** {@code forward(call)} of the optimized implementation. */
    OPTIMIZED_FORWARD("optimizedForward", "optimized", "forward"),
    /** {@code backward(call, cotangent)} of the optimized implementation (recomputes the forward). */
    OPTIMIZED_FORWARD_BACKWARD("optimizedForwardBackward", "optimized", "forward+backward"),
    /** {@code forward(call)} of the layer prepared once in setup ({@code OptimizedRnn.prepare}, like an ORT session). */
    PREPARED_FORWARD("preparedForward", "prepared", "forward"),
    /** {@code backward(call, cotangent)} of the prepared layer. */
    PREPARED_FORWARD_BACKWARD("preparedForwardBackward", "prepared", "forward+backward"),
    /** {@code session.run} of the equivalent ONNX node. */
    ONNX_RUNTIME_FORWARD("onnxRuntimeForward", "onnxruntime", "forward"),
    /**
     * The prepared layer's array call and ONNX Runtime's {@code session.run} alternated in one JVM, in blocks of
     * timed calls after a pause ({@link PairedTimes}, {@code LayerCallContestant.pair}): the two contestants see the
     * same machine, so its drift cancels in their ratio.
     */
    PAIRED_FORWARD("pairedForward", "paired", "forward"),
    /** {@code forward(call)} of the naive reference, as single shots. */
    REFERENCE_FORWARD("referenceForward", "reference", "forward"),
    /** {@code backward(call, cotangent)} of the naive reference, as single shots. */
    REFERENCE_FORWARD_BACKWARD("referenceForwardBackward", "reference", "forward+backward");

    private final String method;
    private final String contestant;
    private final String phase;

    LayerCallMethod(String method, String contestant, String phase) {
        this.method = method;
        this.contestant = contestant;
        this.phase = phase;
    }

    /** The benchmark method's name. */
    public String method() {
        return method;
    }

    public String contestant() {
        return contestant;
    }

    public String phase() {
        return phase;
    }

    /** Timed as single calls (the reference: seconds per call) rather than in timed iterations. */
    public boolean singleShot() {
        return contestant.equals("reference");
    }

    /** The method a JMH benchmark name ({@code package.Class.method}) ends with, or null. */
    public static LayerCallMethod ofBenchmark(String benchmark) {
        String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        for (LayerCallMethod m : values()) {
            if (m.method.equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** The method timing {@code contestant} in {@code phase}. */
    public static LayerCallMethod of(String contestant, String phase) {
        for (LayerCallMethod m : values()) {
            if (m.contestant.equals(contestant) && m.phase.equals(phase)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no layer-call benchmark times " + contestant + " " + phase);
    }
}
