package rnnkit.peers.dl4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationMish;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import rnnkit.model.Activation;
import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.DropoutSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.LayerSpec;
import rnnkit.model.MaskingSpec;
import rnnkit.model.MergeMode;
import rnnkit.model.RnnImplementation;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;
import rnnkit.model.UnsupportedCaseException;

/**
 * Deeplearning4j's own recurrent layers ({@code LSTM}, {@code SimpleRnn}, wrapped in {@code Bidirectional} and
 * {@code LastTimeStep}) run through its {@code MultiLayerNetwork}, with Keras weights converted to DL4J's layout:
 * <ul>
 * <li>data {@code [batch, features, time]} (DL4J's default {@code RNNFormat.NCW}); Keras is {@code [batch, time,
 * features]};</li>
 * <li>LSTM parameters {@code W (nIn, 4u)}, {@code RW (u, 4u)}, {@code b (1, 4u)} with the gate blocks in DL4J's
 * order: cell input, forget, output, input (Keras: input, forget, cell, output);</li>
 * <li>SimpleRnn {@code W (nIn, u)}, {@code RW (u, u)}, {@code b (1, u)} as Keras;</li>
 * <li>masks as DL4J feature mask arrays {@code [batch, time]} (1 = real step);</li>
 * <li>initial states through {@code rnnSetPreviousState} and {@code rnnTimeStep}, final states from
 * {@code rnnGetPreviousState} (keys {@code prevAct}, {@code prevMem});</li>
 * <li>a Keras {@code Sequential} of {@code [Masking,] recurrent layer [, Dense | Activation | Dropout ...]} as one
 * network: Keras's {@code Masking(mask_value)} as DL4J's own {@code MaskZeroLayer(layer, maskValue)} around the
 * recurrent layer (it masks the steps whose features all equal the value), {@code Dense} as {@code DenseLayer}
 * ({@code W (nIn, units)}, {@code b (1, units)} as Keras), {@code Activation} as {@code ActivationLayer}, an
 * inference {@code Dropout} as nothing (the identity).</li>
 * </ul>
 * Gradients come from {@code MultiLayerNetwork.backpropGradient} with the cotangent as the output error; DL4J
 * computes none with respect to initial states or from a final-state cotangent, so cases with initial or returned
 * states are checked forward only. What DL4J cannot express (GRU, go_backwards, stacked cells, models of other
 * shapes, dropout masks, activations it lacks) is reported unsupported with the reason.
 */
public final class Dl4jRnn implements RnnImplementation {

    /** DL4J gate block k of an LSTM comes from Keras block KERAS_BLOCK_OF_DL4J[k] (Keras i,f,c,o; DL4J c,f,o,i). */
    static final int[] KERAS_BLOCK_OF_DL4J = {2, 1, 3, 0};

    public Dl4jRnn() {
    }

    @Override
    public String name() {
        return "dl4j";
    }

    /**
     * The single-cell recurrent layer of the call and whether it is bidirectional; for a Sequential model also the
     * Masking value before it (null: no Masking layer), the layers after it and the index of its first weight.
     */
    private record Shape(RnnLayerSpec layer, BidirectionalSpec bidirectional, Double maskValue, List<LayerSpec> head,
                         int weightOffset) {
        CellSpec cell() {
            return layer.cell();
        }

        boolean returnSequences() {
            return layer.returnSequences();
        }

        boolean returnState() {
            return layer.returnState();
        }
    }

