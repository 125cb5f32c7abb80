package rnnkit.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.model.UnsupportedCaseException;

/**
 * Runs conformance cases through one implementation and classifies each: PASS, FAIL (wrong beyond tolerance),
 * UNSUPPORTED (the implementation said it cannot express the case), ERROR (exception, missing or misshapen output,
 * NaN/Inf where the expected value is finite, or a time-out). A bad implementation never stops the run: every
 * case gets a result.
 */
public final class KitRunner {
    private final QuantityCheck check;
    private final ExpectedFailures expectedFailures;
    private final long timeoutSeconds;
    private final boolean checkGradients;

    /**
     * @param timeoutSeconds per case; a case still running then is an ERROR ("timed out") and the run goes on
     * @param checkGradients also run backward where the case has expected gradients; an implementation without
     *     gradients then gets the forward verdict with a note, not UNSUPPORTED for the whole case
     */
    public KitRunner(QuantityCheck check, ExpectedFailures expectedFailures, long timeoutSeconds, boolean checkGradients) {
        this.check = check;
        this.expectedFailures = expectedFailures;
        this.timeoutSeconds = timeoutSeconds;
        this.checkGradients = checkGradients;
    }

    /** Runs the cases, reporting progress. */
    public List<CaseResult> run(RnnImplementation impl, List<ConformanceCase> cases, ProgressBar progress) {
        List<PlannedCase> plan = new ArrayList<>();
        for (ConformanceCase c : cases) {
            plan.add(PlannedCase.of(c));
        }
        return runPlan(impl, plan, progress);
    }

    /** Runs planned cases through one implementation, loading each inside the per-case guard. */
    public List<CaseResult> runPlan(RnnImplementation impl, List<PlannedCase> plan, ProgressBar progress) {
        return runPlan(implementationName(impl), plan, c -> impl, progress);
    }

    /**
     * Runs planned cases, each through the implementation {@code implementationFor} gives for it (verify: the
     * result files of that case). Loading the case, making its implementation and running it all happen inside
     * the per-case guard and time limit: whatever goes wrong is that case's ERROR.
     */
    public List<CaseResult> runPlan(String implementationName, List<PlannedCase> plan,
                                    Function<ConformanceCase, RnnImplementation> implementationFor, ProgressBar progress) {
        List<CaseResult> results = new ArrayList<>();
        ExecutorService worker = newWorker();
        try {
            int done = 0;
            for (PlannedCase c : plan) {
                long start = System.nanoTime();
                CaseResult raw;
                Future<CaseResult> f = worker.submit(() -> loadAndRun(implementationName, c, implementationFor));
                try {
                    raw = f.get(timeoutSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    raw = result(c.name(), implementationName, Outcome.ERROR, "timed out after " + timeoutSeconds + " s",
                            List.of(), false);
                    worker.shutdownNow();
                    worker = newWorker();
                } catch (ExecutionException e) {
                    raw = result(c.name(), implementationName, Outcome.ERROR, "runner failure: " + e.getCause(), List.of(), false);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                double secs = (System.nanoTime() - start) / 1e9;
                results.add(expectedFailures.apply(raw.withSeconds(secs)));
                done++;
                if (progress != null) {
                    progress.step(done, c.name());
                }
            }
        } finally {
            worker.shutdownNow();
        }
        return results;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rnnkit-case-runner");
            t.setDaemon(true);
            return t;
        });
    }

    /** The adapter's name(), or its class name when name() itself fails. */
    static String implementationName(RnnImplementation impl) {
        try {
            String n = impl.name();
            return n == null ? impl.getClass().getName() : n;
        } catch (Throwable e) {
            return impl.getClass().getName();
        }
    }

    private CaseResult loadAndRun(String implementationName, PlannedCase planned,
                                  Function<ConformanceCase, RnnImplementation> implementationFor) {
        ConformanceCase c;
        try {
            c = planned.loader().get();
        } catch (Throwable e) {
            return result(planned.name(), implementationName, Outcome.ERROR, "cannot load the case: " + describe(e),
                    List.of(), false);
        }
        RnnImplementation impl;
        try {
            impl = implementationFor.apply(c);
        } catch (UnusableResultException | IllegalArgumentException e) {
            return result(c.name(), implementationName, Outcome.ERROR, e.getMessage(), List.of(), false).withTags(c.tags());
        }
        return runOne(implementationName, impl, c).withTags(c.tags());
    }

    /** "message" for the kit's own exceptions, "Type: message" for anything else. */
    static String describe(Throwable e) {
        if ((e instanceof IllegalArgumentException || e instanceof UnusableResultException
                || e instanceof java.io.UncheckedIOException) && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.toString();
    }

    /** The stack trace of an implementation's exception, capped: the JUnit XML error body shows it. */
    static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        String t = w.toString();
        return t.length() <= MAX_TRACE_CHARS ? t : t.substring(0, MAX_TRACE_CHARS) + "\n\t... (" + (t.length() - MAX_TRACE_CHARS)
                + " more characters)";
    }

