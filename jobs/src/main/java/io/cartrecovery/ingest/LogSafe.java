package io.cartrecovery.ingest;

/**
 * Values from input as a log line may show them: control characters escaped ({@code \n} as the two
 * characters {@code \\n}), so that a store id with a newline cannot forge a log line, and long
 * values cut. Ingest already rejects ids with control characters (TextChecks); this guards every
 * other way a value reaches a log, such as a database's error message quoting a row.
 */
public final class LogSafe {
    private LogSafe() {}

    static final int MAX_CHARS = 500;

    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        boolean cut = text.length() > MAX_CHARS;
        if (cut) {
            text = text.substring(0, MAX_CHARS);
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c)
                            || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return cut ? out.append("...").toString() : out.toString();
    }
}