    private static Shape shapeOf(LayerCall call) {
        if (call.training()) {
            throw new UnsupportedCaseException("DL4J draws its own dropout masks; Keras's masks cannot be given to it");
        }
        LayerSpec spec = call.layer();
        Double maskValue = null;
        List<LayerSpec> head = List.of();
        int weightOffset = 0;
        if (spec instanceof SequentialSpec seq) {
            List<LayerSpec> layers = seq.layers();
            int i = 0;
            if (layers.get(0) instanceof MaskingSpec m) {
                maskValue = m.maskValue();
                i = 1;
            }
            LayerSpec first = layers.get(Math.min(i, layers.size() - 1));
            if (i >= layers.size() || !(first instanceof RnnLayerSpec || first instanceof BidirectionalSpec)) {
                throw new UnsupportedCaseException("the DL4J adapter runs Sequential models of [Masking,] one "
                        + "recurrent layer [, Dense/Activation/Dropout layers]; this one has " + first.describe()
                        + " as layer "
                        + Math.min(i, layers.size() - 1));
            }
            spec = layers.get(i);
            weightOffset = seq.weightOffset(i);
            head = layers.subList(i + 1, layers.size());
            for (LayerSpec h : head) {
                if (h instanceof DenseSpec d) {
                    headActivation(d.activation());
                } else if (h instanceof ActivationLayerSpec a) {
                    headActivation(a.activation());
                } else if (!(h instanceof DropoutSpec)) {
                    throw new UnsupportedCaseException("the DL4J adapter runs one recurrent layer per Sequential "
                            + "model, followed only by Dense, Activation and Dropout layers; this one has "
                            + h.describe() + " after " + spec.describe());
                }
            }
        }
        Shape s;
        if (spec instanceof RnnLayerSpec r) {
            s = new Shape(r, null, maskValue, head, weightOffset);
        } else if (spec instanceof BidirectionalSpec b) {
            s = new Shape(b.forward(), b, maskValue, head, weightOffset);
        } else {
            throw new UnsupportedCaseException("the DL4J adapter runs single recurrent layers, Bidirectional and "
                    + "Sequential models around one of them, not " + spec.kerasClassName());
        }
        if (!head.stream().allMatch(h -> h instanceof DropoutSpec) && s.returnSequences()) {
            throw new UnsupportedCaseException("Dense/Activation layers on the sequence output of " + spec.describe()
                    + " (the DL4J adapter puts them after a last output only)");
        }
        if (s.layer.isStackedCells()) {
            throw new UnsupportedCaseException("DL4J has no stacked-cells layer (Keras RNN([cell, cell]))");
        }
        CellSpec cell = s.cell();
        if (cell.type() == CellType.GRU) {
            throw new UnsupportedCaseException("DL4J has no GRU layer");
        }
        if (s.layer.goBackwards()) {
            throw new UnsupportedCaseException("DL4J's LSTM and SimpleRnn have no go_backwards option");
        }
        activation(cell.activation());
        if (cell.type() == CellType.LSTM) {
            activation(cell.recurrentActivation());
        }
        return s;
    }

    /** The DL4J activation for a Keras one; Keras 3 leaky_relu has negative_slope 0.2 (DL4J's default is 0.01). */
    static IActivation activation(Activation a) {
        return switch (a) {
            case TANH -> new ActivationTanH();
            case SIGMOID -> new ActivationSigmoid();
            case HARD_SIGMOID -> new ActivationHardSigmoid();
            case RELU -> new ActivationReLU();
            case LINEAR -> new ActivationIdentity();
            case ELU -> new ActivationELU();
            case SELU -> new ActivationSELU();
            case SOFTPLUS -> new ActivationSoftPlus();
            case SOFTSIGN -> new ActivationSoftSign();
            case RELU6 -> new ActivationReLU6();
            case SILU -> new ActivationSwish();
            case GELU -> new ActivationGELU();
            case LEAKY_RELU -> new ActivationLReLU(0.2);
            case MISH -> new ActivationMish();
            case HARD_TANH -> new ActivationHardTanH();
            default -> throw new UnsupportedCaseException("DL4J has no " + a.kerasName() + " activation");
        };
    }

    /** A Dense or Activation layer's activation: the cell activations, and softmax on the feature axis. */
    static IActivation headActivation(Activation a) {
        return a == Activation.SOFTMAX ? new ActivationSoftmax() : activation(a);
    }

