package io.cartrecovery.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a value of a panel reads on the report: counts with thousands separators, money to the cent,
 * shares as percentages, seconds as minutes and seconds. The same rules as the boards' units
 * ({@code percentunit}, {@code s}) for fractions; table columns carry no unit there, so their names
 * decide.
 */
final class Cells {
    static final String NO_VALUE = "–";
    private static final Pattern PERCENT_NAME =
            Pattern.compile("(^|_)(rate|share|lift)$|within_30_min|^contacted_group$|^holdout$");

    private Cells() {}

    /** What kind of number a column holds, from its name, its type and the panel's unit. */
    enum Kind {
        TEXT,
        TIME,
        COUNT,
        MONEY,
        PERCENT,
        SECONDS,
        NUMBER;

        static Kind of(PanelRows.Column column, String panelUnit) {
            if (column.time()) {
                return TIME;
            }
            if (!column.numeric()) {
                return TEXT;
            }
            String name = column.name();
            boolean fraction = column.baseType().startsWith("Float");
            if (name.contains("seconds") || (fraction && "s".equals(panelUnit))) {
                return SECONDS;
            }
            if (PERCENT_NAME.matcher(name).find()
                    || (fraction && "percentunit".equals(panelUnit))) {
                return PERCENT;
            }
            if (column.baseType().startsWith("Decimal")) {
                return MONEY;
            }
            if (fraction) {
                return NUMBER;
            }
            return COUNT;
        }
    }

    static String format(JsonNode value, Kind kind) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NO_VALUE;
        }
        String text = value.asText();
        switch (kind) {
            case TEXT:
            case TIME:
                return text;
            default:
                break;
        }
        BigDecimal number;
        try {
            number = new BigDecimal(text);
        } catch (NumberFormatException e) {
            return text; // nan, inf: as ClickHouse says it
        }
        return switch (kind) {
            case COUNT -> grouped(number, 0);
            case MONEY, NUMBER -> grouped(number, 2);
            case PERCENT ->
                    number.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).toPlainString()
                            + "%";
            case SECONDS -> duration(number);
            default -> text;
        };
    }

    /** Seconds as {@code 1 h 5 min}, {@code 22 min 30 s} or {@code 45 s}, to the second. */
    static String duration(BigDecimal seconds) {
        long s = seconds.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        String sign = s < 0 ? "-" : "";
        s = Math.abs(s);
        if (s >= 3600) {
            return sign + (s / 3600) + " h " + (s % 3600 / 60) + " min";
        }
        if (s >= 60) {
            return sign + (s / 60) + " min " + (s % 60) + " s";
        }
        return sign + s + " s";
    }

    private static String grouped(BigDecimal number, int decimals) {
        DecimalFormat format =
                new DecimalFormat(
                        decimals == 0 ? "#,##0" : "#,##0.00",
                        DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_EVEN);
        return format.format(number);
    }
}
