package io.cartrecovery.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.config.ComplianceOptions;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.EnrichmentOptions;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision.Outcome;
import io.cartrecovery.profiles.Consent;
import io.cartrecovery.profiles.CustomerProfile;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The contact rules on named cases: timing, caps, consent, zones and settings. */
class ContactPolicyTest {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final ContactPolicy DEFAULTS = JobSettings.defaults().contactPolicy();
    private static final List<Channel> ALL = List.of(Channel.values());

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static CustomerProfile customer(String zone, Map<Channel, Consent> consent) {
        return new CustomerProfile(
                "shop-1",
                "c1",
                "Ana",
                "+34612345678",
                "ana@example.com",
                "es",
                zone,
                consent,
                false,
                3,
                new BigDecimal("300.00"),
                null);
    }

    private static CustomerProfile consenting(String zone, Channel... channels) {
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        for (Channel c : channels) {
            consent.put(c, new Consent(true, at("2026-01-01T00:00:00Z")));
        }
        return customer(zone, consent);
    }

    private static ContactPlan plan(
            ContactPolicy policy, CustomerProfile p, String issued, long slaMinutes) {
        return policy.plan(
                "shop-1",
                "t1",
                p,
                ALL,
                at(issued),
                at(issued) + slaMinutes * MINUTE,
                ContactHistory.EMPTY);
    }

    private static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

    @Test
    void aTaskDueInsideTheWindowIsUnchanged() {
        ContactPlan p =
                plan(
                        DEFAULTS,
                        consenting("Europe/Madrid", Channel.CALL),
                        "2026-11-26T10:10:00Z",
                        20);
        assertThat(p.timing().notBefore()).isNull();
        assertThat(time(p.timing().dueBy())).isEqualTo("2026-11-26T10:30:00Z");
    }

    @Test
    void aTaskIssuedAtNightStartsWhenTheWindowOpensAndKeepsItsTimeToAct() {
        // 23:10 in Madrid: not before 08:00 (07:00Z), due 20 minutes later as it would have been.
        ContactPlan p =
                plan(
                        DEFAULTS,
                        consenting("Europe/Madrid", Channel.CALL),
                        "2026-11-26T22:10:00Z",
                        20);
        assertThat(time(p.timing().notBefore())).isEqualTo("2026-11-27T07:00:00Z");
        assertThat(time(p.timing().dueBy())).isEqualTo("2026-11-27T07:20:00Z");
    }

    @Test
    void aTaskIssuedJustBeforeOpeningButDueInsideOnlyWaitsForTheOpening() {
        // 07:50 Madrid, due 08:10: not before 08:00, still due 08:10.
        ContactPlan p =
                plan(
                        DEFAULTS,
                        consenting("Europe/Madrid", Channel.CALL),
                        "2026-11-27T06:50:00Z",
                        20);
        assertThat(time(p.timing().notBefore())).isEqualTo("2026-11-27T07:00:00Z");
        assertThat(time(p.timing().dueBy())).isEqualTo("2026-11-27T07:10:00Z");
    }

    @Test
    void aTaskThatWouldRunPastClosingWaitsForTheNextOpening() {
        // 20:50 Madrid, due 21:10: the window closes before it is due, so tomorrow 08:00-08:20.
        ContactPlan p =
                plan(
                        DEFAULTS,
                        consenting("Europe/Madrid", Channel.CALL),
                        "2026-11-26T19:50:00Z",
                        20);
        assertThat(time(p.timing().notBefore())).isEqualTo("2026-11-27T07:00:00Z");
        assertThat(time(p.timing().dueBy())).isEqualTo("2026-11-27T07:20:00Z");
    }

    @Test
    void dueByIsCutAtTheEndOfTheOpening() {
        ContactPolicy shortDays =
                policy(Map.of(ComplianceOptions.CONTACT_WINDOW.key(), "08:00-08:10"));
        ContactPlan p =
                plan(shortDays, consenting("UTC", Channel.EMAIL), "2026-11-26T22:00:00Z", 30);
        assertThat(time(p.timing().notBefore())).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(time(p.timing().dueBy())).isEqualTo("2026-11-27T08:09:59.999Z");
    }

