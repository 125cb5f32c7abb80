package rnnkit.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import rnnkit.model.Activation;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.CellVariant;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * Seeded randomized conformance cases: random cells and options (activations, bias, directions, masks with holes
 * and right-padded masks, initial states, Bidirectional merges, stacked cells, dropout masks), small shapes, with
 * expected values and gradients from an oracle implementation (the reference). The same seed always gives the same
 * cases, named {@code random/<seed>/<index>_<layer>[_backwards][_seq]_t<steps>[_padded]_<dtype>} ({@code _padded}:
 * the mask has at least one masked step), so expected-failure lists can name the kinds of random case they expect
 * to fail.
 *
 * <p>Case {@code i} of seed {@code s} draws from its own {@link SplittableRandom} seeded with a 64-bit mix of
 * {@code s} and {@code i}, so neighbouring seeds and indices give unrelated cases. A draw whose expected values or
 * gradients are not finite or exceed {@link #MAX_MAGNITUDE} in magnitude (where float32 arithmetic is near overflow
 * and checks nothing) is redrawn from the same stream. State cotangents are drawn only for layers that return their
 * states, as Keras puts returned states alone in the loss.
 */
public final class RandomCases {
    /** Largest |value| of an expected output, state or gradient; a draw beyond it is redrawn. */
    public static final double MAX_MAGNITUDE = 1e10;
    /** Most random cases one run takes (each case is generated when it runs, results are kept for the report). */
    public static final int MAX_COUNT = 10_000;

    private RandomCases() {
    }

