package rnnkit.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the subset of the NumPy {@code .npy} format the golden corpus uses (format versions 1.0, 2.0 and 3.0):
 * little-endian {@code <f4}, {@code <f8}, {@code <i4}, {@code <i8}, and {@code |b1}, C order only.
 *
 * <p>Layout (numpy.lib.format): the magic {@code \x93NUMPY}, major and minor version bytes, the header length
 * (uint16 little-endian in 1.0; uint32 in 2.0 and 3.0), the header (a Python dict literal with exactly the keys
 * {@code descr}, {@code fortran_order}, {@code shape}; latin-1 in 1.x/2.x, UTF-8 in 3.0), then the raw data.
 *
 * <p>Hostile files cannot make this reader allocate unboundedly: the header length is checked against
 * {@link #MAX_HEADER_BYTES} and the file size before the header is read, and the data size implied by the
 * header is checked to equal the bytes actually left in the file before the data array is allocated.
 * Every defect is reported as an {@link IllegalArgumentException} naming the file, the problem and the expectation.
 */
public final class NpyReader {
    public static final String FLOAT32 = "<f4";
    public static final String FLOAT64 = "<f8";
    public static final String BOOL = "|b1";
    public static final String INT32 = "<i4";
    public static final String INT64 = "<i8";

    /** Largest header accepted; numpy's own loader refuses headers over 10,000 bytes by default. */
    public static final int MAX_HEADER_BYTES = 65536;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final long MAX_INT_EXACT = 1L << 53;

    private NpyReader() {
    }

    /**
     * Reads a whole {@code .npy} file: a regular file (not a FIFO, device or directory) of at most
     * {@link BoundedFiles#NPY_BYTES} bytes.
     */
    public static NpyArray read(Path file) {
        long size = BoundedFiles.requireRegularFile(file, "npy file").size();
        if (size > BoundedFiles.NPY_BYTES) {
            throw new IllegalArgumentException("npy file " + file + " has " + size + " bytes; at most "
                    + BoundedFiles.NPY_BYTES + " are accepted");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read npy file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code .npy} bytes held in memory; {@code what} names them in errors. */
    public static NpyArray parse(byte[] bytes, String what) {
        return parse(ByteBuffer.wrap(bytes), what);
    }

    private static NpyArray read(FileChannel ch, String what) throws IOException {
        long size = ch.size();
        ByteBuffer prefix = ByteBuffer.allocate((int) Math.min(size, 12));
        readFully(ch, prefix, 0);
        prefix.flip();
        Preamble p = preamble(prefix, size, what);
        ByteBuffer header = ByteBuffer.allocate(p.headerLength);
        readFully(ch, header, p.headerOffset);
        header.flip();
        Header h = header(header, p, what);
        long dataOffset = (long) p.headerOffset + p.headerLength;
        long expectedBytes = dataBytes(h, size - dataOffset, what);
        ByteBuffer data = ByteBuffer.allocate((int) expectedBytes);
        readFully(ch, data, dataOffset);
        data.flip();
        return decode(h, data, what);
    }

    private static NpyArray parse(ByteBuffer all, String what) {
        long size = all.remaining();
        ByteBuffer prefix = all.duplicate();
        prefix.limit((int) Math.min(size, 12));
        Preamble p = preamble(prefix.slice(), size, what);
        ByteBuffer header = all.duplicate();
        header.position(p.headerOffset).limit(p.headerOffset + p.headerLength);
        Header h = header(header.slice(), p, what);
        int dataOffset = p.headerOffset + p.headerLength;
        dataBytes(h, size - dataOffset, what);
        ByteBuffer data = all.duplicate();
        data.position(dataOffset);
        return decode(h, data.slice(), what);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IllegalStateException("file shrank while being read");
            }
            pos += n;
        }
    }

    private record Preamble(int major, int minor, int headerOffset, int headerLength) {
    }

    private record Header(String descr, int[] shape, long count) {
    }

    private static Preamble preamble(ByteBuffer b, long fileSize, String what) {
        if (fileSize < 10) {
            throw new IllegalArgumentException(what + ": truncated npy file of " + fileSize
                    + " bytes; a .npy file starts with a 10-byte preamble (magic, version, header length)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                throw new IllegalArgumentException(what + ": not an npy file (bad magic); expected \\x93NUMPY");
            }
        }
        int major = b.get(6) & 0xff;
        int minor = b.get(7) & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new IllegalArgumentException(what + ": npy format version " + major + "." + minor
                    + " is not supported; expected 1.0, 2.0 or 3.0");
        }
        long headerLength;
        int headerOffset;
        if (major == 1) {
            headerLength = b.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
            headerOffset = 10;
        } else {
            if (fileSize < 12) {
                throw new IllegalArgumentException(what + ": truncated npy " + major + ".0 file of " + fileSize
                        + " bytes; expected a 12-byte preamble");
            }
            headerLength = b.order(ByteOrder.LITTLE_ENDIAN).getInt(8) & 0xffffffffL;
            headerOffset = 12;
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException(what + ": npy header claims " + headerLength + " bytes; at most "
                    + MAX_HEADER_BYTES + " are accepted");
        }
        if (headerOffset + headerLength > fileSize) {
            throw new IllegalArgumentException(what + ": truncated npy file: the header claims " + headerLength
                    + " bytes but only " + (fileSize - headerOffset) + " follow the preamble");
        }
        return new Preamble(major, minor, headerOffset, (int) headerLength);
    }

    private static Header header(ByteBuffer b, Preamble p, String what) {
        byte[] raw = new byte[b.remaining()];
        b.get(raw);
        String text = new String(raw, p.major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict;
        try {
            dict = new HeaderParser(text).dict();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": malformed npy header " + quote(text) + ": " + e.getMessage(), e);
        }
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new IllegalArgumentException(what + ": npy header has keys " + dict.keySet()
                    + "; expected exactly descr, fortran_order, shape");
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new IllegalArgumentException(what + ": npy header descr is " + dict.get("descr")
                    + "; expected a dtype string such as '<f8'");
        }
        if (!List.of(FLOAT32, FLOAT64, BOOL, INT32, INT64).contains(descr)) {
            throw new IllegalArgumentException(what + ": npy dtype '" + descr + "' is not supported; expected one of "
                    + "'<f4', '<f8', '|b1', '<i4', '<i8' (little-endian, no structured types)");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new IllegalArgumentException(what + ": npy header fortran_order is " + dict.get("fortran_order")
                    + "; expected True or False");
        }
        if (fortran) {
            throw new IllegalArgumentException(what + ": npy array is stored in Fortran order; the corpus requires "
                    + "C order (fortran_order: False)");
        }
        if (!(dict.get("shape") instanceof List<?> dims)) {
            throw new IllegalArgumentException(what + ": npy header shape is " + dict.get("shape")
                    + "; expected a tuple of integers");
        }
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = (Long) dims.get(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + ": npy shape " + dims + " has dimension " + d
                        + "; expected 0 <= dimension <= " + Integer.MAX_VALUE);
            }
            shape[i] = (int) d;
            if (d != 0 && count > (Integer.MAX_VALUE - 8L) / d) {
                throw new IllegalArgumentException(what + ": npy shape " + dims + " has more than "
                        + (Integer.MAX_VALUE - 8) + " elements; the corpus holds small arrays only");
            }
            count *= d;
        }
        return new Header(descr, shape, count);
    }

    /** Bytes the data must occupy; checks them against what the file actually holds before anything is allocated. */
    private static long dataBytes(Header h, long available, String what) {
        long need = h.count * itemSize(h.descr);
        if (need != available) {
            throw new IllegalArgumentException(what + ": npy header says shape " + java.util.Arrays.toString(h.shape)
                    + " of '" + h.descr + "' = " + need + " data bytes, but the file holds " + available
                    + (available < need ? " (truncated file or lying header)" : " (trailing bytes or lying header)"));
        }
        if (need > Integer.MAX_VALUE - 8L) {
            throw new IllegalArgumentException(what + ": npy data of " + need + " bytes is too large to read");
        }
        return need;
    }

    static int itemSize(String descr) {
        return switch (descr) {
            case FLOAT32, INT32 -> 4;
            case FLOAT64, INT64 -> 8;
            case BOOL -> 1;
            default -> throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
        };
    }

    private static NpyArray decode(Header h, ByteBuffer data, String what) {
        ByteBuffer le = data.order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) h.count;
        double[] v = new double[n];
        switch (h.descr) {
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    v[i] = le.getFloat(i * 4);
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    v[i] = le.getDouble(i * 8);
                }
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    v[i] = le.getInt(i * 4);
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    long x = le.getLong(i * 8);
                    if (x > MAX_INT_EXACT || x < -MAX_INT_EXACT) {
                        throw new IllegalArgumentException(what + ": int64 value " + x + " at flat index " + i
                                + " is not exactly representable as a double; expected |value| <= 2^53");
                    }
                    v[i] = x;
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    byte x = le.get(i);
                    if (x != 0 && x != 1) {
                        throw new IllegalArgumentException(what + ": boolean byte " + x + " at flat index " + i
                                + "; expected 0 or 1");
                    }
                    v[i] = x;
                }
            }
            default -> throw new IllegalStateException(h.descr);
        }
        return new NpyArray(h.descr, h.shape, v);
    }

    private static String quote(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return "\"" + t.replace("\n", "\\n") + "\"";
    }

    /**
     * Parser for the header dict literal numpy writes: {@code {'descr': '<f8', 'fortran_order': False,
     * 'shape': (2, 3), }} padded with spaces and a final newline. Values: quoted strings, True/False, tuples of
     * non-negative integers.
     */
    private static final class HeaderParser {
        private final String s;
        private int i;

        HeaderParser(String s) {
            this.s = s;
        }

        Map<String, Object> dict() {
            Map<String, Object> out = new LinkedHashMap<>();
            skip();
            expect('{');
            skip();
            while (peek() != '}') {
                String key = string();
                skip();
                expect(':');
                skip();
                Object value = value();
                if (out.put(key, value) != null) {
                    throw new IllegalArgumentException("duplicate key '" + key + "'");
                }
                skip();
                if (peek() == ',') {
                    i++;
                    skip();
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at offset " + i);
                }
            }
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
                    throw new IllegalArgumentException("unexpected text after the dict at offset " + (i - 1));
                }
            }
            return out;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                i++;
                List<Long> dims = new ArrayList<>();
                skip();
                while (peek() != ')') {
                    dims.add(integer());
                    skip();
                    if (peek() == ',') {
                        i++;
                        skip();
                    } else if (peek() != ')') {
                        throw new IllegalArgumentException("expected ',' or ')' in shape at offset " + i);
                    }
                }
                i++;
                return dims;
            }
            throw new IllegalArgumentException("unexpected value at offset " + i);
        }

        private long integer() {
            int start = i;
            while (i < s.length() && (isAsciiDigit(s.charAt(i)) || (i == start && s.charAt(i) == '-'))) {
                i++;
            }
            String digits = s.substring(start, i);
            while (i < s.length() && s.charAt(i) == 'L') {
                i++; // Python 2 long suffix
            }
            if (digits.isEmpty() || digits.equals("-")) {
                throw new IllegalArgumentException("expected an integer at offset " + start);
            }
            if (digits.length() > 18) {
                throw new IllegalArgumentException("shape dimension " + digits + " at offset " + start
                        + " overflows; expected 0 <= dimension <= " + Integer.MAX_VALUE);
            }
            return Long.parseLong(digits);
        }

        /** numpy writes shapes with ASCII digits; other Unicode digits (which Long.parseLong accepts) are refused. */
        private static boolean isAsciiDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private String string() {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw new IllegalArgumentException("expected a quoted string at offset " + i);
            }
            int end = s.indexOf(q, i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated string at offset " + i);
            }
            String out = s.substring(i + 1, end);
            i = end + 1;
            return out;
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("header ends early at offset " + i);
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + i + ", found '" + peek() + "'");
            }
            i++;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
