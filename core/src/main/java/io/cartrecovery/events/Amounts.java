package io.cartrecovery.events;

import io.cartrecovery.ingest.Limits;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one range of money from input to ClickHouse (docs/limits.md): at least 0, below {@link
 * Limits#MONEY_LIMIT}, at most {@link Limits#MONEY_SCALE} decimals. Checked at ingest, so no later
 * sum or column (Decimal(18, 4)) meets an amount it cannot hold.
 */
public final class Amounts {
    private Amounts() {}

    private static final int SHOWN_DIGITS = 24;

    /**
     * How close, relative to the amount, a JSON number with more decimals must be to one with
     * {@link Limits#MONEY_SCALE} to be taken for it: a double carries about 16 significant digits,
     * so its noise is far below this, and a real fifth decimal far above.
     */
    private static final BigDecimal FLOAT_NOISE = new BigDecimal("1e-12");

    /**
     * A JSON number as the money it stands for: a tracker that computes prices in floating point
     * writes {@code 19.99 * 3 / 3} as {@code 19.990000000000002}, and that is 19.99, not a price
     * with 15 decimals. Anything else comes back as it is, for {@link #problem} to judge: a real
     * fifth decimal ({@code 0.12345}), or an amount that would round to zero ({@code 1e-30}).
     * Decimal strings are never rounded: they say exactly what they mean.
     */
    public static BigDecimal withoutFloatNoise(BigDecimal number) {
        if (number.scale() <= Limits.MONEY_SCALE) {
            return number;
        }
        BigDecimal rounded = number.setScale(Limits.MONEY_SCALE, RoundingMode.HALF_EVEN);
        if (rounded.signum() == 0) {
            return number;
        }
        BigDecimal noise = number.subtract(rounded).abs();
        return noise.compareTo(number.abs().multiply(FLOAT_NOISE)) <= 0 ? rounded : number;
    }

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
