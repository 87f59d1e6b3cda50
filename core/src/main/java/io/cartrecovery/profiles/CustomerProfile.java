package io.cartrecovery.profiles;

import io.cartrecovery.priority.Channel;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Map;

/**
 * What the store knows about a customer (docs/profiles.md). Personal fields (name, phone, email) go
 * to contact tasks only, never to logs, metrics or ClickHouse.
 *
 * @param storeId the store
 * @param customerId the store's customer id
 * @param name display name, or null
 * @param phone E.164 phone number, or null
 * @param email e-mail address, or null
 * @param language BCP 47 language tag, or null
 * @param timeZone IANA zone id, or null
 * @param consent per channel; a channel missing here has no consent
 * @param doNotContact true: no task at all, whatever the consents say
 * @param orderCount orders placed so far
 * @param lifetimeValue sum of past orders, exact, or null when unknown
 * @param lastOrderAt epoch millis UTC of the last order, or null
 */
public record CustomerProfile(
        String storeId,
        String customerId,
        String name,
        String phone,
        String email,
        String language,
        String timeZone,
        Map<Channel, Consent> consent,
        boolean doNotContact,
        int orderCount,
        BigDecimal lifetimeValue,
        Long lastOrderAt)
        implements Serializable {

    public CustomerProfile {
        consent = Map.copyOf(consent);
    }

    public boolean consents(Channel channel) {
        return consent.getOrDefault(channel, Consent.NONE).granted();
    }

    /** Whether the profile holds the address a channel needs. */
    public boolean reachableBy(Channel channel) {
        String address = channel == Channel.EMAIL ? email : phone;
        return address != null && !address.isBlank();
    }
}
