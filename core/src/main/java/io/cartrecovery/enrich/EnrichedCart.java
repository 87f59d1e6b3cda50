package io.cartrecovery.enrich;

import io.cartrecovery.compliance.ContactTiming;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.priority.ContactDecision;

/**
 * An abandoned cart with what enrichment found and decided.
 *
 * @param cart the cart, its {@code contactDecision} set to {@code decision}'s outcome
 * @param timing when the first contact may happen (docs/compliance.md); null without a task
 */
public record EnrichedCart(
        AbandonedCart cart,
        Enrichment enrichment,
        ContactDecision decision,
        ContactTiming timing) {}