    public static List<ConformanceCase> generate(long seed, int count, DType dtype, RnnImplementation oracle) {
        List<ConformanceCase> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(one(seed, i, dtype, oracle));
        }
        return out;
    }

    /** Case {@code index} of {@code seed}; the same arguments always give the same case. */
    public static ConformanceCase one(long seed, int index, DType dtype, RnnImplementation oracle) {
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        for (int attempt = 0; ; attempt++) {
            LayerCall call = randomCall(r, dtype);
            LayerOutputs expected = oracle.forward(call);
            LayerOutputs cot = randomLike(r, expected, returnsStates(call.layer()));
            LayerGradients grads = oracle.backward(call, cot);
            if (withinRange(expected, grads)) {
                String name = "random/" + seed + "/" + String.format("%03d", index) + "_" + describe(call.layer())
                        + "_t" + call.time() + (call.mask() != null && !call.mask().isAllTrue() ? "_padded" : "")
                        + "_" + dtype.kerasName();
                return new ConformanceCase(name, "random", List.of(new ConformanceCase.Step(call, expected, false, cot, grads)));
            }
            if (attempt == 100) {
                throw new IllegalStateException("random case " + index + " of seed " + seed
                        + ": 100 draws in a row overflowed (or exceeded " + MAX_MAGNITUDE + ") in " + oracle.name());
            }
        }
    }

    /**
     * The random cases of a run that the selection accepts, each generated when it runs (so memory does not grow
     * with the count). Names are known only after a case is drawn, so every case is drawn once here to learn its
     * name (oracle forward and backward included, whatever the selection) and drawn again when it runs.
     */
    public static List<PlannedCase> plan(long seed, int count, DType dtype, RnnImplementation oracle, CaseSelection selection) {
        return plan(seed, count, dtype, oracle, selection, null);
    }

    /**
     * {@link #plan(long, int, DType, RnnImplementation, CaseSelection)}, reporting each case drawn to {@code progress}
     * (each draw runs the oracle's forward and backward, so thousands of draws take a while), or to nothing if it is null.
     */
    public static List<PlannedCase> plan(long seed, int count, DType dtype, RnnImplementation oracle, CaseSelection selection,
                                         ProgressBar progress) {
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("--random is " + count + "; expected 0 to " + MAX_COUNT
                    + " cases per run (run several seeds for more)");
        }
        List<PlannedCase> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            String name = one(seed, index, dtype, oracle).name();
            if (selection.accepts(name)) {
                out.add(new PlannedCase(name, () -> one(seed, index, dtype, oracle)));
            }
            if (progress != null) {
                progress.step(i + 1, name);
            }
        }
        return out;
    }

    /** A 64-bit mix of seed and index (the SplitMix64 finalizer applied twice), so nearby inputs give unrelated seeds. */
    static long mix(long seed, long index) {
        return fmix(fmix(seed) + 0x9E3779B97F4A7C15L * (index + 1));
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static boolean returnsStates(LayerSpec l) {
        return (l instanceof RnnLayerSpec r && r.returnState()) || (l instanceof BidirectionalSpec b && b.returnState());
    }

    private static boolean withinRange(LayerOutputs o, LayerGradients g) {
        List<Tensor> all = new ArrayList<>(o.tensors());
        all.addAll(g.tensors());
        for (Tensor t : all) {
            for (double v : t.data()) {
                if (!(Math.abs(v) <= MAX_MAGNITUDE)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String describe(LayerSpec l) {
        if (l instanceof BidirectionalSpec b) {
            return "bidirectional_" + b.mergeMode().kerasName().toLowerCase() + "_" + describe(b.forward());
        }
        RnnLayerSpec r = (RnnLayerSpec) l;
        StringBuilder sb = new StringBuilder();
        for (CellSpec c : r.cells()) {
            sb.append(sb.length() == 0 ? "" : "+").append(CellVariant.of(c).label());
        }
        if (r.goBackwards()) {
            sb.append("_backwards");
        }
        if (r.returnSequences()) {
            sb.append("_seq");
        }
        return sb.toString();
    }

    static CellSpec randomCell(RandomGenerator r, boolean dropout) {
        CellType type = CellType.values()[r.nextInt(3)];
        int units = 1 + r.nextInt(6);
        CellSpec c = switch (type) {
            case SIMPLE_RNN -> CellSpec.simpleRnn(units);
            case LSTM -> CellSpec.lstm(units);
            case GRU -> CellSpec.gru(units).withResetAfter(r.nextBoolean());
        };
        List<Activation> acts = Activation.seededDrawSpace();
        if (r.nextInt(3) == 0) {
            Activation a = acts.get(r.nextInt(acts.size()));
            // exponential and relu-family activations can blow up over a few steps; keep them, the inputs are small
            c = c.withActivation(a);
        }
        if (r.nextInt(3) == 0) {
            c = c.withRecurrentActivation(r.nextBoolean() ? Activation.HARD_SIGMOID : acts.get(r.nextInt(acts.size())));
        }
        if (r.nextInt(5) == 0) {
            c = c.withUseBias(false);
        }
        if (dropout) {
            c = c.withDropout(0.25, r.nextBoolean() ? 0.5 : 0);
        }
        return c;
    }

    static Tensor random(RandomGenerator r, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = scale * (2 * r.nextDouble() - 1);
        }
        return t;
    }

    private static LayerOutputs randomLike(RandomGenerator r, LayerOutputs o, boolean withStates) {
        List<Tensor> outs = new ArrayList<>();
        for (Tensor t : o.outputs()) {
            outs.add(random(r, 1, t.shape()));
        }
        List<Tensor> states = new ArrayList<>();
        for (Tensor t : withStates ? o.states() : List.<Tensor>of()) {
            states.add(random(r, 1, t.shape()));
        }
        return new LayerOutputs(outs, states);
    }

    static LayerCall randomCall(RandomGenerator r, DType dtype) {
        int batch = 1 + r.nextInt(4);
        int time = 1 + r.nextInt(6);
        int inputDim = 1 + r.nextInt(5);
        boolean dropout = r.nextInt(6) == 0;
        int kind = r.nextInt(6); // 0..3 single layer, 4 stacked cells, 5 bidirectional
        RnnLayerSpec layer;
        if (kind == 4) {
            layer = new RnnLayerSpec(List.of(randomCell(r, dropout), randomCell(r, dropout)), false, false, false, false, false);
        } else {
            layer = RnnLayerSpec.of(randomCell(r, dropout));
        }
        layer = layer.withReturnSequences(r.nextBoolean()).withReturnState(r.nextBoolean()).withGoBackwards(r.nextInt(3) == 0);
        LayerSpec spec = layer;
        if (kind == 5) {
            spec = BidirectionalSpec.of(layer.withGoBackwards(false), MergeMode.values()[r.nextInt(MergeMode.values().length)]);
        }
        List<Tensor> weights = new ArrayList<>();
        for (int[] s : spec.weightShapes(inputDim)) {
            weights.add(random(r, 0.6, s));
        }
        Tensor x = random(r, 1.5, batch, time, inputDim);
        SequenceMask mask = null;
        int maskKind = r.nextInt(3); // 0 none, 1 right-padded (each row a real prefix), 2 random holes
        if (maskKind != 0) {
            boolean[][] m = new boolean[batch][time];
            for (int b = 0; b < batch; b++) {
                // row 0 is always shorter than the sequence (right padding) or has a hole, when time allows it
                int length = b == 0 && time > 1 ? 1 + r.nextInt(time - 1) : 1 + r.nextInt(time);
                for (int t = 0; t < time; t++) {
                    m[b][t] = maskKind == 1 ? t < length : r.nextInt(4) != 0;
                }
            }
            if (maskKind == 2 && time > 1) {
                m[0][0] = false;
                m[0][time - 1] = true;
            }
            mask = SequenceMask.of(m);
        }
        List<Tensor> init = new ArrayList<>();
        if (r.nextBoolean()) {
            for (int[] s : LayerCall.stateShapes(spec, batch)) {
                init.add(random(r, 0.8, s));
            }
        }
        List<CellDropoutMasks> drop = new ArrayList<>();
        if (dropout) {
            for (CellSpec c : LayerCall.recurrentCells(spec)) {
                drop.add(dropoutMasks(r, c, batch, spec, drop.size(), inputDim));
            }
        }
        return new LayerCall(spec, weights, x, mask, init, drop, dropout, dtype);
    }

    /** Masks for recurrent cell {@code index} of the layer (Bidirectional: forward cells, then backward cells). */
    private static CellDropoutMasks dropoutMasks(RandomGenerator r, CellSpec c, int batch, LayerSpec spec, int index, int inputDim) {
        RnnLayerSpec layer = spec instanceof BidirectionalSpec b ? b.forward() : (RnnLayerSpec) spec;
        int cellInput = layer.cellInputDim(index % layer.cells().size(), inputDim);
        int n = c.dropoutMaskCount();
        List<Tensor> in = new ArrayList<>();
        List<Tensor> rec = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            in.add(keepMask(r, c.dropout(), batch, cellInput));
            if (c.recurrentDropout() > 0) {
                rec.add(keepMask(r, c.recurrentDropout(), batch, c.units()));
            }
        }
        return new CellDropoutMasks(in, rec);
    }

    /** Inverted-dropout mask: 0 with probability rate, else 1/(1-rate), as Keras draws it. */
    private static Tensor keepMask(RandomGenerator r, double rate, int rows, int cols) {
        Tensor t = Tensor.zeros(rows, cols);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = r.nextDouble() < rate ? 0 : 1 / (1 - rate);
        }
        return t;
    }
}
