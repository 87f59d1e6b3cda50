package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.Amounts;
import io.cartrecovery.events.InvalidEventException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Readers of the JSON fields every JSON format has, each kind of field read one way: ids and names
 * ({@link #text}), money ({@link #decimal}, {@link #amount}), whole numbers and quantities. A
 * format passes what is its own: how it words a reason where its wording differs ({@link Reason}),
 * and which forms of a whole number it accepts ({@link WholeNumbers}). Other format rules (GA4's
 * "(not set)", Segment's currency case, the canonical format's sign checks in {@link
 * io.cartrecovery.events.EventValidator}) stay in the decoders.
 *
 * <p>Reasons name the field by the path given, e.g. {@code events[1].params.items[0].price}, so a
 * store can find the broken field in what it sent.
 */
public final class JsonFields {
    private JsonFields() {}

    /** Words the reason for a field that holds the wrong kind of value. */
    @FunctionalInterface
    public interface Reason {
        String of(String path, JsonNode value);
    }

    /**
     * "PATH must be a string": names the field, never its value, which may be personal data (e.g.
     * {@code traits.email}).
     */
    private static final Reason MUST_BE_A_STRING = (path, value) -> path + " must be a string";

    /** "PATH is not a number ('abc')". */
    static final Reason NOT_A_NUMBER =
            (path, value) -> path + " is not a number (" + shown(value) + ")";

    /** "PATH is not a whole number (1.5)". */
    static final Reason NOT_A_WHOLE_NUMBER =
            (path, value) -> path + " is not a whole number (" + shown(value) + ")";

    /** The forms of a whole number a format accepts; larger than a long is never one. */
    public enum WholeNumbers {
        /** A JSON integer: {@code 2}, not {@code 2.0} or {@code "2"}. */
        INTEGER,
        /** A JSON integer or a string holding one: {@code 2} or {@code "2"}, not {@code 2.0}. */
        INTEGER_OR_STRING,
        /** Any JSON number without a fraction: {@code 2} or {@code 2.0}, not {@code "2"}. */
        NUMBER_WITHOUT_FRACTION
    }

    private static final int SHOWN_CHARS = 40;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** Absent, null, or the missing node that {@code path(...)} gives for an absent field. */
    static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /**
     * An id or a name: a string, or a whole number (many trackers send numeric ids). Blank is
     * absent. Reasons read "PATH must be a string".
     */
    public static String text(JsonNode node, String path) throws InvalidEventException {
        return text(node, path, MUST_BE_A_STRING);
    }

    /** {@link #text(JsonNode, String)}, the reason worded by {@code notText}. */
    public static String text(JsonNode node, String path, Reason notText)
            throws InvalidEventException {
        if (absent(node)) {
            return null;
        }
        if (node.isTextual()) {
            String value = node.asText().strip();
            return value.isEmpty() ? null : value;
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        throw new InvalidEventException(notText.of(path, node));
    }

    /** {@link #text(JsonNode, String)}, required: "missing PATH" when absent or blank. */
    public static String requiredText(JsonNode node, String path) throws InvalidEventException {
        return required(text(node, path), path);
    }

    /** A value read by one of the readers here, required: "missing PATH" when there is none. */
    public static <T> T required(T value, String path) throws InvalidEventException {
        if (value == null) {
            throw new InvalidEventException("missing " + path);
        }
        return value;
    }

    /**
     * A decimal, exact as written: a JSON number or a decimal string ({@code "59.90"} keeps its
     * scale). Its sign is not checked; {@link #amount} is money, which never is negative.
     */
    public static BigDecimal decimal(JsonNode node, String path, Reason notANumber)
            throws InvalidEventException {
        if (absent(node)) {
            return null;
        }
        if (node.isNumber()) {
            // A JSON number may come from a double: its float noise is not a decimal of its own.
            return node.isFloatingPointNumber()
                    ? Amounts.withoutFloatNoise(node.decimalValue())
                    : node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.asText().strip());
            } catch (NumberFormatException e) {
                // Reported below like any other value that is no number.
            }
        }
        throw new InvalidEventException(notANumber.of(path, node));
    }

    /**
     * Money, exact as written ({@link #decimal}), never negative: "PATH is not a number ('abc')",
     * "PATH is negative (-2)".
     */
    static BigDecimal amount(JsonNode node, String path) throws InvalidEventException {
        BigDecimal value = decimal(node, path, NOT_A_NUMBER);
        if (value != null && value.signum() < 0) {
            throw new InvalidEventException(path + " is negative (" + Amounts.shown(value) + ")");
        }
        return value;
    }

    /** A whole number in one of the {@code accepted} forms: "PATH is not a whole number (1.5)". */
    static Long wholeNumber(JsonNode node, String path, WholeNumbers accepted)
            throws InvalidEventException {
        return wholeNumber(node, path, accepted, NOT_A_WHOLE_NUMBER);
    }

    /**
     * {@link #wholeNumber(JsonNode, String, WholeNumbers)}, the reason worded by {@code notWhole}.
     */
    public static Long wholeNumber(
            JsonNode node, String path, WholeNumbers accepted, Reason notWhole)
            throws InvalidEventException {
        if (absent(node)) {
            return null;
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return node.longValue();
            }
        } else if (node.isNumber()) {
            if (accepted == WholeNumbers.NUMBER_WITHOUT_FRACTION) {
                try {
                    return node.decimalValue().longValueExact();
                } catch (ArithmeticException e) {
                    // A fraction, or too large: reported below.
                }
            }
        } else if (node.isTextual() && accepted == WholeNumbers.INTEGER_OR_STRING) {
            try {
                return Long.parseLong(node.asText().strip());
            } catch (NumberFormatException e) {
                // Reported below like any other value that is no whole number.
            }
        }
        throw new InvalidEventException(notWhole.of(path, node));
    }

    /**
     * A line's quantity: a whole number in one of the {@code accepted} forms from 0 to {@link
     * Integer#MAX_VALUE}, 1 when absent. "PATH is negative (-1)", "PATH is too large (N)".
     */
    static int quantity(JsonNode node, String path, WholeNumbers accepted)
            throws InvalidEventException {
        Long quantity = wholeNumber(node, path, accepted);
        if (quantity == null) {
            return 1;
        }
        if (notNegative(quantity, path) > Integer.MAX_VALUE) {
            throw new InvalidEventException(path + " is too large (" + quantity + ")");
        }
        return quantity.intValue();
    }

    /** The value, unless negative: "PATH is negative (-1)". */
    static long notNegative(long value, String path) throws InvalidEventException {
        if (value < 0) {
            throw new InvalidEventException(path + " is negative (" + value + ")");
        }
        return value;
    }

    /**
     * A value as a one-line reason shows it: strings quoted and cut after 40 characters, control
     * characters hidden, arrays and objects named. Never used on personal data (traits).
     */
    static String shown(JsonNode node) {
        if (node.isContainerNode()) {
            return node.isArray() ? "an array" : "an object";
        }
        String text = node.asText();
        if (text.length() > SHOWN_CHARS) {
            text = text.substring(0, SHOWN_CHARS) + "...";
        }
        text = CONTROL.matcher(text).replaceAll("?");
        return node.isTextual() ? "'" + text + "'" : text;
    }
}
