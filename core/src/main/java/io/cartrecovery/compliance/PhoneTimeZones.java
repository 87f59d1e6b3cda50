package io.cartrecovery.compliance;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A customer's time zone from their phone number, with Google's libphonenumber (the {@code
 * geocoder} artifact's {@link PhoneNumberToTimeZonesMapper}). Only an answer of exactly one real
 * zone is used: a Spanish mobile number may be in Madrid or the Canaries, a Russian one in any of
 * eleven zones, and guessing there would put a call at the wrong hour.
 */
public final class PhoneTimeZones {
    private PhoneTimeZones() {}

    /**
     * @param e164 a phone number in E.164 form, or null
     * @return the IANA zone id, or empty when the number is unknown, invalid, or spans several
     *     zones
     */
    public static Optional<String> zoneOf(String e164) {
        if (e164 == null || e164.isBlank()) {
            return Optional.empty();
        }
        PhoneNumber number;
        try {
            number = PhoneNumberUtil.getInstance().parse(e164, null);
        } catch (NumberParseException e) {
            return Optional.empty();
        }
        List<String> zones =
                PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number);
        if (zones.size() != 1
                || zones.get(0).equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(zones.get(0)).getId());
        } catch (DateTimeException e) {
            // A zone id the JDK does not know (newer tz data in the library): not a real zone here.
            return Optional.empty();
        }
    }
}
