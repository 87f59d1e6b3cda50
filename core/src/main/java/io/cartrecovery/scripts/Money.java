package io.cartrecovery.scripts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * Amounts as a customer reads them in their language: the currency's symbol and digits, never
 * rounded (an amount with more decimals than its currency shows them all).
 */
final class Money {
    private Money() {}

    /**
     * @return the formatted amount, or null without an amount or currency (a template then says
     *     nothing about money rather than a bare number)
     */
    static String format(BigDecimal amount, String currency, Locale locale) {
        if (amount == null || currency == null) {
            return null;
        }
        Currency unit;
        try {
            unit = Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            return amount.toPlainString() + " " + currency;
        }
        DecimalFormat format = (DecimalFormat) NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(unit);
        int digits = Math.max(0, unit.getDefaultFractionDigits());
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(Math.max(digits, amount.stripTrailingZeros().scale()));
        format.setRoundingMode(RoundingMode.UNNECESSARY);
        return format.format(amount);
    }
}
