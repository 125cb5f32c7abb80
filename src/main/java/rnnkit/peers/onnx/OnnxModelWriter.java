package rnnkit.peers.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a one-node ONNX model (an LSTM, GRU or RNN operator with its weights as initializers) as ModelProto
 * bytes that ONNX Runtime can load from memory. Field numbers are those of onnx/onnx.proto (IR version 8,
 * default-domain opset 14).
 */
public final class OnnxModelWriter {
    /** onnx.TensorProto.DataType values. */
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int DOUBLE = 11;

    private static final long IR_VERSION = 8;
    private static final long OPSET = 14;

    private final String opType;
    private final List<String> nodeInputs = new ArrayList<>();
    private final List<String> nodeOutputs = new ArrayList<>();
    private final List<ProtobufWriter> attributes = new ArrayList<>();
    private final List<ProtobufWriter> initializers = new ArrayList<>();
    private final List<ProtobufWriter> graphInputs = new ArrayList<>();
    private final List<ProtobufWriter> graphOutputs = new ArrayList<>();

    public OnnxModelWriter(String opType) {
        this.opType = opType;
    }

    /** Adds a node input; an empty name marks an omitted optional input. */
    public OnnxModelWriter nodeInput(String name) {
        nodeInputs.add(name);
        return this;
    }

    public OnnxModelWriter nodeOutput(String name) {
        nodeOutputs.add(name);
        return this;
    }

    public OnnxModelWriter intAttribute(String name, long value) {
        attributes.add(new ProtobufWriter().string(1, name).int64(3, value).int64(20, 2));
        return this;
    }

    public OnnxModelWriter stringAttribute(String name, String value) {
        attributes.add(new ProtobufWriter().string(1, name).string(4, value).int64(20, 3));
        return this;
    }

    public OnnxModelWriter stringsAttribute(String name, List<String> values) {
        ProtobufWriter a = new ProtobufWriter().string(1, name);
        for (String v : values) {
            a.string(9, v);
        }
        attributes.add(a.int64(20, 8));
        return this;
    }

    public OnnxModelWriter floatsAttribute(String name, float[] values) {
        ProtobufWriter a = new ProtobufWriter().string(1, name);
        for (float v : values) {
            a.float32(7, v);
        }
        attributes.add(a.int64(20, 6));
        return this;
    }

    /** A constant tensor (initializer) in float32 or float64, values given as doubles. */
    public OnnxModelWriter initializer(String name, int dataType, double[] values, long... dims) {
        ProtobufWriter t = new ProtobufWriter();
        for (long d : dims) {
            t.int64(1, d);
        }
        t.int64(2, dataType).string(8, name);
        ByteBuffer raw;
        if (dataType == FLOAT) {
            raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                raw.putFloat((float) v);
            }
        } else if (dataType == DOUBLE) {
            raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                raw.putDouble(v);
            }
        } else if (dataType == INT32) {
            raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                raw.putInt((int) v);
            }
        } else {
            throw new IllegalArgumentException("unsupported ONNX data type " + dataType);
        }
        t.bytes(9, raw.array());
        initializers.add(t);
        return this;
    }

    /** A graph input or output with element type and fixed dims. */
    private static ProtobufWriter valueInfo(String name, int elemType, long... dims) {
        ProtobufWriter shape = new ProtobufWriter();
        for (long d : dims) {
            shape.message(1, new ProtobufWriter().int64(1, d));
        }
        ProtobufWriter tensorType = new ProtobufWriter().int64(1, elemType).message(2, shape);
        ProtobufWriter type = new ProtobufWriter().message(1, tensorType);
        return new ProtobufWriter().string(1, name).message(2, type);
    }

    public OnnxModelWriter graphInput(String name, int elemType, long... dims) {
        graphInputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    public OnnxModelWriter graphOutput(String name, int elemType, long... dims) {
        graphOutputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    public byte[] toBytes() {
        ProtobufWriter node = new ProtobufWriter();
        for (String in : nodeInputs) {
            node.string(1, in);
        }
        for (String o : nodeOutputs) {
            node.string(2, o);
        }
        node.string(3, opType.toLowerCase() + "_0").string(4, opType);
        for (ProtobufWriter a : attributes) {
            node.message(5, a);
        }
        ProtobufWriter graph = new ProtobufWriter().message(1, node).string(2, "rnnkit_" + opType.toLowerCase());
        for (ProtobufWriter i : initializers) {
            graph.message(5, i);
        }
        for (ProtobufWriter i : graphInputs) {
            graph.message(11, i);
        }
        for (ProtobufWriter o : graphOutputs) {
            graph.message(12, o);
        }
        ProtobufWriter opset = new ProtobufWriter().string(1, "").int64(2, OPSET);
        return new ProtobufWriter()
                .int64(1, IR_VERSION)
                .string(2, "rnnkit")
                .string(3, "0.1")
                .message(7, graph)
                .message(8, opset)
                .toByteArray();
    }
}
