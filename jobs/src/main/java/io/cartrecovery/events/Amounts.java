package io.cartrecovery.events;

import io.cartrecovery.ingest.Limits;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The one range of money from input to ClickHouse (docs/limits.md): at least 0, below {@link
 * Limits#MONEY_LIMIT}, at most {@link Limits#MONEY_SCALE} decimals. Checked at ingest, so no later
 * sum or column (Decimal(18, 4)) meets an amount it cannot hold.
 */
public final class Amounts {
    private Amounts() {}

    private static final int SHOWN_DIGITS = 24;

    /**
     * Why an amount that is not negative is out of the range, or null when it is in it.
     *
     * @param path the field, as the record names it
     */
    public static String problem(BigDecimal amount, String path) {
        if (amount.compareTo(Limits.MONEY_LIMIT) >= 0) {
            return path
                    + " out of range ("
                    + shown(amount)
                    + "): money must be below "
                    + Limits.MONEY_LIMIT.toPlainString();
        }
        if (amount.signum() != 0 && amount.stripTrailingZeros().scale() > Limits.MONEY_SCALE) {
            return path
                    + " has more than "
                    + Limits.MONEY_SCALE
                    + " decimals ("
                    + shown(amount)
                    + ")";
        }
        return null;
    }

    /**
     * An amount as a reason shows it: plain when short, else in scientific notation, so that {@code
     * 1e999999999} never turns into a billion digits.
     */
    public static String shown(BigDecimal amount) {
        int integerDigits = amount.precision() - amount.scale();
        if (integerDigits <= SHOWN_DIGITS
                && amount.scale() <= SHOWN_DIGITS
                && amount.precision() <= SHOWN_DIGITS) {
            return amount.toPlainString();
        }
        return amount.round(new MathContext(SHOWN_DIGITS)).toString();
    }
}
