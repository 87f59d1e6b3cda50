package io.cartrecovery.enrich;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.priority.ContactDecision;

/**
 * An abandoned cart with what enrichment found and decided.
 *
 * @param cart the cart, its {@code contactDecision} set to {@code decision}'s outcome
 */
public record EnrichedCart(AbandonedCart cart, Enrichment enrichment, ContactDecision decision) {}
