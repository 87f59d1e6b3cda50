package io.cartrecovery.enrich;

import io.cartrecovery.priority.Priority;
import io.cartrecovery.profiles.CustomerProfile;
import java.io.Serializable;

/**
 * What the pipeline adds to an abandoned cart before planning a task.
 *
 * @param profile the customer's profile, or null for an anonymous or unknown customer
 * @param timeZone the customer's IANA zone: the profile's, else the phone number's, else the
 *     store's configured zone (docs/compliance.md)
 * @param priority the cart's score, probability, expected value and tier
 */
public record Enrichment(CustomerProfile profile, String timeZone, Priority priority)
        implements Serializable {}