    private static BaseRecurrentLayer recurrentLayer(CellSpec cell, int inputDim) {
        if (cell.type() == CellType.LSTM) {
            return new LSTM.Builder().nIn(inputDim).nOut(cell.units()).activation(activation(cell.activation()))
                    .gateActivationFunction(activation(cell.recurrentActivation())).dataFormat(RNNFormat.NCW).build();
        }
        return new SimpleRnn.Builder().nIn(inputDim).nOut(cell.units()).activation(activation(cell.activation()))
                .dataFormat(RNNFormat.NCW).build();
    }

    private static Bidirectional.Mode mode(MergeMode m) {
        return switch (m) {
            case CONCAT, NONE -> Bidirectional.Mode.CONCAT; // None: both halves, split again from the concatenation
            case SUM -> Bidirectional.Mode.ADD;
            case MUL -> Bidirectional.Mode.MUL;
            case AVE -> Bidirectional.Mode.AVERAGE;
        };
    }

    /**
     * The network for the call: the recurrent layer, Bidirectional around it, MaskZeroLayer around that (a Masking
     * layer before it), LastTimeStep around that; then the Dense and Activation layers after it (an inference
     * Dropout is the identity and adds no layer).
     */
    private static MultiLayerNetwork network(Shape s, int inputDim, DType dtype, boolean lastStepWrapper) {
        org.deeplearning4j.nn.conf.layers.Layer layer = recurrentLayer(s.cell(), inputDim);
        if (s.bidirectional != null) {
            layer = new Bidirectional(mode(s.bidirectional.mergeMode()), layer);
        }
        if (s.maskValue != null) {
            layer = new MaskZeroLayer(layer, s.maskValue);
        }
        if (lastStepWrapper && !s.returnSequences()) {
            layer = new LastTimeStep(layer);
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(dtype == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE)
                .weightInit(WeightInit.ZERO).updater(new NoOp()).list().layer(layer);
        int width = s.bidirectional != null && s.bidirectional.mergeMode() == MergeMode.CONCAT
                ? 2 * s.cell().units() : s.cell().units();
        for (LayerSpec h : s.head) {
            if (h instanceof DenseSpec d) {
                list.layer(new DenseLayer.Builder().nIn(width).nOut(d.units()).hasBias(d.useBias())
                        .activation(headActivation(d.activation())).build());
                width = d.units();
            } else if (h instanceof ActivationLayerSpec a) {
                list.layer(new ActivationLayer.Builder().activation(headActivation(a.activation())).build());
            }
        }
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    // --- layout conversion -------------------------------------------------------------------------------------

    /** Keras (batch, time, features) -> DL4J [batch, features, time]. */
    static INDArray toNcw(Tensor x, DataType dt) {
        int b = x.dim(0), t = x.dim(1), f = x.dim(2);
        double[] d = new double[b * f * t];
        double[] src = x.data();
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) {
                for (int k = 0; k < f; k++) {
                    d[(i * f + k) * t + s] = src[(i * t + s) * f + k];
                }
            }
        }
        return Nd4j.create(d, new long[] {b, f, t}, DataType.DOUBLE).castTo(dt);
    }

