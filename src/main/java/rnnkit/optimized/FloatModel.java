// GENERATED from DoubleModel.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.Activation;
import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.DenseSpec;
import rnnkit.model.DropoutSpec;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MaskingSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * One layer call computed in float32: recurrent layers, Bidirectional, Embedding, Dense, Activation, Dropout,
 * Masking and Sequential stacks of them, forward and (re-running the forward with a tape) backward. Every call
 * builds its own stages and workspaces and reads the weights from an immutable {@link FloatLayerWeights}
 * (prepared for that call, or once for many by a {@link PreparedLayer}), so one instance may serve many threads at
 * once.
 *
 * <p>Masks flow as in Keras: an Embedding with mask_zero makes {@code ids != 0}, an Embedding without it drops
 * the mask, Masking makes its own, recurrent layers pass it on only when they return sequences, Dense, Activation
 * and Dropout pass it through.
 */
final class FloatModel {
    private final Gemm gemm;
    private final ParallelRunner runner;
    private final int rowAlign;

    /** Working arrays kept between calls (one workspace per concurrent call). */
    private final Workspace.Pool workspaces = new Workspace.Pool();

    FloatModel(Gemm gemm, ParallelRunner runner, int rowAlign) {
        this.gemm = gemm;
        this.runner = runner;
        this.rowAlign = rowAlign;
    }

    /** The call's weights prepared for this call only (float32 reads the tensors' own arrays). */
    FloatLayerWeights weightsOf(LayerCall call) {
        return new FloatLayerWeights(call.layer(), call.weights(), gemm, runner, false);
    }

    /** The weights prepared once for many calls: copied, converted and packed now (see {@link PreparedLayer}). */
    FloatLayerWeights prepare(LayerSpec layer, List<Tensor> weights) {
        FloatLayerWeights w = new FloatLayerWeights(layer, weights, gemm, runner, true);
        w.packForward();
        return w;
    }

    LayerOutputs forward(LayerCall call) {
        return forward(CallInputs.of(call), weightsOf(call));
    }

    LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
        return backward(CallInputs.of(call), weightsOf(call), cotangent);
    }

    LayerOutputs forward(CallInputs call, FloatLayerWeights weights) {
        Workspace ws = workspaces.take();
        try {
            Pass pass = new Pass(call, weights, false, ws);
            return pass.outputs;
        } finally {
            workspaces.give(ws);
        }
    }

    /**
     * Inference on input values already in the compute precision, (batch, time, features) row-major, read and not
     * changed: the values of the layer's one output as a new array ((batch, time, units) for sequences, else
     * (batch, units)). The same bits as {@link #forward(CallInputs, FloatLayerWeights)}'s output tensor: only the
     * conversions in and out are left out. {@code call} carries the layer and no inputs tensor; the model must not
     * start with an Embedding (token ids come as a tensor).
     */
    float[] forwardValues(CallInputs call, float[] inputs, int batch, int time, FloatLayerWeights weights) {
        Workspace ws = workspaces.take();
        try {
            Pass pass = new Pass(call, weights, false, ws, inputs, batch, time);
            return pass.outputValues;
        } finally {
            workspaces.give(ws);
        }
    }

    LayerGradients backward(CallInputs call, FloatLayerWeights weights, LayerOutputs cotangent) {
        Workspace ws = workspaces.take();
        ws.setResultsLeaveTheCall(false);
        try {
            Pass pass = new Pass(call, weights, true, ws);
            return pass.backward(cotangent);
        } finally {
            workspaces.give(ws);
        }
    }

    /** Drops the kept working arrays. */
    void releaseWorkspaces() {
        workspaces.clear();
    }

    /** Where the activations flow between stages: values (rows, dim), rows = B·T for sequences, else B. */
    private static final class Flow {
        int batch;
        int time;
        int dim;
        boolean sequence;
        boolean[] mask;

        int rows() {
            return sequence ? batch * time : batch;
        }
    }

    /** One layer of a call, holding what its backward needs. */
    private abstract static class Stage {
        /** Forward: consumes the values described by {@code flow}, updates flow, returns the new values. */
        abstract float[] forward(float[] in, Flow flow);

        /** Backward: gradient wrt the stage output to gradient wrt its input (null for token ids). */
        abstract float[] backward(float[] dOut);

        abstract List<Tensor> weightGradients();
    }

    /** A stage without weights (Activation, Dropout, Masking). */
    private abstract static class WeightlessStage extends Stage {
        @Override
        final List<Tensor> weightGradients() {
            return List.of();
        }
    }

    private final class Pass {
        final CallInputs call;
        final boolean tape;
        final List<Stage> stages = new ArrayList<>();
        /** The call's outputs (forward only; a backward pass keeps just the shapes). */
        LayerOutputs outputs;
        /** The one output's values, a new array, when the inputs came as values ({@link #forwardValues}). */
        float[] outputValues;
        final List<int[]> outputShapes = new ArrayList<>();
        final List<int[]> stateShapes = new ArrayList<>();
        /** Top-level recurrent layer(s) for states and merge_mode=None. */
        RecurrentStage recurrent;
        BidirectionalStage bidirectional;
        int[] outputShape;

        final Workspace ws;

        Pass(CallInputs call, FloatLayerWeights weights, boolean tape, Workspace ws) {
            this(call, weights, tape, ws, null, 0, 0);
        }

        /**
         * @param inputValues null: the inputs are {@code call.inputs()}; else (batch, time, features) values in the
         *     compute precision (the layer then gets no inputs tensor and the outputs stay values)
         */
        Pass(CallInputs call, FloatLayerWeights weights, boolean tape, Workspace ws, float[] inputValues,
             int valuesBatch, int valuesTime) {
            this.call = call;
            this.tape = tape;
            this.ws = ws;
            LayerSpec layer = call.layer();
            Flow flow = new Flow();
            Tensor in = call.inputs();
            if (inputValues != null) {
                flow.batch = valuesBatch;
                flow.sequence = true;
                flow.time = valuesTime;
                flow.dim = inputValues.length / (valuesBatch * valuesTime);
            } else {
                flow.batch = in.dim(0);
                flow.sequence = in.rank() >= 3 || (layer instanceof EmbeddingSpec)
                        || (layer instanceof SequentialSpec s && s.layers().get(0) instanceof EmbeddingSpec);
                flow.time = flow.sequence ? in.dim(1) : 1;
                flow.dim = in.rank() == 3 ? in.dim(2) : (in.rank() == 2 && !flow.sequence ? in.dim(1) : 0);
            }
            flow.mask = maskArray(call.mask());
            List<LayerSpec> layers = layer instanceof SequentialSpec s ? s.layers() : List.of(layer);
            int cellIndex = 0;
            int dropoutLayerIndex = 0;
            float[] values = inputValues != null ? inputValues : FloatPrecision.read(in, runner, ws);
            for (int li = 0; li < layers.size(); li++) {
                LayerSpec l = layers.get(li);
                int nc = LayerCall.recurrentCells(l).size();
                List<CellDropoutMasks> dropout = call.dropoutMasks().isEmpty()
                        ? List.of() : call.dropoutMasks().subList(cellIndex, cellIndex + nc);
                cellIndex += nc;
                Stage stage;
                if (l instanceof RnnLayerSpec r) {
                    recurrent = new RecurrentStage(r, weights.cells(li), dropout, initialStates(0, r.stateCount()), flow,
                            tape, ws);
                    stage = recurrent;
                } else if (l instanceof BidirectionalSpec b) {
                    bidirectional = new BidirectionalStage(b, weights.cells(li), dropout, flow, tape,
                            initialStates(0, b.forward().stateCount()),
                            initialStates(b.forward().stateCount(), b.backward().stateCount()), ws);
                    stage = bidirectional;
                } else if (l instanceof DenseSpec d) {
                    stage = new DenseStage(d, weights.arrays(li));
                } else if (l instanceof ActivationLayerSpec a) {
                    stage = new ActivationStage(a);
                } else if (l instanceof DropoutSpec d) {
                    boolean drop = call.training() && d.drawsMask();
                    stage = new DropoutStage(d, call.training(),
                            drop ? call.dropoutLayerMasks().get(dropoutLayerIndex++) : null);
                } else if (l instanceof MaskingSpec m) {
                    stage = new MaskingStage(m);
                } else if (l instanceof EmbeddingSpec e) {
                    stage = new EmbeddingStage(e, weights.arrays(li), in);
                } else {
                    throw new IllegalArgumentException("layer " + l.describe() + " cannot be nested here");
                }
                stages.add(stage);
                values = stage.forward(values, flow);
            }
            outputShape = flow.sequence ? new int[] {flow.batch, flow.time, flow.dim} : new int[] {flow.batch, flow.dim};
            List<Tensor> outs = new ArrayList<>();
            List<Tensor> states = new ArrayList<>();
            boolean separateHalves = bidirectional != null && layers.size() == 1
                    && bidirectional.spec.mergeMode() == MergeMode.NONE;
            if (separateHalves) {
                outputShapes.add(halfShape(flow, bidirectional.forward.units()));
                outputShapes.add(halfShape(flow, bidirectional.backward.units()));
            } else {
                outputShapes.add(outputShape);
            }
            if (tape) {
                // backward needs only the shapes (to check the cotangent): no output tensors to build
                if (layers.size() == 1 && recurrent != null) {
                    addStateShapes(recurrent.layer.finalStates(), flow.batch);
                } else if (layers.size() == 1 && bidirectional != null) {
                    addStateShapes(bidirectional.forward.finalStates(), flow.batch);
                    addStateShapes(bidirectional.backward.finalStates(), flow.batch);
                }
                return;
            }
            if (inputValues != null) {
                // the caller asked for the values: one output (PreparedLayer rejects merge_mode=None), no states
                outputValues = java.util.Arrays.copyOf(values, flow.rows() * flow.dim);
                return;
            }
            if (separateHalves) {
                outs.add(FloatPrecision.tensor(bidirectional.yForward, runner, outputShapes.get(0)));
                outs.add(FloatPrecision.tensor(bidirectional.yBackward, runner, outputShapes.get(1)));
            } else {
                outs.add(FloatPrecision.tensor(values, runner, outputShape));
            }
            if (layers.size() == 1 && recurrent != null) {
                states.addAll(stateTensors(recurrent.layer.finalStates(), flow.batch));
            } else if (layers.size() == 1 && bidirectional != null) {
                states.addAll(stateTensors(bidirectional.forward.finalStates(), flow.batch));
                states.addAll(stateTensors(bidirectional.backward.finalStates(), flow.batch));
            }
            for (Tensor t : states) {
                stateShapes.add(t.shape());
            }
            outputs = new LayerOutputs(outs, states);
        }

        private void addStateShapes(float[][] finalStates, int batch) {
            for (float[] st : finalStates) {
                stateShapes.add(new int[] {batch, st.length / batch});
            }
        }

        private int[] halfShape(Flow flow, int units) {
            return flow.sequence ? new int[] {flow.batch, flow.time, units} : new int[] {flow.batch, units};
        }

        /** States are (B, U) each; U is the array length over B. */
        private List<Tensor> stateTensors(float[][] states, int batch) {
            List<Tensor> out = new ArrayList<>();
            for (float[] s : states) {
                out.add(FloatPrecision.tensor(s.clone(), batch, s.length / batch));
            }
            return out;
        }

        private float[][] initialStates(int from, int count) {
            if (call.initialStates().isEmpty()) {
                return null;
            }
            float[][] out = new float[count][];
            for (int i = 0; i < count; i++) {
                out[i] = FloatPrecision.read(call.initialStates().get(from + i));
            }
            return out;
        }

        LayerGradients backward(LayerOutputs cot) {
            List<int[]> expected = outputShapes;
            if (cot.outputs().size() != expected.size()) {
                throw new IllegalArgumentException(call.layer().describe() + ": cotangent has " + cot.outputs().size()
                        + " outputs; expected " + expected.size());
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!cot.outputs().get(i).hasShape(expected.get(i))) {
                    throw new IllegalArgumentException(call.layer().describe() + ": cotangent output " + i + " has shape "
                            + Tensor.shapeString(cot.outputs().get(i).shape()) + "; expected "
                            + Tensor.shapeString(expected.get(i)));
                }
            }
            List<int[]> states = stateShapes;
            float[][] dStates = null;
            if (!cot.states().isEmpty()) {
                if (cot.states().size() != states.size()) {
                    throw new IllegalArgumentException(call.layer().describe() + ": cotangent has " + cot.states().size()
                            + " states; expected 0 or " + states.size());
                }
                dStates = new float[states.size()][];
                for (int i = 0; i < states.size(); i++) {
                    if (!cot.states().get(i).hasShape(states.get(i))) {
                        throw new IllegalArgumentException(call.layer().describe() + ": cotangent state " + i
                                + " has shape " + Tensor.shapeString(cot.states().get(i).shape()) + "; expected "
                                + Tensor.shapeString(states.get(i)));
                    }
                    dStates[i] = FloatPrecision.read(cot.states().get(i));
                }
            }
            float[] d;
            if (cot.outputs().size() == 2) {
                bidirectional.dSeparate = FloatPrecision.read(cot.outputs().get(1));
            }
            d = FloatPrecision.read(cot.outputs().get(0), runner, ws);
            if (recurrent != null && stages.size() == 1) {
                recurrent.dFinal = dStates;
            } else if (bidirectional != null && stages.size() == 1) {
                bidirectional.dFinal = dStates;
            }
            for (int i = stages.size() - 1; i >= 0; i--) {
                d = stages.get(i).backward(d);
            }
            List<Tensor> weights = new ArrayList<>();
            for (Stage s : stages) {
                weights.addAll(s.weightGradients());
            }
            Tensor dx = d == null ? null : FloatPrecision.tensor(d, runner, call.inputs().shape());
            List<Tensor> dInit = new ArrayList<>();
            if (!call.initialStates().isEmpty()) {
                if (recurrent != null) {
                    dInit.addAll(stateTensors(recurrent.layer.initialStateGradients(), call.batch()));
                } else {
                    dInit.addAll(stateTensors(bidirectional.forward.initialStateGradients(), call.batch()));
                    dInit.addAll(stateTensors(bidirectional.backward.initialStateGradients(), call.batch()));
                }
            }
            return new LayerGradients(dx, weights, dInit);
        }
    }

    private static boolean[] maskArray(SequenceMask mask) {
        if (mask == null) {
            return null;
        }
        boolean[] out = new boolean[mask.batch() * mask.time()];
        for (int b = 0; b < mask.batch(); b++) {
            for (int t = 0; t < mask.time(); t++) {
                out[b * mask.time() + t] = mask.get(b, t);
            }
        }
        return out;
    }

    private final class RecurrentStage extends Stage {
        final RnnLayerSpec spec;
        final FloatRecurrentLayer layer;
        final float[][] initial;
        float[][] dFinal;

        RecurrentStage(RnnLayerSpec spec, List<FloatCellWeights> w, List<CellDropoutMasks> dropout, float[][] initial,
                       Flow flow, boolean tape, Workspace ws) {
            this.spec = spec;
            this.layer = new FloatRecurrentLayer(spec, w, flow.dim, flow.batch, flow.time, dropout, gemm, runner,
                    rowAlign, tape, ws);
            this.initial = initial;
        }

        @Override
        float[] forward(float[] in, Flow flow) {
            float[] y = layer.forward(in, flow.mask, initial);
            flow.dim = layer.units();
            boolean seq = spec.returnSequences();
            flow.sequence = seq;
            if (!seq) {
                flow.mask = null;
            }
            return y;
        }

        @Override
        float[] backward(float[] dOut) {
            return layer.backward(dOut, dFinal);
        }

        @Override
        List<Tensor> weightGradients() {
            return layer.weightGradients();
        }
    }

    /**
     * Keras Bidirectional: the backward half runs with go_backwards flipped; its returned sequence is flipped back
     * to input order, then merged: concat [y, y_rev], sum y + y_rev, ave (y + y_rev)/2, mul y ∘ y_rev, None both.
     */
    private final class BidirectionalStage extends Stage {
        final BidirectionalSpec spec;
        final FloatRecurrentLayer forward;
        final FloatRecurrentLayer backward;
        final float[][] initialForward;
        final float[][] initialBackward;
        float[] yForward;
        float[] yBackward;
        float[][] dFinal;
        float[] dSeparate;
        int rows;

        BidirectionalStage(BidirectionalSpec spec, List<FloatCellWeights> w, List<CellDropoutMasks> dropout, Flow flow,
                           boolean tape, float[][] initialForward, float[][] initialBackward, Workspace ws) {
            this.spec = spec;
            int cf = spec.forward().cells().size();
            this.forward = new FloatRecurrentLayer(spec.forward(), w.subList(0, cf), flow.dim, flow.batch, flow.time,
                    dropout.isEmpty() ? List.of() : dropout.subList(0, cf), gemm, runner, rowAlign, tape, ws);
            this.backward = new FloatRecurrentLayer(spec.backward(), w.subList(cf, w.size()), flow.dim, flow.batch,
                    flow.time, dropout.isEmpty() ? List.of() : dropout.subList(cf, dropout.size()), gemm, runner,
                    rowAlign, tape, ws);
            this.initialForward = initialForward;
            this.initialBackward = initialBackward;
        }

        @Override
        float[] forward(float[] in, Flow flow) {
            yForward = forward.forward(in, flow.mask, initialForward);
            yBackward = backward.forward(in, flow.mask, initialBackward);
            boolean seq = spec.returnSequences();
            if (seq) {
                yBackward = forward.reverseTime(yBackward, backward.units(), false);
            }
            flow.sequence = seq;
            if (!seq) {
                flow.mask = null;
            }
            rows = flow.rows();
            int uf = forward.units();
            int ub = backward.units();
            float[] out;
            switch (spec.mergeMode()) {
                case CONCAT:
                    out = new float[rows * (uf + ub)];
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(yForward, r * uf, out, r * (uf + ub), uf);
                        System.arraycopy(yBackward, r * ub, out, r * (uf + ub) + uf, ub);
                    }
                    flow.dim = uf + ub;
                    return out;
                case SUM:
                    out = new float[yForward.length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = yForward[i] + yBackward[i];
                    }
                    break;
                case AVE:
                    out = new float[yForward.length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (yForward[i] + yBackward[i]) / 2;
                    }
                    break;
                case MUL:
                    out = new float[yForward.length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = yForward[i] * yBackward[i];
                    }
                    break;
                case NONE:
                    out = yForward;
                    break;
                default:
                    throw new IllegalArgumentException("unknown merge mode " + spec.mergeMode());
            }
            flow.dim = uf;
            return out;
        }

        @Override
        float[] backward(float[] dOut) {
            int uf = forward.units();
            int ub = backward.units();
            float[] dF;
            float[] dB;
            switch (spec.mergeMode()) {
                case CONCAT:
                    dF = new float[rows * uf];
                    dB = new float[rows * ub];
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(dOut, r * (uf + ub), dF, r * uf, uf);
                        System.arraycopy(dOut, r * (uf + ub) + uf, dB, r * ub, ub);
                    }
                    break;
                case SUM:
                    dF = dOut;
                    dB = dOut;
                    break;
                case AVE:
                    dF = new float[dOut.length];
                    for (int i = 0; i < dF.length; i++) {
                        dF[i] = dOut[i] / 2;
                    }
                    dB = dF;
                    break;
                case MUL:
                    dF = new float[dOut.length];
                    dB = new float[dOut.length];
                    for (int i = 0; i < dF.length; i++) {
                        dF[i] = dOut[i] * yBackward[i];
                        dB[i] = dOut[i] * yForward[i];
                    }
                    break;
                case NONE:
                    dF = dOut;
                    dB = dSeparate != null ? dSeparate : new float[yBackward.length];
                    break;
                default:
                    throw new IllegalArgumentException("unknown merge mode " + spec.mergeMode());
            }
            if (spec.returnSequences()) {
                dB = forward.reverseTime(dB, ub, true);
            }
            int nf = forward.stateCount();
            float[][] dFinalF = null;
            float[][] dFinalB = null;
            if (dFinal != null) {
                dFinalF = java.util.Arrays.copyOfRange(dFinal, 0, nf);
                dFinalB = java.util.Arrays.copyOfRange(dFinal, nf, dFinal.length);
            }
            float[] dx = forward.backward(dF, dFinalF);
            float[] dxB = backward.backward(dB, dFinalB);
            for (int i = 0; i < dx.length; i++) {
                dx[i] += dxB[i];
            }
            return dx;
        }

        @Override
        List<Tensor> weightGradients() {
            List<Tensor> out = new ArrayList<>(forward.weightGradients());
            out.addAll(backward.weightGradients());
            return out;
        }
    }

    /** Keras Dense on the last axis: y = act(x·K + b). */
    private final class DenseStage extends Stage {
        final DenseSpec spec;
        final float[] kernel;
        final float[] bias;
        float[] x;
        float[] z;
        float[] y;
        int rows;
        int inDim;
        float[] dKernel;
        float[] dBias;

        DenseStage(DenseSpec spec, float[][] w) {
            this.spec = spec;
            this.kernel = w[0];
            this.bias = spec.useBias() ? w[1] : null;
        }

        @Override
        float[] forward(float[] in, Flow flow) {
            x = in;
            rows = flow.rows();
            inDim = flow.dim;
            int n = spec.units();
            z = new float[rows * n];
            runner.forRange(rows, 1, rowAlign, (r0, r1) -> gemm.sgemm(false, false, r1 - r0, n, inDim,
                    x, r0 * inDim, inDim, kernel, 0, n, false, z, r0 * n, n));
            int width = spec.outputDim(inDim);
            y = new float[rows * width];
            for (int r = 0; r < rows; r++) {
                if (bias != null) {
                    for (int j = 0; j < n; j++) {
                        z[r * n + j] += bias[j];
                    }
                }
                FloatAxisActivations.apply(spec.activation(), z, r * n, y, r * width, n);
            }
            flow.dim = width;
            return y;
        }

        @Override
        float[] backward(float[] dOut) {
            int n = spec.units();
            int width = spec.outputDim(inDim);
            Activation a = spec.activation();
            // dz = J_act(z)^T dy row by row (dy ∘ act'(z) element-wise); dK = x^T · dz; db = Σ_rows dz; dx = dz · K^T
            float[] dz = new float[rows * n];
            for (int r = 0; r < rows; r++) {
                FloatAxisActivations.pullBack(a, z, r * n, y, r * width, dOut, r * width, dz, r * n, n);
            }
            dKernel = new float[inDim * n];
            runner.forRange(inDim, 1, rowAlign, (d0, d1) -> gemm.sgemm(true, false, d1 - d0, n, rows,
                    x, d0, inDim, dz, 0, n, false, dKernel, d0 * n, n));
            if (bias != null) {
                dBias = new float[n];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < n; j++) {
                        dBias[j] += dz[r * n + j];
                    }
                }
            }
            float[] dx = new float[rows * inDim];
            runner.forRange(rows, 1, rowAlign, (r0, r1) -> gemm.sgemm(false, true, r1 - r0, inDim, n,
                    dz, r0 * n, n, kernel, 0, n, false, dx, r0 * inDim, inDim));
            return dx;
        }

        @Override
        List<Tensor> weightGradients() {
            List<Tensor> out = new ArrayList<>();
            out.add(FloatPrecision.tensor(dKernel, inDim, spec.units()));
            if (bias != null) {
                out.add(FloatPrecision.tensor(dBias, spec.units()));
            }
            return out;
        }
    }

    /** Keras Activation layer: y = f(x) on each row of the last axis. */
    private static final class ActivationStage extends WeightlessStage {
        final ActivationLayerSpec spec;
        float[] x;
        float[] y;
        int rows;
        int inDim;

        ActivationStage(ActivationLayerSpec spec) {
            this.spec = spec;
        }

        @Override
        float[] forward(float[] in, Flow flow) {
            x = in;
            rows = flow.rows();
            inDim = flow.dim;
            int width = spec.outputDim(inDim);
            y = new float[rows * width];
            for (int r = 0; r < rows; r++) {
                FloatAxisActivations.apply(spec.activation(), x, r * inDim, y, r * width, inDim);
            }
            flow.dim = width;
            return y;
        }

        @Override
        float[] backward(float[] dOut) {
            int width = spec.outputDim(inDim);
            float[] dx = new float[rows * inDim];
            for (int r = 0; r < rows; r++) {
                FloatAxisActivations.pullBack(spec.activation(), x, r * inDim, y, r * width, dOut, r * width, dx,
                        r * inDim, inDim);
            }
            return dx;
        }

    }

    /**
     * Keras Dropout layer: identity at inference; in training y = x·m with the call's mask (noise-shape axes of size 1
     * broadcast), zeros for rate 1.
     */
    private static final class DropoutStage extends WeightlessStage {
        final DropoutSpec spec;
        final boolean training;
        final Tensor mask;
        /** Per input element: the mask value it is multiplied by (null: identity). */
        float[] factor;

        DropoutStage(DropoutSpec spec, boolean training, Tensor mask) {
            this.spec = spec;
            this.training = training;
            this.mask = mask;
        }

        @Override
        float[] forward(float[] in, Flow flow) {
            if (!training || spec.rate() == 0) {
                return in.clone(); // never a view of the caller's tensor
            }
            factor = new float[in.length];
            if (mask != null) {
                int[] shape = flow.sequence ? new int[] {flow.batch, flow.time, flow.dim} : new int[] {flow.batch, flow.dim};
                int[] m = spec.maskShape(shape);
                float[] values = FloatPrecision.read(mask);
                // strides of the mask, 0 along broadcast axes
                int[] stride = new int[shape.length];
                int s = 1;
                for (int a = shape.length - 1; a >= 0; a--) {
                    stride[a] = m[a] == 1 ? 0 : s;
                    s *= m[a];
                }
                for (int i = 0; i < in.length; i++) {
                    int rest = i;
                    int at = 0;
                    for (int a = shape.length - 1; a >= 0; a--) {
                        at += (rest % shape[a]) * stride[a];
                        rest /= shape[a];
                    }
                    factor[i] = values[at];
                }
            }
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[i] * factor[i];
            }
            return out;
        }

        @Override
        float[] backward(float[] dOut) {
            if (factor == null) {
                return dOut.clone();
            }
            float[] dx = new float[dOut.length];
            for (int i = 0; i < dx.length; i++) {
                dx[i] = dOut[i] * factor[i];
            }
            return dx;
        }

    }

    /** Keras Masking: a step is masked when all its features equal mask_value; y = mask ? x : 0; the mask flows on. */
    private static final class MaskingStage extends WeightlessStage {
        final MaskingSpec spec;
        boolean[] keep;
        int dim;

        MaskingStage(MaskingSpec spec) {
            this.spec = spec;
        }

        @Override
        float[] forward(float[] in, Flow flow) {
            dim = flow.dim;
            int steps = flow.batch * flow.time;
            float maskValue = (float) spec.maskValue();
            keep = new boolean[steps];
            float[] out = new float[in.length];
            for (int r = 0; r < steps; r++) {
                for (int f = 0; f < dim; f++) {
                    keep[r] |= in[r * dim + f] != maskValue;
                }
                if (keep[r]) {
                    System.arraycopy(in, r * dim, out, r * dim, dim);
                }
            }
            flow.mask = keep;
            return out;
        }

        @Override
        float[] backward(float[] dOut) {
            float[] dx = new float[dOut.length];
            for (int r = 0; r < keep.length; r++) {
                if (keep[r]) {
                    System.arraycopy(dOut, r * dim, dx, r * dim, dim);
                }
            }
            return dx;
        }

    }

    /** Keras Embedding: row ids[b, t] of the table; mask_zero makes the mask ids != 0. */
    private static final class EmbeddingStage extends Stage {
        final EmbeddingSpec spec;
        final float[] table;
        /** Token ids read from the call's Tensor (exact integers, never rounded to the kernel precision). */
        final int[] ids;
        float[] dTable;

        EmbeddingStage(EmbeddingSpec spec, float[][] w, Tensor tokenIds) {
            this.spec = spec;
            this.table = w[0];
            var d = tokenIds.data(); // the Tensor's own array (not converted to the kernel precision)
            this.ids = new int[d.length];
            for (int i = 0; i < d.length; i++) {
                ids[i] = (int) d[i];
            }
        }

        @Override
        float[] forward(float[] ignoredIds, Flow flow) {
            int e = spec.outputDim();
            float[] out = new float[ids.length * e];
            for (int i = 0; i < ids.length; i++) {
                System.arraycopy(table, ids[i] * e, out, i * e, e);
            }
            flow.dim = e;
            flow.sequence = true;
            if (spec.maskZero()) {
                flow.mask = new boolean[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    flow.mask[i] = ids[i] != 0;
                }
            } else {
                flow.mask = null;
            }
            return out;
        }

        @Override
        float[] backward(float[] dOut) {
            int e = spec.outputDim();
            // d table[id] = Σ over the positions holding id, in position order
            dTable = new float[table.length];
            for (int i = 0; i < ids.length; i++) {
                int row = ids[i] * e;
                for (int j = 0; j < e; j++) {
                    dTable[row + j] += dOut[i * e + j];
                }
            }
            return null;
        }

        @Override
        List<Tensor> weightGradients() {
            return List.of(FloatPrecision.tensor(dTable, spec.vocabularySize(), spec.outputDim()));
        }
    }
}
