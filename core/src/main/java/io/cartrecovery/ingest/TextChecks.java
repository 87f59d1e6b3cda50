package io.cartrecovery.ingest;

/**
 * The checks on text from any input (docs/limits.md). Ids go into keys, facts and log lines: no
 * control characters (a newline would forge a log line), a bounded length. Names, e-mail addresses
 * and phone numbers are bounded too. Both must be valid Unicode: a JSON escape such as {@code
 * \ud800} yields a string no UTF-8 writer can write back, so the tasks and dead letters downstream
 * would fail on it. Reasons name the field, never its value (it may be personal data).
 */
public final class TextChecks {
    private TextChecks() {}

    /** Why {@code value} is no acceptable id, or null when it is one (or absent). */
    public static String id(String value, String field) {
        if (value == null) {
            return null;
        }
        if (value.length() > Limits.MAX_ID_CHARS) {
            return field + " longer than " + Limits.MAX_ID_CHARS + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return field + " contains a control character";
            }
        }
        return unicode(value, field);
    }

    /** Why {@code value} is no acceptable name (or e-mail, phone), or null when it is one. */
    public static String name(String value, String field) {
        if (value == null) {
            return null;
        }
        if (value.length() > Limits.MAX_NAME_CHARS) {
            return field + " longer than " + Limits.MAX_NAME_CHARS + " characters";
        }
        return unicode(value, field);
    }

    private static String unicode(String value, String field) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return field + " is not valid Unicode (an unpaired surrogate)";
            }
        }
        return null;
    }
}