    /** Longest stack trace kept with a result. */
    static final int MAX_TRACE_CHARS = 8000;

    private static CaseResult result(String caseName, String impl, Outcome o, String reason, List<QuantityError> errs,
                                     boolean gradientsChecked) {
        return new CaseResult(caseName, impl, o, reason, errs, 0, gradientsChecked);
    }

    CaseResult runOne(RnnImplementation impl, ConformanceCase c) {
        return runOne(implementationName(impl), impl, c);
    }

    /** Runs one case; never throws. */
    CaseResult runOne(String name, RnnImplementation impl, ConformanceCase c) {
        List<QuantityError> errors = new ArrayList<>();
        String note = "";
        boolean gradientsChecked = false;
        boolean gradientsSkipped = false;
        List<Tensor> carried = List.of();
        for (int s = 0; s < c.steps().size(); s++) {
            ConformanceCase.Step step = c.steps().get(s);
            LayerCall call = step.call();
            String prefix = c.isStateful() ? "call" + s + "/" : "";
            if (c.isStateful() && s > 0) {
                // After reset_state() Keras starts from zeros of the state shapes (the call's own recorded states).
                call = call.withInitialStates(step.resetBefore() ? zerosLike(step.call().initialStates()) : carried);
            }
            LayerOutputs got;
            RnnImplementation bound = impl;
            try {
                // forward and backward of a call share its weights: an implementation may prepare them once
                bound = impl.forWeights(call.layer(), call.weights(), call.dtype());
                got = bound.forward(call);
            } catch (UnsupportedCaseException e) {
                return result(c.name(), name, Outcome.UNSUPPORTED, e.getMessage(), errors, false);
            } catch (UnusableResultException e) {
                return result(c.name(), name, Outcome.ERROR, e.getMessage(), errors, false);
            } catch (Throwable e) {
                return result(c.name(), name, Outcome.ERROR, "forward threw " + e + " (an implementation error)", errors, false)
                        .withTrace(stackTrace(e));
            }
            String bad = compareOutputs(prefix, c, s, step.expected(), got, errors);
            if (bad != null) {
                return result(c.name(), name, Outcome.ERROR, bad, errors, false);
            }
            carried = got.states();
            if (!checkGradients || step.cotangent() == null) {
                gradientsSkipped = true;
                continue;
            }
            LayerGradients g;
            try {
                g = bound.backward(call, step.cotangent());
            } catch (UnsupportedCaseException e) {
                note = "gradients not checked: " + e.getMessage();
                gradientsSkipped = true;
                continue;
            } catch (UnusableResultException e) {
                return result(c.name(), name, Outcome.ERROR, beforeBackward(errors) + e.getMessage(), errors, false);
            } catch (Throwable e) {
                return result(c.name(), name, Outcome.ERROR, beforeBackward(errors) + "backward threw " + e
                        + " (an implementation error)", errors, false).withTrace(stackTrace(e));
            }
            bad = compareGradients(prefix, c, s, call, step.expectedGradients(), g, errors);
            if (bad != null) {
                return result(c.name(), name, Outcome.ERROR, bad, errors, false);
            }
            gradientsChecked = true;
        }
        boolean complete = gradientsChecked && !gradientsSkipped;
        CaseResult passed = result(c.name(), name, Outcome.PASS, note, errors, complete);
        List<QuantityError> over = passed.overTolerance();
        if (!over.isEmpty()) {
            return passed.withOutcome(Outcome.FAIL, over.get(0).quantity() + " differs beyond tolerance" + tagNote(c)
                    + (over.size() == 1 ? "" : " (and " + (over.size() - 1) + " more quantities)"));
        }
        return passed;
    }

    /** What a FAIL's reason repeats from the case's tags: the golden's TensorFlow-only constants. */
    static String tagNote(ConformanceCase c) {
        List<String> tf = new ArrayList<>();
        for (String t : c.tags().options()) {
            if (t.startsWith(GoldenCases.TF_FLOAT32_CONSTANT + "=")) {
                tf.add(t.substring(GoldenCases.TF_FLOAT32_CONSTANT.length() + 1));
            }
        }
        return tf.isEmpty() ? "" : " (the golden carries TensorFlow's float32 " + String.join(" and ", tf)
                + " constant in a float64 graph: tag " + GoldenCases.TF_FLOAT32_CONSTANT + ")";
    }

    /**
     * The outcome of what was compared before a backward pass failed, so that a report says "forward pass, backward
     * ERROR" (or FAIL) rather than only ERROR: the case stays ERROR, its reason keeps the forward verdict.
     */
    static String beforeBackward(List<QuantityError> compared) {
        for (QuantityError e : compared) {
            if (!e.withinTolerance()) {
                return "forward FAIL (" + e.quantity() + " differs beyond tolerance), backward ERROR: ";
            }
        }
        return "forward pass (" + compared.size() + " quantities within tolerance), backward ERROR: ";
    }

