package rnnkit.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Every file rnnkit reads goes through here: regular files only (a FIFO, a device such as {@code /dev/zero}, a
 * socket or a directory is refused before it is opened, so nothing blocks or streams forever) and at most a stated
 * number of bytes (counted while reading, so a file that grows or lies about its size cannot exhaust memory).
 * Every refusal is an {@link IllegalArgumentException} that names the file, what is wrong and what was expected.
 */
public final class BoundedFiles {
    /** JSON documents: case.json, corpus.json, export.json (the largest committed case.json is 14 KB). */
    public static final long JSON_BYTES = 8L << 20;
    /** The corpus manifest (1.9 MB for the 804 cases and 8 trajectories of the committed corpus). */
    public static final long MANIFEST_BYTES = 32L << 20;
    /** One {@code .npy} array (the largest committed array is 2.1 MB). */
    public static final long NPY_BYTES = 64L << 20;
    /** Text given on the command line: an expected-failure list, a notes file. */
    public static final long TEXT_BYTES = 1L << 20;
    /** A one-line message file an external implementation writes: unsupported.txt, error.txt. */
    public static final long MESSAGE_BYTES = 64L << 10;

    private BoundedFiles() {
    }

    /**
     * The attributes of {@code file} if it is a regular file (symbolic links followed); otherwise an
     * IllegalArgumentException saying what it is instead.
     *
     * @param what how errors name the file, e.g. "corpus file" or "--xfail"
     */
    public static BasicFileAttributes requireRegularFile(Path file, String what) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + " cannot be read: " + e);
        }
        if (a.isDirectory()) {
            throw new IllegalArgumentException(what + " " + file + " is a directory; expected a regular file");
        }
        if (!a.isRegularFile()) {
            throw new IllegalArgumentException(what + " " + file
                    + " is not a regular file (a FIFO, device or socket); expected a regular file");
        }
        return a;
    }

    /** The bytes of a regular file of at most {@code maxBytes} bytes. */
    public static byte[] read(Path file, long maxBytes, String what) {
        BasicFileAttributes a = requireRegularFile(file, what);
        if (a.size() > maxBytes) {
            throw tooLarge(file, String.valueOf(a.size()), maxBytes, what);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxBytes + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(file, "more than " + maxBytes, maxBytes, what);
        }
        return bytes;
    }

    /** The text of a regular UTF-8 file of at most {@code maxBytes} bytes; invalid UTF-8 is refused, not replaced. */
    public static String readUtf8(Path file, long maxBytes, String what) {
        return utf8(read(file, maxBytes, what), what + " " + file);
    }

    /** Strict UTF-8 decoding: malformed or unmappable bytes are an error naming {@code what}. */
    public static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid UTF-8 text: " + e.getMessage());
        }
    }

    private static IllegalArgumentException tooLarge(Path file, String size, long max, String what) {
        return new IllegalArgumentException(what + " " + file + " has " + size + " bytes; at most " + max + " are accepted");
    }
}