    @Test
    void aSecondMessageWithin24HoursWaitsUntilTheCapFrees() {
        CustomerProfile p = consenting("UTC", Channel.EMAIL);
        long first = at("2026-11-26T10:10:00Z");
        ContactPlan one =
                DEFAULTS.plan(
                        "shop-1", "t1", p, ALL, first, first + 20 * MINUTE, ContactHistory.EMPTY);
        ContactHistory history = DEFAULTS.record(ContactHistory.EMPTY, "t1", one, first);

        long second = first + 2 * HOUR;
        ContactPlan two =
                DEFAULTS.plan("shop-1", "t2", p, ALL, second, second + 20 * MINUTE, history);

        assertThat(two.channel()).isEqualTo(Channel.EMAIL);
        assertThat(two.timing().notBefore()).isEqualTo(first + 24 * HOUR);
        assertThat(two.timing().dueBy()).isEqualTo(first + 24 * HOUR + 20 * MINUTE);
    }

    @Test
    void aCappedMessageThatFreesTooLateToFinishWaitsForTheMorning() {
        CustomerProfile p = consenting("UTC", Channel.WHATSAPP);
        long first = at("2026-11-26T20:35:00Z");
        ContactPlan one =
                DEFAULTS.plan(
                        "shop-1", "t1", p, ALL, first, first + 20 * MINUTE, ContactHistory.EMPTY);
        assertThat(one.timing().notBefore()).isNull();
        ContactHistory history = DEFAULTS.record(ContactHistory.EMPTY, "t1", one, first);
        long second = at("2026-11-27T10:00:00Z");
        ContactPlan two =
                DEFAULTS.plan("shop-1", "t2", p, ALL, second, second + 30 * MINUTE, history);
        // The cap frees at 20:35 on the 27th, too late for 30 minutes before 21:00: the 28th.
        assertThat(time(two.timing().notBefore())).isEqualTo("2026-11-28T08:00:00Z");
        assertThat(time(two.timing().dueBy())).isEqualTo("2026-11-28T08:30:00Z");
    }

    @Test
    void callsAllowTwoADayByDefault() {
        CustomerProfile p = consenting("UTC", Channel.CALL);
        ContactHistory history = ContactHistory.EMPTY;
        long t = at("2026-11-26T09:00:00Z");
        Long[] notBefore = new Long[3];
        for (int i = 0; i < 3; i++) {
            long issued = t + i * HOUR;
            ContactPlan plan =
                    DEFAULTS.plan("shop-1", "t" + i, p, ALL, issued, issued + 20 * MINUTE, history);
            history = DEFAULTS.record(history, "t" + i, plan, issued);
            notBefore[i] = plan.timing().notBefore();
        }
        assertThat(notBefore[0]).isNull();
        assertThat(notBefore[1]).isNull();
        assertThat(notBefore[2]).isEqualTo(t + 24 * HOUR);
    }

    @Test
    void aCartAbandonedAgainReplacesItsPendingContactInsteadOfCappingItself() {
        CustomerProfile p = consenting("UTC", Channel.EMAIL);
        // Issued at night: its contact is planned for 08:00.
        long night = at("2026-11-26T23:00:00Z");
        ContactPlan one =
                DEFAULTS.plan(
                        "shop-1", "t1", p, ALL, night, night + 20 * MINUTE, ContactHistory.EMPTY);
        ContactHistory history = DEFAULTS.record(ContactHistory.EMPTY, "t1", one, night);
        // The customer came back and left again before 08:00: the same task is re-issued.
        long again = at("2026-11-27T01:00:00Z");
        ContactPlan reissued =
                DEFAULTS.plan("shop-1", "t1", p, ALL, again, again + 20 * MINUTE, history);
        assertThat(time(reissued.timing().notBefore())).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(DEFAULTS.record(history, "t1", reissued, again).contacts()).hasSize(1);
    }

