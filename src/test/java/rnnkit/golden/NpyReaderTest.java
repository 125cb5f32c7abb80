package rnnkit.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {

    // Written by numpy 2.4.6: np.lib.format.write_array(f, a, version=v) for
    // a = np.array([[1.5, -2.25, 3.0], [0.125, 1e-3, -7.0]], dtype='<f4') and v = 1.0, 2.0, 3.0.
    private static final String F4_V1 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAQwAAAQEAAAAA+bxKDOgAA4MA=";
    private static final String F4_V2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAQwAAAQEAAAAA+bxKDOgAA4MA=";
    private static final String F4_V3 = "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAQwAAAQEAAAAA+bxKDOgAA4MA=";
    // np.save of np.array([[True, False, True]]), np.array([3, 0, 7], '<i8'), np.array(2.5) (0-d float64).
    private static final String BOOL = "k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=";
    private static final String I8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoDAAAAAAAAAAAAAAAAAAAABwAAAAAAAAA=";
    private static final String SCALAR = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAEQA==";

    @TempDir
    Path dir;

    @Test
    void readsNumpyWrittenFilesOfEveryHeaderVersion() {
        double[] expected = {1.5, -2.25, 3.0, (float) 0.125, (double) 1e-3f, -7.0};
        for (String b64 : new String[] {F4_V1, F4_V2, F4_V3}) {
            NpyArray a = NpyReader.parse(Base64.getDecoder().decode(b64), "numpy file");
            assertThat(a.descr()).isEqualTo("<f4");
            assertThat(a.shape()).containsExactly(2, 3);
            assertThat(a.values()).containsExactly(expected);
        }
        NpyArray mask = NpyReader.parse(Base64.getDecoder().decode(BOOL), "bool");
        assertThat(mask.toMask().toArray()).isDeepEqualTo(new boolean[][] {{true, false, true}});
        NpyArray ids = NpyReader.parse(Base64.getDecoder().decode(I8), "ids");
        assertThat(ids.shape()).containsExactly(3);
        assertThat(ids.values()).containsExactly(3, 0, 7);
        NpyArray scalar = NpyReader.parse(Base64.getDecoder().decode(SCALAR), "scalar");
        assertThat(scalar.shape()).isEmpty();
        assertThat(scalar.values()).containsExactly(2.5);
    }

    @Test
    void writerOutputIsByteIdenticalToNumpys() {
        NpyArray a = NpyReader.parse(Base64.getDecoder().decode(F4_V1), "numpy file");
        assertThat(NpyWriter.write(a)).isEqualTo(Base64.getDecoder().decode(F4_V1));
        NpyArray ids = NpyReader.parse(Base64.getDecoder().decode(I8), "ids");
        assertThat(NpyWriter.write(ids)).isEqualTo(Base64.getDecoder().decode(I8));
    }

    @Test
    void roundTripPreservesEveryDtypeAndShapeThroughAFile() throws IOException {
        Random rnd = new Random(42);
        int[][] shapes = {{}, {0}, {1}, {7}, {2, 3}, {3, 0, 2}, {2, 3, 4}};
        for (String descr : new String[] {"<f4", "<f8", "|b1", "<i4", "<i8"}) {
            for (int[] shape : shapes) {
                int n = 1;
                for (int d : shape) {
                    n *= d;
                }
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (descr) {
                        case "<f4" -> (float) rnd.nextGaussian();
                        case "<f8" -> rnd.nextGaussian() * 1e-300;
                        case "|b1" -> rnd.nextBoolean() ? 1 : 0;
                        default -> rnd.nextInt(2000) - 1000;
                    };
                }
                NpyArray a = new NpyArray(descr, shape, v);
                Path f = dir.resolve("a.npy");
                Files.write(f, NpyWriter.write(a));
                assertThat(NpyReader.read(f)).as(descr + " " + java.util.Arrays.toString(shape)).isEqualTo(a);
            }
        }
    }

    // ---- corruption: each kind names the problem ----

    private static byte[] npy(int major, String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        int pre = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(pre + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        b.put(h);
        return b.array();
    }

    private static String header(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    private void assertRejected(byte[] bytes, String... messageParts) throws IOException {
        assertThatThrownBy(() -> NpyReader.parse(bytes, "x.npy")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.npy").hasMessageContainingAll(messageParts);
        Path f = dir.resolve("x.npy");
        Files.write(f, bytes);
        assertThatThrownBy(() -> NpyReader.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void validHandMadeFileIsAccepted() {
        NpyArray a = NpyReader.parse(npy(1, header("<f8", "False", "(2, 2)"), 32), "ok");
        assertThat(a.values()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void badMagicIsRejected() throws IOException {
        byte[] b = npy(1, header("<f8", "False", "(1,)"), 8);
        b[1] = 'X';
        assertRejected(b, "bad magic");
    }

    @Test
    void truncatedPreambleIsRejected() throws IOException {
        assertRejected(new byte[] {(byte) 0x93, 'N', 'U', 'M'}, "truncated", "10-byte preamble");
    }

    @Test
    void unsupportedVersionIsRejected() throws IOException {
        byte[] b = npy(1, header("<f8", "False", "(1,)"), 8);
        b[6] = 4;
        assertRejected(b, "version 4.0", "expected 1.0, 2.0 or 3.0");
    }

    @Test
    void headerLongerThanFileIsRejected() throws IOException {
        byte[] b = npy(1, header("<f8", "False", "(1,)"), 0);
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 20);
        assertRejected(cut, "truncated", "header claims");
    }

    @Test
    void hugeHeaderLengthIsRejectedBeforeReading() throws IOException {
        byte[] b = npy(2, header("<f8", "False", "(1,)"), 8);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7fffffff);
        assertRejected(b, "header claims 2147483647 bytes", "at most");
    }

    @Test
    void bigEndianAndOtherDtypesAreRejected() throws IOException {
        assertRejected(npy(1, header(">f8", "False", "(1,)"), 8), "dtype '>f8' is not supported");
        assertRejected(npy(1, header("<c16", "False", "(1,)"), 16), "dtype '<c16' is not supported");
        assertRejected(npy(1, header("|O", "False", "(1,)"), 8), "dtype '|O' is not supported");
    }

    @Test
    void fortranOrderIsRejected() throws IOException {
        assertRejected(npy(1, header("<f8", "True", "(2, 2)"), 32), "Fortran order", "C order");
    }

    @Test
    void headerThatPromisesMoreDataThanTheFileHoldsIsRejected() throws IOException {
        assertRejected(npy(1, header("<f8", "False", "(3, 4)"), 40), "96 data bytes", "holds 40", "truncated");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        assertRejected(npy(1, header("<f4", "False", "(2,)"), 12), "8 data bytes", "holds 12", "trailing");
    }

    @Test
    void absurdShapeIsRejectedWithoutAllocating() throws IOException {
        // 10^15 elements: allocating would throw OutOfMemoryError long before any check after the allocation.
        assertRejected(npy(1, header("<f8", "False", "(100000, 100000, 100000)"), 8), "more than");
        // Just under 2^31 elements: would need 16 GiB as doubles; rejected because the file holds 8 bytes.
        assertRejected(npy(1, header("<f8", "False", "(2147483000,)"), 8), "data bytes", "holds 8");
        assertRejected(npy(1, header("<f8", "False", "(99999999999999999999,)"), 8), "dimension");
    }

    @Test
    void negativeDimensionIsRejected() throws IOException {
        assertRejected(npy(1, header("<f8", "False", "(-1, 2)"), 8), "dimension -1");
    }

    @Test
    void malformedHeaderIsRejected() throws IOException {
        assertRejected(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)\n", 8), "malformed npy header");
        assertRejected(npy(1, "{'descr': '<f8', 'shape': (1,), }\n", 8), "expected exactly descr, fortran_order, shape");
        assertRejected(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", 8),
                "malformed npy header");
        assertRejected(npy(1, "{'descr': 5, 'fortran_order': False, 'shape': (1,), }\n", 8), "malformed");
    }

    @Test
    void booleanBytesOtherThanZeroOrOneAreRejected() throws IOException {
        byte[] b = npy(1, header("|b1", "False", "(2,)"), 2);
        b[b.length - 1] = 7;
        assertRejected(b, "boolean byte 7", "expected 0 or 1");
    }
}
