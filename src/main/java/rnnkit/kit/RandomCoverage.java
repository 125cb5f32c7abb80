package rnnkit.kit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.LayerCall;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;

/**
 * What a run's random cases covered — cell kinds, layer forms, options, mask kinds, activations and shape ranges —
 * counted as the cases are loaded, for the report ("which part of the option space did these N cases reach").
 */
public final class RandomCoverage {
    /** Mask kinds: none (or all true), right-padded (each row a real prefix), holes (a masked step before a real one). */
    public enum MaskKind { NONE, RIGHT_PADDED, HOLES }

    private int cases;
    private final Map<String, Integer> cells = new TreeMap<>();
    private final Map<String, Integer> layers = new TreeMap<>();
    private final Map<String, Integer> options = new TreeMap<>();
    private final Map<MaskKind, Integer> masks = new TreeMap<>();
    private final Map<String, Integer> activations = new TreeMap<>();
    private final Map<String, int[]> ranges = new LinkedHashMap<>();

    /** Counts one case (thread-safe: cases are loaded on the runner's worker thread). */
    public synchronized void add(ConformanceCase c) {
        cases++;
        LayerCall call = c.steps().get(0).call();
        RnnLayerSpec layer;
        if (call.layer() instanceof BidirectionalSpec b) {
            layer = b.forward();
            bump(layers, "Bidirectional merge_mode=" + b.mergeMode().kerasName());
        } else if (call.layer() instanceof RnnLayerSpec r) {
            layer = r;
            bump(layers, r.isStackedCells() ? "stacked cells" : "single layer");
        } else {
            bump(layers, call.layer().kerasClassName());
            return;
        }
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        for (CellSpec cell : layer.cells()) {
            kinds.add(cell.type() == CellType.GRU ? "GRU(reset_after=" + (cell.resetAfter() ? "True" : "False") + ")"
                    : cell.type().kerasName());
            activations.merge(cell.activation().kerasName(), 1, Integer::sum);
            if (cell.type() != CellType.SIMPLE_RNN) {
                activations.merge("recurrent " + cell.recurrentActivation().kerasName(), 1, Integer::sum);
            }
            if (!cell.useBias()) {
                bump(options, "use_bias=False");
            }
            range("units", cell.units());
        }
        kinds.forEach(k -> bump(cells, k));
        if (layer.returnSequences()) {
            bump(options, "return_sequences");
        }
        if (layer.returnState()) {
            bump(options, "return_state");
        }
        if (layer.goBackwards()) {
            bump(options, "go_backwards");
        }
        if (!call.initialStates().isEmpty()) {
            bump(options, "initial states");
        }
        if (call.training()) {
            bump(options, "dropout (training)");
        }
        masks.merge(maskKind(call.mask()), 1, Integer::sum);
        range("batch", call.batch());
        range("time steps", call.time());
        range("features", call.inputs().dim(2));
    }

    public static MaskKind maskKind(SequenceMask m) {
        if (m == null) {
            return MaskKind.NONE;
        }
        boolean masked = false;
        for (int b = 0; b < m.batch(); b++) {
            boolean seenMasked = false;
            for (int t = 0; t < m.time(); t++) {
                if (!m.get(b, t)) {
                    seenMasked = true;
                    masked = true;
                } else if (seenMasked) {
                    return MaskKind.HOLES;
                }
            }
        }
        return masked ? MaskKind.RIGHT_PADDED : MaskKind.NONE;
    }

    public synchronized int cases() {
        return cases;
    }

    /** The report's coverage table: aspect to counts (empty when no case was added). */
    public synchronized Map<String, String> toMap() {
        Map<String, String> out = new LinkedHashMap<>();
        if (cases == 0) {
            return out;
        }
        out.put("random cases", String.valueOf(cases));
        out.put("cell kinds (cases with the kind)", join(cells));
        out.put("layer forms", join(layers));
        out.put("options", join(options));
        Map<String, Integer> m = new LinkedHashMap<>();
        masks.forEach((k, v) -> m.put(k.name().toLowerCase().replace('_', '-'), v));
        out.put("masks", join(m));
        out.put("activations (cells)", join(activations));
        List<String> shapes = new java.util.ArrayList<>();
        ranges.forEach((k, r) -> shapes.add(k + " " + r[0] + (r[0] == r[1] ? "" : "–" + r[1])));
        out.put("shape ranges", String.join(", ", shapes));
        return out;
    }

    private static void bump(Map<String, Integer> m, String k) {
        m.merge(k, 1, Integer::sum);
    }

    private void range(String k, int v) {
        int[] r = ranges.computeIfAbsent(k, x -> new int[] {v, v});
        r[0] = Math.min(r[0], v);
        r[1] = Math.max(r[1], v);
    }

    private static String join(Map<String, Integer> m) {
        List<String> parts = new java.util.ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " " + v));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