    @Test
    void aCapSettingCanLiftOrChangeACap() {
        ContactPolicy policy =
                policy(Map.of(ComplianceOptions.CAPS.key(), "email:none,call:1/12h"));
        assertThat(policy.caps()).doesNotContainKey(Channel.EMAIL);
        assertThat(policy.caps().get(Channel.CALL)).isEqualTo(new FrequencyCap(1, 12 * HOUR));
        assertThat(policy.caps().get(Channel.SMS)).isEqualTo(new FrequencyCap(1, 24 * HOUR));
    }

    @Test
    void consentGivenAfterTheContactOrRevokedDoesNotCount() {
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        consent.put(Channel.CALL, new Consent(true, at("2026-12-01T00:00:00Z")));
        consent.put(Channel.WHATSAPP, new Consent(false, at("2026-12-01T00:00:00Z")));
        consent.put(Channel.EMAIL, new Consent(true, null));
        ContactPlan p = plan(DEFAULTS, customer("UTC", consent), "2026-11-26T10:00:00Z", 20);
        assertThat(p.channel()).isEqualTo(Channel.EMAIL);
    }

    @Test
    void doNotContactGetsNothingWhateverTheConsents() {
        CustomerProfile c = consenting("UTC", Channel.values());
        CustomerProfile dnc =
                new CustomerProfile(
                        c.storeId(),
                        c.customerId(),
                        c.name(),
                        c.phone(),
                        c.email(),
                        c.language(),
                        c.timeZone(),
                        c.consent(),
                        true,
                        0,
                        null,
                        null);
        ContactPlan p = plan(DEFAULTS, dnc, "2026-11-26T10:00:00Z", 20);
        assertThat(p.decision().outcome()).isEqualTo(Outcome.DO_NOT_CONTACT);
        assertThat(p.timing()).isNull();
        for (Channel channel : Channel.values()) {
            assertThat(ContactPolicy.permits(dnc, channel, Long.MAX_VALUE)).isFalse();
        }
    }

    @Test
    void anUnknownCustomerGetsNoTask() {
        ContactPolicy policy =
                policy(Map.of(EnrichmentOptions.STORE_TIME_ZONES.key(), "shop-1:Asia/Kathmandu"));
        ContactPlan p = plan(policy, null, "2026-11-26T16:00:00Z", 20);
        assertThat(p.decision().outcome()).isEqualTo(Outcome.UNKNOWN_CUSTOMER);
        assertThat(p.decision().createsTask()).isFalse();
        assertThat(p.channel()).isNull();
        assertThat(p.timeZone()).isEqualTo("Asia/Kathmandu");
        // No contact details, no consent: nobody to contact, so no timing either.
        assertThat(p.timing()).isNull();
    }

    @Test
    void theZoneComesFromProfileThenPhoneThenStore() {
        ContactPolicy policy =
                policy(
                        Map.of(
                                EnrichmentOptions.STORE_TIME_ZONE.key(),
                                "Europe/Lisbon",
                                EnrichmentOptions.STORE_TIME_ZONES.key(),
                                "shop-2:America/Mexico_City"));
        CustomerProfile madridMobile = consenting(null, Channel.CALL);
        assertThat(policy.zoneOf("shop-1", consenting("Asia/Tokyo"))).isEqualTo("Asia/Tokyo");
        // A Spanish mobile number may be in Madrid or the Canaries: not used.
        assertThat(policy.zoneOf("shop-1", madridMobile)).isEqualTo("Europe/Lisbon");
        assertThat(policy.zoneOf("shop-2", madridMobile)).isEqualTo("America/Mexico_City");
        CustomerProfile newYorker =
                new CustomerProfile(
                        "shop-1",
                        "c2",
                        null,
                        "+12125550100",
                        null,
                        null,
                        null,
                        Map.of(),
                        false,
                        0,
                        null,
                        null);
        assertThat(policy.zoneOf("shop-1", newYorker)).isEqualTo("America/New_York");
        assertThat(PhoneTimeZones.zoneOf("+34912345678")).contains("Europe/Madrid");
        assertThat(PhoneTimeZones.zoneOf("+79161234567")).isEmpty();
        assertThat(PhoneTimeZones.zoneOf("+686751234")).isEmpty();
        assertThat(PhoneTimeZones.zoneOf(null)).isEmpty();
    }