    private static List<Tensor> zerosLike(List<Tensor> states) {
        List<Tensor> z = new ArrayList<>();
        for (Tensor t : states) {
            z.add(Tensor.zeros(t.shape()));
        }
        return z;
    }

    /** Returns an error reason if the output is unusable, else compares and adds to errors. */
    private String compareOutputs(String prefix, ConformanceCase c, int step, LayerOutputs expected, LayerOutputs got, List<QuantityError> errors) {
        if (got == null || got.outputs() == null) {
            return "forward returned no outputs";
        }
        if (got.outputs().size() != expected.outputs().size()) {
            return "forward returned " + got.outputs().size() + " outputs; expected " + expected.outputs().size();
        }
        for (int i = 0; i < expected.outputs().size(); i++) {
            String q = prefix + (expected.outputs().size() == 1 ? "output" : "output[" + i + "]");
            String bad = compareOne(q, QuantityCheck.Kind.OUTPUT, i, c, step, expected.outputs().get(i), got.outputs().get(i), errors);
            if (bad != null) {
                return bad;
            }
        }
        if (!expected.states().isEmpty()) {
            if (got.states() == null || got.states().size() != expected.states().size()) {
                int n = got.states() == null ? 0 : got.states().size();
                String contract = statesRequired(c, step);
                if (n == 0 && contract == null) {
                    return null; // Keras returns no states here, and an implementation need not either
                }
                return "forward returned " + n + " final states; expected " + expected.states().size()
                        + (contract == null ? " (or none: the layer does not return its states)" : " (" + contract + ")");
            }
            for (int i = 0; i < expected.states().size(); i++) {
                String bad = compareOne(prefix + "state[" + i + "]", QuantityCheck.Kind.STATE, i, c, step, expected.states().get(i),
                        got.states().get(i), errors);
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    /**
     * Why final states must be returned for this step, or null when they are optional: Keras returns them only with
     * {@code return_state=True}, and a stateful case carries them into its next call.
     */
    static String statesRequired(ConformanceCase c, int step) {
        if (c.isStateful()) {
            return "a stateful case: each call's final states start its next call";
        }
        LayerSpec l = c.steps().get(step).call().layer();
        if ((l instanceof RnnLayerSpec r && r.returnState()) || (l instanceof BidirectionalSpec b && b.returnState())) {
            return "the layer has return_state=True";
        }
        return null;
    }

    private String compareGradients(String prefix, ConformanceCase c, int step, LayerCall call, LayerGradients expected, LayerGradients got, List<QuantityError> errors) {
        if (got == null) {
            return "backward returned nothing";
        }
        if (expected.inputs() != null) {
            String bad = compareOne(prefix + "grad/inputs", QuantityCheck.Kind.GRAD_INPUTS, 0, c, step, expected.inputs(), got.inputs(), errors);
            if (bad != null) {
                return bad;
            }
        }
        if (got.weights().size() != expected.weights().size()) {
            return "backward returned " + got.weights().size() + " weight gradients; expected " + expected.weights().size();
        }
        List<String> names = call.layer().weightNames();
        for (int i = 0; i < expected.weights().size(); i++) {
            String n = i < names.size() ? names.get(i) : "weight" + i;
            String bad = compareOne(prefix + "grad/" + n, QuantityCheck.Kind.GRAD_WEIGHTS, i, c, step, expected.weights().get(i),
                    got.weights().get(i), errors);
            if (bad != null) {
                return bad;
            }
        }
        if (!expected.initialStates().isEmpty()) {
            if (got.initialStates().size() != expected.initialStates().size()) {
                return "backward returned " + got.initialStates().size() + " initial-state gradients; expected "
                        + expected.initialStates().size();
            }
            for (int i = 0; i < expected.initialStates().size(); i++) {
                String bad = compareOne(prefix + "grad/initial_state[" + i + "]", QuantityCheck.Kind.GRAD_INITIAL_STATES, i, c, step,
                        expected.initialStates().get(i), got.initialStates().get(i), errors);
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    private String compareOne(String q, QuantityCheck.Kind kind, int index, ConformanceCase c, int step, Tensor expected, Tensor got, List<QuantityError> errors) {
        if (got == null) {
            return q + " is missing";
        }
        if (!got.hasShape(expected.shape())) {
            return q + " has shape " + Tensor.shapeString(got.shape()) + "; expected " + Tensor.shapeString(expected.shape());
        }
        int nf = got.firstNonFinite();
        if (nf >= 0 && expected.allFinite()) {
            return q + " has a non-finite value (" + got.data()[nf] + ") at flat index " + nf;
        }
        errors.add(check.compare(q, kind, index, c, step, expected, got));
        return null;
    }
}
