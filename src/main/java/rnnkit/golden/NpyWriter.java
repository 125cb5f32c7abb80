package rnnkit.golden;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code .npy} bytes (format 1.0, C order) for the dtypes {@link NpyReader} accepts, laid out as
 * {@code numpy.lib.format.write_array} does: the header dict padded with spaces and ended by a newline so that
 * the data starts at a multiple of 64 bytes.
 */
public final class NpyWriter {
    private NpyWriter() {
    }

    public static byte[] write(NpyArray a) {
        String descr = a.descr();
        int[] shape = a.shape();
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        }
        sb.append("), }");
        int unpadded = 10 + sb.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        sb.append(" ".repeat(pad)).append('\n');
        byte[] header = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        int item = NpyReader.itemSize(descr);
        double[] v = a.values();
        ByteBuffer out = ByteBuffer.allocate(10 + header.length + v.length * item).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.putShort((short) header.length);
        out.put(header);
        for (double x : v) {
            switch (descr) {
                case NpyReader.FLOAT32 -> out.putFloat((float) x);
                case NpyReader.FLOAT64 -> out.putDouble(x);
                case NpyReader.INT32 -> out.putInt((int) x);
                case NpyReader.INT64 -> out.putLong((long) x);
                case NpyReader.BOOL -> out.put((byte) (x != 0 ? 1 : 0));
                default -> throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
            }
        }
        return out.array();
    }
}
