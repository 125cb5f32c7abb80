package rnnkit.golden;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON as golden/FORMAT.md specifies it, read strictly: a duplicate key, trailing text after the document, a
 * number where an integer is required that is fractional or overflows 32 bits, or a value of the wrong JSON type is
 * an {@link IllegalArgumentException} naming the document, the field and what was expected — never a silently
 * clamped or coerced value.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /** The shared mapper (strict when reading; plain when writing). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses a JSON object; {@code what} names the document in errors. */
    public static ObjectNode object(byte[] bytes, String what) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be parsed: " + e.getMessage(), e);
        }
        if (!(n instanceof ObjectNode o)) {
            throw new IllegalArgumentException(what + " is " + kind(n) + "; expected a JSON object");
        }
        return o;
    }

    /** Reads a regular file of at most {@link BoundedFiles#JSON_BYTES} holding a JSON object. */
    public static ObjectNode readObject(Path file, String what) {
        return object(BoundedFiles.read(file, BoundedFiles.JSON_BYTES, what), what + " " + file);
    }

    /** A field that must be a JSON integer within 32-bit int range. */
    public static int integer(JsonNode parent, String field, String what) {
        return integer(parent.get(field), what + " field '" + field + "'");
    }

    /** A value that must be a JSON integer within 32-bit int range. */
    public static int integer(JsonNode v, String what) {
        if (v == null || v.isMissingNode()) {
            throw new IllegalArgumentException(what + " is missing; expected an integer");
        }
        if (v.isIntegralNumber() && !v.canConvertToInt()) {
            throw new IllegalArgumentException(what + " is " + v + ", which overflows a 32-bit integer; expected an "
                    + "integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        if (!v.isInt()) {
            throw new IllegalArgumentException(what + " is " + kind(v) + "; expected an integer");
        }
        return v.intValue();
    }

    /** A field that must be a JSON string. */
    public static String text(JsonNode parent, String field, String what) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(what + " field '" + field + "' is " + kind(v) + "; expected a string");
        }
        return v.textValue();
    }

    /** An optional field that must be a JSON string when present (null or absent gives {@code dflt}). */
    public static String optionalText(JsonNode parent, String field, String dflt, String what) {
        JsonNode v = parent.get(field);
        return v == null || v.isNull() ? dflt : text(parent, field, what);
    }

    /** An optional field that must be true or false when present. */
    public static boolean bool(JsonNode parent, String field, boolean dflt, String what) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(what + " field '" + field + "' is " + kind(v) + "; expected true or false");
        }
        return v.booleanValue();
    }

    /** An optional field that must be an array when present; absent or null gives an empty list. */
    public static List<JsonNode> array(JsonNode parent, String field, String what) {
        JsonNode v = parent.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(what + " field '" + field + "' is " + kind(v) + "; expected an array");
        }
        v.forEach(out::add);
        return out;
    }

    /** An optional array field of strings (absent or null: empty). */
    public static List<String> texts(JsonNode parent, String field, String what) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(parent, field, what)) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException(what + " field '" + field + "' holds " + kind(n)
                        + "; expected an array of strings");
            }
            out.add(n.textValue());
        }
        return out;
    }

    /** A field that must be a JSON object. */
    public static ObjectNode object(JsonNode parent, String field, String what) {
        JsonNode v = parent.get(field);
        if (!(v instanceof ObjectNode o)) {
            throw new IllegalArgumentException(what + " field '" + field + "' is " + kind(v) + "; expected an object");
        }
        return o;
    }

    /** A shape: an array of integers from 0 to 2^31-1. */
    public static int[] shape(JsonNode parent, String field, String what) {
        List<JsonNode> dims = array(parent, field, what);
        if (!parent.has(field)) {
            throw new IllegalArgumentException(what + " field '" + field + "' is missing; expected an array of sizes");
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = integer(dims.get(i), what + " " + field + "[" + i + "]");
            if (shape[i] < 0) {
                throw new IllegalArgumentException(what + " " + field + "[" + i + "] is " + shape[i]
                        + "; expected a size from 0 to " + Integer.MAX_VALUE);
            }
        }
        return shape;
    }

    /** "the string \"x\"", "a number (1.5)", "missing"... for error messages. */
    public static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        String s = v.toString();
        String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        return switch (v.getNodeType()) {
            case ARRAY -> "an array (" + shown + ")";
            case OBJECT -> "an object (" + shown + ")";
            case STRING -> "the string " + shown;
            case NUMBER -> "the number " + shown;
            case BOOLEAN -> shown;
            case NULL -> "null";
            default -> shown;
        };
    }
}
