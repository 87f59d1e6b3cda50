package io.cartrecovery.enrich;

import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.profiles.CustomerProfileJson;

/**
 * Fills a profile's missing name, e-mail and phone from identify events (docs/profiles.md). The
 * profile always wins, and consent comes from the profile alone: details the shopper typed into
 * checkout make a channel reachable, never consented.
 */
final class IdentifiedContact {
    private IdentifiedContact() {}

    /**
     * @return the profile with its blank contact fields taken from {@code details}; a phone that is
     *     not E.164 or an e-mail without '@' is not taken (a dialer cannot use it). Null when there
     *     is no profile: without one there is no consent to contact anyone.
     */
    static CustomerProfile fill(CustomerProfile profile, ContactDetails details) {
        if (profile == null || details == null) {
            return profile;
        }
        String name = blank(profile.name()) ? clean(details.name()) : profile.name();
        String email = profile.email();
        if (blank(email) && details.email() != null && details.email().strip().indexOf('@') > 0) {
            email = details.email().strip();
        }
        String phone = profile.phone();
        if (blank(phone) && CustomerProfileJson.isE164(clean(details.phone()))) {
            phone = clean(details.phone());
        }
        if (name == profile.name() && email == profile.email() && phone == profile.phone()) {
            return profile;
        }
        return new CustomerProfile(
                profile.storeId(),
                profile.customerId(),
                name,
                phone,
                email,
                profile.language(),
                profile.timeZone(),
                profile.consent(),
                profile.doNotContact(),
                profile.orderCount(),
                profile.lifetimeValue(),
                profile.lastOrderAt());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String clean(String s) {
        return blank(s) ? null : s.strip();
    }
}