    /** DL4J [batch, features, time] -> Keras (batch, time, features). */
    static Tensor fromNcw(INDArray a) {
        int b = (int) a.size(0), f = (int) a.size(1), t = (int) a.size(2);
        double[] src = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] d = new double[b * t * f];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) {
                for (int k = 0; k < f; k++) {
                    d[(i * t + s) * f + k] = src[(i * f + k) * t + s];
                }
            }
        }
        return Tensor.of(d, b, t, f);
    }

    static Tensor fromMatrix(INDArray a) {
        return Tensor.of(a.castTo(DataType.DOUBLE).dup('c').data().asDouble(), (int) a.size(0), (int) a.size(1));
    }

    static INDArray matrix(Tensor t, DataType dt) {
        return Nd4j.create(t.data(), new long[] {t.dim(0), t.dim(1)}, DataType.DOUBLE).castTo(dt);
    }

    /** Keras (rows, k*u) with gate blocks in Keras order -> the same matrix with blocks in DL4J order. */
    static double[][] toDl4jBlocks(Tensor m, CellSpec cell) {
        int rows = m.rank() == 1 ? 1 : m.dim(0);
        int u = cell.units();
        int k = cell.gates();
        double[][] out = new double[rows][k * u];
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < k; g++) {
                int from = k == 4 ? KERAS_BLOCK_OF_DL4J[g] : g;
                for (int j = 0; j < u; j++) {
                    out[r][g * u + j] = m.data()[r * k * u + from * u + j];
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #toDl4jBlocks}: a DL4J gradient (rows, k*u) back to Keras block order and shape. */
    static Tensor toKerasBlocks(INDArray g, CellSpec cell, int[] kerasShape) {
        double[] src = g.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int u = cell.units();
        int k = cell.gates();
        int rows = src.length / (k * u);
        double[] out = new double[src.length];
        for (int r = 0; r < rows; r++) {
            for (int gblk = 0; gblk < k; gblk++) {
                int to = k == 4 ? KERAS_BLOCK_OF_DL4J[gblk] : gblk;
                for (int j = 0; j < u; j++) {
                    out[r * k * u + to * u + j] = src[r * k * u + gblk * u + j];
                }
            }
        }
        return Tensor.of(out, kerasShape);
    }

    /** Parameter-name prefixes of the directions: "" for a plain layer, "f"/"b" inside Bidirectional. */
    private static String[] prefixes(Shape s) {
        return s.bidirectional == null ? new String[] {""} : new String[] {"f", "b"};
    }

    private static void setWeights(MultiLayerNetwork net, Shape s, List<Tensor> allWeights, DataType dt) {
        List<Tensor> weights = allWeights.subList(s.weightOffset, allWeights.size());
        CellSpec cell = s.cell();
        int per = cell.weightNames().size();
        Layer layer = net.getLayer(0);
        String[] pre = prefixes(s);
        for (int d = 0; d < pre.length; d++) {
            Tensor kernel = weights.get(d * per);
            Tensor recurrent = weights.get(d * per + 1);
            layer.setParam(pre[d] + "W", Nd4j.create(toDl4jBlocks(kernel, cell)).castTo(dt));
            layer.setParam(pre[d] + "RW", Nd4j.create(toDl4jBlocks(recurrent, cell)).castTo(dt));
            double[][] bias = cell.useBias() ? toDl4jBlocks(weights.get(d * per + 2), cell)
                    : new double[1][cell.gates() * cell.units()];
            layer.setParam(pre[d] + "b", Nd4j.create(bias).castTo(dt));
        }
        int w = pre.length * per;
        for (int k = 0; k < s.head.size(); k++) {
            if (s.head.get(k) instanceof DenseSpec d) {
                Layer dense = net.getLayer(headLayerIndex(s, k));
                dense.setParam("W", matrix(weights.get(w++), dt));
                if (d.useBias()) {
                    Tensor b = weights.get(w++);
                    dense.setParam("b", Nd4j.create(b.data(), new long[] {1, b.size()}, DataType.DOUBLE).castTo(dt));
                }
            }
        }
    }

    /** The network layer index of head layer k (Dropout layers add none). */
    private static int headLayerIndex(Shape s, int k) {
        int index = 1;
        for (int j = 0; j < k; j++) {
            if (!(s.head.get(j) instanceof DropoutSpec)) {
                index++;
            }
        }
        return index;
    }

    private static INDArray maskArray(SequenceMask m, DataType dt) {
        if (m == null) {
            return null;
        }
        double[][] v = new double[m.batch()][m.time()];
        for (int b = 0; b < m.batch(); b++) {
            for (int t = 0; t < m.time(); t++) {
                v[b][t] = m.get(b, t) ? 1 : 0;
            }
        }
        return Nd4j.create(v).castTo(dt);
    }

    private static DataType dataType(LayerCall call) {
        return call.dtype() == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
    }

    /** Keras's outputs from the network's output: a sequence [b, f, t] or a last step [b, f]; merge None split. */
    private static List<Tensor> kerasOutputs(Shape s, INDArray y) {
        Tensor t = y.rank() == 3 ? fromNcw(y) : fromMatrix(y);
        if (s.bidirectional != null && s.bidirectional.mergeMode() == MergeMode.NONE) {
            return splitHalves(t, s.cell().units());
        }
        return List.of(t);
    }

    private static List<Tensor> splitHalves(Tensor t, int u) {
        int last = t.shape()[t.rank() - 1];
        int rows = t.size() / last;
        int[] half = t.shape().clone();
        half[half.length - 1] = u;
        double[] a = new double[rows * u];
        double[] b = new double[rows * u];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(t.data(), r * last, a, r * u, u);
            System.arraycopy(t.data(), r * last + u, b, r * u, u);
        }
        return List.of(Tensor.of(a, half), Tensor.of(b, half));
    }

    private static boolean needsStates(Shape s, LayerCall call) {
        return !call.initialStates().isEmpty() || s.returnState() || s.layer.stateful();
    }

    // --- a Dense or Activation layer alone: DL4J's DenseLayer / ActivationLayer on the rows of the input ---------

    private static boolean isFeedForward(LayerSpec l) {
        return l instanceof DenseSpec || l instanceof ActivationLayerSpec;
    }

    /**
     * A network of one DenseLayer or ActivationLayer for a Keras layer that acts on the last axis: the input
     * {@code (..., features)} is given to DL4J as the matrix {@code [rows, features]} (DL4J's feed-forward layers
     * take 2-d input), the output reshaped back.
     */
    private static MultiLayerNetwork feedForwardNetwork(LayerCall call) {
        if (call.training()) {
            throw new UnsupportedCaseException("DL4J draws its own dropout masks; Keras's masks cannot be given to it");
        }
        org.deeplearning4j.nn.conf.layers.Layer layer;
        if (call.layer() instanceof DenseSpec d) {
            int[] shape = call.inputs().shape();
            layer = new DenseLayer.Builder().nIn(shape[shape.length - 1]).nOut(d.units()).hasBias(d.useBias())
                    .activation(headActivation(d.activation())).build();
        } else {
            layer = new ActivationLayer.Builder()
                    .activation(headActivation(((ActivationLayerSpec) call.layer()).activation())).build();
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(dataType(call)).weightInit(WeightInit.ZERO).updater(new NoOp()).list().layer(layer).build());
        net.init();
        if (call.layer() instanceof DenseSpec d) {
            net.getLayer(0).setParam("W", matrix(call.weights().get(0), dataType(call)));
            if (d.useBias()) {
                Tensor b = call.weights().get(1);
                net.getLayer(0).setParam("b", Nd4j.create(b.data(), new long[] {1, b.size()}, DataType.DOUBLE)
                        .castTo(dataType(call)));
            }
        }
        return net;
    }

    /** A tensor {@code (..., last)} as the matrix {@code [rows, last]} (row-major: the same data). */
    private static INDArray rows(Tensor t, DataType dt) {
        int last = t.shape()[t.rank() - 1];
        return Nd4j.create(t.data(), new long[] {t.size() / last, last}, DataType.DOUBLE).castTo(dt);
    }

    /** A matrix {@code [rows, width]} back as {@code (leading..., width)}. */
    private static Tensor unrows(INDArray m, int[] leading) {
        int width = (int) m.size(1);
        int[] shape = java.util.Arrays.copyOf(leading, leading.length + 1);
        shape[leading.length] = width;
        return Tensor.of(m.castTo(DataType.DOUBLE).dup('c').data().asDouble(), shape);
    }

    private static int[] leadingShape(Tensor t) {
        return java.util.Arrays.copyOf(t.shape(), t.rank() - 1);
    }

    private static LayerOutputs forwardFeedForward(LayerCall call) {
        MultiLayerNetwork net = feedForwardNetwork(call);
        INDArray y = net.output(rows(call.inputs(), dataType(call)), false);
        return new LayerOutputs(List.of(unrows(y, leadingShape(call.inputs()))), List.of());
    }

    private static LayerGradients backwardFeedForward(LayerCall call, LayerOutputs cotangent) {
        MultiLayerNetwork net = feedForwardNetwork(call);
        DataType dt = dataType(call);
        net.setInput(rows(call.inputs(), dt));
        net.feedForward(true, false);
        Pair<Gradient, INDArray> p = net.backpropGradient(rows(cotangent.outputs().get(0), dt),
                LayerWorkspaceMgr.noWorkspaces());
        List<Tensor> weightGrads = new ArrayList<>();
        if (call.layer() instanceof DenseSpec d) {
            Map<String, INDArray> g = p.getFirst().gradientForVariable();
            INDArray gw = g.get("0_W");
            weightGrads.add(Tensor.of(gw.castTo(DataType.DOUBLE).dup('c').data().asDouble(), (int) gw.size(0),
                    (int) gw.size(1)));
            if (d.useBias()) {
                weightGrads.add(Tensor.of(g.get("0_b").castTo(DataType.DOUBLE).dup('c').data().asDouble(), d.units()));
            }
        }
        return new LayerGradients(unrows(p.getSecond(), leadingShape(call.inputs())), weightGrads, List.of());
    }

    @Override
    public LayerOutputs forward(LayerCall call) {
        if (isFeedForward(call.layer())) {
            return forwardFeedForward(call);
        }
        Shape s = shapeOf(call);
        DataType dt = dataType(call);
        int inputDim = call.inputs().dim(2);
        if (!needsStates(s, call)) {
            MultiLayerNetwork net = network(s, inputDim, call.dtype(), true);
            setWeights(net, s, call.weights(), dt);
            INDArray mask = maskArray(call.mask(), dt);
            INDArray y = net.output(toNcw(call.inputs(), dt), false, mask, null);
            return new LayerOutputs(kerasOutputs(s, y), List.of());
        }
        if (s.bidirectional != null) {
            throw new UnsupportedCaseException("DL4J's Bidirectional takes no initial state and returns none "
                    + "(rnnTimeStep is not supported for bidirectional layers)");
        }
        return forwardWithStates(s, call, dt, inputDim);
    }

    /**
     * rnnTimeStep on the plain layer with its previous state set to the initial states (zeros when none), the mask
     * on the layer; the last output, as DL4J's LastTimeStep takes it, is the output at each row's last real step.
     */
    private static LayerOutputs forwardWithStates(Shape s, LayerCall call, DataType dt, int inputDim) {
        MultiLayerNetwork net = network(s, inputDim, call.dtype(), false);
        setWeights(net, s, call.weights(), dt);
        CellSpec cell = s.cell();
        int batch = call.batch();
        Map<String, INDArray> state = new HashMap<>();
        List<Tensor> init = call.initialStates();
        state.put(org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_ACTIVATION,
                init.isEmpty() ? Nd4j.zeros(dt, batch, cell.units()) : matrix(init.get(0), dt));
        if (cell.type() == CellType.LSTM) {
            state.put(org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_MEMCELL,
                    init.isEmpty() ? Nd4j.zeros(dt, batch, cell.units()) : matrix(init.get(1), dt));
        }
        net.rnnSetPreviousState(0, state);
        INDArray mask = maskArray(call.mask(), dt);
        org.deeplearning4j.nn.api.layers.RecurrentLayer layer =
                (org.deeplearning4j.nn.api.layers.RecurrentLayer) net.getLayer(0);
        if (mask != null) {
            layer.setMaskArray(mask);
        }
        INDArray y = layer.rnnTimeStep(toNcw(call.inputs(), dt), LayerWorkspaceMgr.noWorkspaces());
        Map<String, INDArray> after = net.rnnGetPreviousState(0);
        Tensor seq = fromNcw(y);
        Tensor out = s.returnSequences() ? seq : lastRealStep(seq, call.mask());
        List<Tensor> finals = new ArrayList<>();
        finals.add(fromMatrix(after.get(org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_ACTIVATION)));
        if (cell.type() == CellType.LSTM) {
            finals.add(fromMatrix(after.get(org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_MEMCELL)));
        }
        return new LayerOutputs(List.of(out), finals);
    }

    /** Row b's output at its last unmasked step (the last step when there is no mask; zeros if none is real). */
    static Tensor lastRealStep(Tensor seq, SequenceMask mask) {
        int b = seq.dim(0), t = seq.dim(1), u = seq.dim(2);
        double[] out = new double[b * u];
        for (int i = 0; i < b; i++) {
            int last = t - 1;
            if (mask != null) {
                last = -1;
                for (int s = 0; s < t; s++) {
                    if (mask.get(i, s)) {
                        last = s;
                    }
                }
            }
            if (last >= 0) {
                System.arraycopy(seq.data(), (i * t + last) * u, out, i * u, u);
            }
        }
        return Tensor.of(out, b, u);
    }

    @Override
    public LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
        if (isFeedForward(call.layer())) {
            return backwardFeedForward(call, cotangent);
        }
        Shape s = shapeOf(call);
        if (needsStates(s, call)) {
            throw new UnsupportedCaseException("DL4J computes no gradient with respect to initial states or from a "
                    + "final-state cotangent");
        }
        DataType dt = dataType(call);
        int inputDim = call.inputs().dim(2);
        MultiLayerNetwork net = network(s, inputDim, call.dtype(), true);
        setWeights(net, s, call.weights(), dt);
        INDArray x = toNcw(call.inputs(), dt);
        INDArray mask = maskArray(call.mask(), dt);
        net.setInput(x);
        net.setLayerMaskArrays(mask, null);
        net.feedForward(true, false);
        Tensor cot = cotangent.outputs().size() == 2 ? concatHalves(cotangent.outputs()) : cotangent.outputs().get(0);
        INDArray eps = cot.rank() == 3 ? toNcw(cot, dt) : matrix(cot, dt);
        Pair<Gradient, INDArray> p = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces());
        Map<String, INDArray> g = p.getFirst().gradientForVariable();
        CellSpec cell = s.cell();
        List<Tensor> weightGrads = new ArrayList<>();
        List<int[]> all = call.layer().weightShapes(inputDim);
        List<int[]> shapes = all.subList(s.weightOffset, all.size());
        int per = cell.weightNames().size();
        String[] pre = prefixes(s);
        for (int d = 0; d < pre.length; d++) {
            weightGrads.add(toKerasBlocks(g.get("0_" + pre[d] + "W"), cell, shapes.get(d * per)));
            weightGrads.add(toKerasBlocks(g.get("0_" + pre[d] + "RW"), cell, shapes.get(d * per + 1)));
            if (cell.useBias()) {
                weightGrads.add(toKerasBlocks(g.get("0_" + pre[d] + "b"), cell, shapes.get(d * per + 2)));
            }
        }
        for (int k = 0; k < s.head.size(); k++) {
            if (s.head.get(k) instanceof DenseSpec d) {
                int index = headLayerIndex(s, k);
                INDArray gw = g.get(index + "_W");
                weightGrads.add(Tensor.of(gw.castTo(DataType.DOUBLE).dup('c').data().asDouble(), (int) gw.size(0),
                        (int) gw.size(1)));
                if (d.useBias()) {
                    weightGrads.add(Tensor.of(g.get(index + "_b").castTo(DataType.DOUBLE).dup('c').data().asDouble(),
                            d.units()));
                }
            }
        }
        net.clearLayerMaskArrays();
        return new LayerGradients(fromNcw(p.getSecond()), weightGrads, List.of());
    }

    private static Tensor concatHalves(List<Tensor> halves) {
        Tensor a = halves.get(0);
        Tensor b = halves.get(1);
        int u = a.shape()[a.rank() - 1];
        int rows = a.size() / u;
        int[] shape = a.shape().clone();
        shape[shape.length - 1] = 2 * u;
        double[] d = new double[rows * 2 * u];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a.data(), r * u, d, r * 2 * u, u);
            System.arraycopy(b.data(), r * u, d, r * 2 * u + u, u);
        }
        return Tensor.of(d, shape);
    }
}