    @Test
    void contactWindowSettingsMostSpecificWins() {
        ContactPolicy policy =
                policy(
                        Map.of(
                                ComplianceOptions.CONTACT_WINDOW.key(),
                                "09:00-20:00",
                                ComplianceOptions.CONTACT_WINDOWS.key(),
                                "*.sun:closed,*.sat:'10:00-14:00',shop-1:'08:00-22:00',"
                                        + "shop-1.sunday:closed,shop.2.mon:'12:00-13:00'"));
        ContactWindow any = policy.windowOf("other");
        assertThat(any.days().get(DayOfWeek.MONDAY)).isEqualTo(Hours.parse("09:00-20:00"));
        assertThat(any.days().get(DayOfWeek.SATURDAY)).isEqualTo(Hours.parse("10:00-14:00"));
        assertThat(any.days()).doesNotContainKey(DayOfWeek.SUNDAY);
        ContactWindow shop1 = policy.windowOf("shop-1");
        assertThat(shop1.days().get(DayOfWeek.SATURDAY)).isEqualTo(Hours.parse("08:00-22:00"));
        assertThat(shop1.days()).doesNotContainKey(DayOfWeek.SUNDAY);
        // Store ids may hold dots: the day is the last part.
        ContactWindow shop2 = policy.windowOf("shop.2");
        assertThat(shop2.days().get(DayOfWeek.MONDAY)).isEqualTo(Hours.parse("12:00-13:00"));
        assertThat(shop2.days().get(DayOfWeek.TUESDAY)).isEqualTo(Hours.parse("09:00-20:00"));
        assertThat(shop2.allows(at("2026-11-30T12:30:00Z"), ZoneId.of("UTC"))).isTrue();
    }

    @Test
    void badComplianceSettingsAreRejectedByName() {
        assertThatThrownBy(() -> policy(Map.of(ComplianceOptions.CONTACT_WINDOW.key(), "9-5")))
                .hasMessage("compliance.contact-window: '9-5' is not HH:MM-HH:MM");
        assertThatThrownBy(
                        () ->
                                policy(
                                        Map.of(
                                                ComplianceOptions.CONTACT_WINDOWS.key(),
                                                "*:'08:00-09:00'")))
                .hasMessage("compliance.contact-windows: '*' is not STORE.DAY, STORE or *.DAY");
        assertThatThrownBy(
                        () ->
                                policy(
                                        Map.of(
                                                ComplianceOptions.CONTACT_WINDOWS.key(),
                                                "shop-1:closed")))
                .hasMessage("compliance.contact-windows: store shop-1 is closed");
        assertThatThrownBy(() -> policy(Map.of(ComplianceOptions.CAPS.key(), "fax:1/24h")))
                .hasMessage("compliance.caps: unknown channel 'fax' (call, whatsapp, sms, email)");
        assertThatThrownBy(() -> policy(Map.of(ComplianceOptions.CAPS.key(), "email:0/24h")))
                .hasMessage(
                        "compliance.caps: email: '0/24h' needs at least 1 contact and a positive period");
        assertThatThrownBy(
                        () ->
                                policy(
                                        Map.of(
                                                EnrichmentOptions.STORE_TIME_ZONES.key(),
                                                "shop-1:Mars/Base")))
                .hasMessage("enrichment.store-time-zones: unknown time zone 'Mars/Base'");
    }

    @Test
    void theExampleConfigurationReadsAsDocumented() {
        ContactPolicy policy =
                JobSettings.from(Configs.load(Path.of("../conf/example.yaml"), Map.of()))
                        .contactPolicy();
        assertThat(policy.windowOf("shop-1").days().get(DayOfWeek.SATURDAY))
                .isEqualTo(Hours.parse("10:00-14:00"));
        assertThat(policy.windowOf("shop-2").days()).doesNotContainKey(DayOfWeek.SUNDAY);
        assertThat(policy.caps().get(Channel.CALL)).isEqualTo(new FrequencyCap(2, 24 * HOUR));
        assertThat(policy.zoneOf("shop-2", null)).isEqualTo("Europe/Madrid");
    }

    private static ContactPolicy policy(Map<String, String> settings) {
        return JobSettings.from(Configuration.fromMap(settings)).contactPolicy();
    }
}
