package dev.augur.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads the values of options objects (training options, view options) exactly: an integer option takes an
 * integer in its range and nothing else (no wrapping of 2^32 + 1 to 1, no rounding of 5.5; 5.0 is 5), a number option a
 * finite JSON number in its range, a word option one of its words. Text is never a number and a number never text
 * ({@code "0.25"}, {@code true} and {@code null} are refused, not read as 0.25, 1 or the default). Every other value is
 * SQLSTATE 22023 naming the option, what it takes and what it got; an options text that is not a JSON object, or
 * repeats a key, is 22032.
 */
public final class OptionValues {
    /** Options repeat no key: {"epochs": 5, "epochs": 6} is an error, never "the last one wins". */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private OptionValues() {
    }

    /**
     * Parses an options text; null or blank is the empty object.
     *
     * @param what    what the options are for, in messages ("training options", "view options")
     * @param example a valid options object shown in the message
     */
    public static ObjectNode parse(String json, String what, String example) {
        if (json == null || json.isBlank()) {
            return MAPPER.createObjectNode();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AugurException(Errors.INVALID_JSON, what + " are not valid JSON: " + e.getOriginalMessage()
                    + " (example: " + example + ")");
        }
        if (root == null || !root.isObject()) {
            throw new AugurException(Errors.INVALID_JSON, what + " must be a JSON object, got: " + Errors.abbreviate(json, 80)
                    + " (example: " + example + ")");
        }
        return (ObjectNode) root;
    }

    /** Refuses a key that is not one of {@code known}, listing them. */
    public static void checkKeys(ObjectNode options, String what, List<String> known) {
        for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw Errors.invalidParameter("unknown " + what + " '" + key + "'; options: " + String.join(", ", known));
            }
        }
    }

    /** An integer in [min, max]; {@code note} (may be null) follows the range in messages, e.g. "(0 for a vocabulary)". */
    public static int integer(String key, JsonNode v, int min, int max, String note) {
        return (int) exactInteger(key, v, min, max, "an integer between " + min + " and " + max + (note == null ? "" : " " + note));
    }

    /** Any 64-bit integer. */
    public static long int64(String key, JsonNode v) {
        return exactInteger(key, v, Long.MIN_VALUE, Long.MAX_VALUE, "a 64-bit integer");
    }

    private static long exactInteger(String key, JsonNode v, long min, long max, String expected) {
        BigDecimal d = decimal(v);
        if (d == null || d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw wrong(key, expected, v);
        }
        // in range, so the exponent is small: stripping zeros and the exact conversion are cheap
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            throw wrong(key, expected, v);
        }
        return d.longValueExact();
    }

    /** A finite number >= 0. */
    public static double nonNegative(String key, JsonNode v, String note) {
        return number(key, v, 0, Double.MAX_VALUE, "a finite number >= 0" + (note == null ? "" : " " + note));
    }

    /** A finite number in [min, max]. */
    public static double number(String key, JsonNode v, double min, double max, String expected) {
        BigDecimal d = decimal(v);
        if (d == null) {
            throw wrong(key, expected, v);
        }
        double x = d.doubleValue();
        if (!Double.isFinite(x) || x < min || x > max) {
            throw wrong(key, expected, v);
        }
        return x;
    }

    /** A JSON boolean ({@code true} or {@code false}); text, numbers and null are not booleans. */
    public static boolean bool(String key, JsonNode v) {
        if (v != null && v.isBoolean()) {
            return v.booleanValue();
        }
        throw wrong(key, "true or false", v);
    }

    /** One of {@code words} (case-insensitive), returned lower-case. */
    public static String word(String key, JsonNode v, List<String> words) {
        if (v != null && v.isTextual()) {
            String w = v.asText().trim().toLowerCase(Locale.ROOT);
            if (words.contains(w)) {
                return w;
            }
        }
        String expected = words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
        throw wrong(key, expected, v);
    }

    /** The exact value of a JSON number; null for anything else. */
    private static BigDecimal decimal(JsonNode v) {
        if (v == null) {
            return null;
        }
        try {
            if (v.isIntegralNumber()) {
                return new BigDecimal(v.bigIntegerValue());
            }
            if (v.isNumber()) {
                return v.isDouble() || v.isFloat() ? (Double.isFinite(v.doubleValue()) ? BigDecimal.valueOf(v.doubleValue()) : null)
                        : v.decimalValue();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // an exponent beyond BigDecimal's: no number an option takes
            return null;
        }
        return null;
    }

    private static AugurException wrong(String key, String expected, JsonNode v) {
        return Errors.invalidParameter("option " + key + " must be " + expected + ", got " + shown(v));
    }

    /** The value as JSON, abbreviated (a 5,000-digit number is shown by its first digits). */
    public static String shown(JsonNode v) {
        return v == null ? "nothing" : Errors.abbreviate(v.toString(), 40);
    }
}
