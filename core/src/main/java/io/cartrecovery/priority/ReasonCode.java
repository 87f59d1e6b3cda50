package io.cartrecovery.priority;

import java.io.Serializable;

/**
 * One input's share of a priority score.
 *
 * @param code what moved the score, e.g. {@code cart_value}, {@code stage_payment}
 * @param points how much it added (never negative: every input can only raise priority)
 */
public record ReasonCode(String code, int points) implements Serializable {}
