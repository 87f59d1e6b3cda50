package io.cartrecovery.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision.Outcome;
import io.cartrecovery.profiles.Consent;
import io.cartrecovery.profiles.CustomerProfile;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The compliance guarantees over generated customers, zones, windows, caps and sequences of
 * contacts: no channel without consent, nothing for do-not-contact customers, every task's span
 * inside one opening of the window in the customer's zone, caps never exceeded.
 */
class ContactPolicyPropertyTest {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** 2024-01-01 to 2028-01-01: several DST seasons of every zone. */
    private static final long FROM = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    private static final long UNTIL = Instant.parse("2028-01-01T00:00:00Z").toEpochMilli();

    static final List<String> ZONES =
            List.of(
                    "UTC",
                    "Europe/Madrid",
                    "Europe/London",
                    "America/New_York",
                    "America/Santiago",
                    "America/St_Johns",
                    "Australia/Lord_Howe",
                    "Pacific/Chatham",
                    "Pacific/Kiritimati",
                    "Pacific/Apia",
                    "Asia/Kathmandu",
                    "Asia/Kolkata",
                    "Africa/Casablanca");

    /** Numbers with one zone, several zones, and none (invalid). */
    static final List<String> PHONES =
            List.of(
                    "+34912345678",
                    "+34612345678",
                    "+12125550100",
                    "+13105550100",
                    "+61291234567",
                    "+79161234567",
                    "+686751234",
                    "+9771234567");

    record Moment(long issuedAt, long dueAt) {}

    record Step(long afterPrevious, long span, boolean reissue, List<Channel> channels) {}

    /** Whether every minute of {@code [t, t + span)} and its last moment are allowed. */
    private static boolean fitsFrom(ContactWindow window, ZoneId zone, long t, long span) {
        for (long u = t; u < t + span; u += MINUTE) {
            if (!window.allows(u, zone)) {
                return false;
            }
        }
        return span == 0 || window.allows(t + span - 1, zone);
    }

    // --- properties -------------------------------------------------------------------------

    @Property(tries = 1000)
    void everyPlanObeysConsentDoNotContactAndTheWindow(
            @ForAll("policies") ContactPolicy policy,
            @ForAll("profiles") CustomerProfile profile,
            @ForAll("moments") Moment moment,
            @ForAll("channelOrders") List<Channel> channels) {
        ContactPlan plan =
                policy.plan(
                        "shop-1",
                        "task-1",
                        profile,
                        channels,
                        moment.issuedAt(),
                        moment.dueAt(),
                        ContactHistory.EMPTY);
        checkPlan(policy, profile, channels, moment.issuedAt(), moment.dueAt(), plan);
        if (plan.timing() != null && plan.timing().notBefore() != null) {
            // Without earlier contacts only the window moves a task: not_before is the first
            // allowed moment after the due moment (or after the issue, when due inside) from
            // which the task's time (due - issued) fits in the open period. An allowed moment
            // passed over must be one where it does not fit.
            long notBefore = plan.timing().notBefore();
            long from = notBefore >= moment.dueAt() ? moment.dueAt() : moment.issuedAt();
            long span = moment.dueAt() - moment.issuedAt();
            ZoneId zone = ZoneId.of(plan.timeZone());
            ContactWindow window = policy.windowOf("shop-1");
            for (long t = (from / MINUTE + 1) * MINUTE; t < notBefore; t += MINUTE) {
                if (window.allows(t, zone)) {
                    assertThat(fitsFrom(window, zone, t, span))
                            .as("skipped %s although the task fits", Instant.ofEpochMilli(t))
                            .isFalse();
                }
            }
        }
        Statistics.collect(
                plan.decision().outcome(),
                plan.timing() == null
                        ? "no task"
                        : plan.timing().notBefore() == null ? "at once" : "not_before");
    }

    @Property(tries = 200)
    void unknownCustomersGetNoTask(
            @ForAll("policies") ContactPolicy policy, @ForAll("moments") Moment moment) {
        ContactPlan plan =
                policy.plan(
                        "shop-1",
                        "task-1",
                        null,
                        List.of(Channel.values()),
                        moment.issuedAt(),
                        moment.dueAt(),
                        ContactHistory.EMPTY);
        assertThat(plan.decision().outcome()).isEqualTo(Outcome.UNKNOWN_CUSTOMER);
        assertThat(plan.channel()).isNull();
        assertThat(plan.timeZone()).isEqualTo(policy.zoneOf("shop-1", null));
        assertThat(plan.timing()).isNull();
    }

    @Property(tries = 200)
    void sequencesOfContactsNeverExceedACap(
            @ForAll("policies") ContactPolicy policy,
            @ForAll("consentingProfiles") CustomerProfile profile,
            @ForAll("moments") Moment first,
            @ForAll("steps") List<Step> steps) {
        ContactHistory history = ContactHistory.EMPTY;
        Map<Channel, List<Long>> planned = new EnumMap<>(Channel.class);
        Map<String, Long> pendingByTask = new java.util.HashMap<>();
        Map<String, Channel> channelByTask = new java.util.HashMap<>();
        long issued = first.issuedAt();
        int task = 0;
        for (Step step : steps) {
            issued += step.afterPrevious();
            String taskId = step.reissue() && task > 0 ? "task-" + task : "task-" + ++task;
            long due = issued + step.span();
            ContactPlan plan =
                    policy.plan("shop-1", taskId, profile, step.channels(), issued, due, history);
            checkPlan(policy, profile, step.channels(), issued, due, plan);
            // A re-issued task whose contact had not happened yet replaces it.
            Long pending = pendingByTask.remove(taskId);
            if (pending != null && pending > issued) {
                planned.get(channelByTask.get(taskId)).remove(pending);
            }
            if (plan.channel() != null) {
                long at = plan.timing().contactAt();
                planned.computeIfAbsent(plan.channel(), c -> new ArrayList<>()).add(at);
                pendingByTask.put(taskId, at);
                channelByTask.put(taskId, plan.channel());
            }
            history = policy.record(history, taskId, plan, issued);
            Statistics.label("moved")
                    .collect(plan.timing() != null && plan.timing().notBefore() != null);
        }
        planned.forEach(
                (channel, moments) -> {
                    FrequencyCap cap = policy.caps().get(channel);
                    if (cap == null) {
                        return;
                    }
                    for (long start : moments) {
                        long inWindow =
                                moments.stream()
                                        .filter(m -> m >= start && m < start + cap.periodMillis())
                                        .count();
                        assertThat(inWindow)
                                .as("%s contacts on %s from %s", inWindow, channel, start)
                                .isLessThanOrEqualTo(cap.max());
                    }
                });
    }

    @Property(tries = 300)
    void nextAllowedIsTheFirstAllowedMoment(
            @ForAll("windows") ContactWindow window,
            @ForAll("zones") String zoneId,
            @ForAll("instants") long from) {
        ZoneId zone = ZoneId.of(zoneId);
        long next = window.nextAllowed(from, zone);
        assertThat(next).isGreaterThanOrEqualTo(from);
        assertThat(window.allows(next, zone)).isTrue();
        // Offsets are whole minutes and hours start and end on minutes: whether a moment is
        // allowed is constant within a minute, so checking every minute boundary is exhaustive.
        for (long t = (from / MINUTE + 1) * MINUTE; t < next; t += MINUTE) {
            assertThat(window.allows(t, zone))
                    .as("allowed at %s", Instant.ofEpochMilli(t))
                    .isFalse();
        }
        long end = window.openingEnd(next, zone);
        if (end == Long.MAX_VALUE) {
            assertThat(window.days())
                    .hasSize(7)
                    .allSatisfy((d, h) -> assertThat(h).isEqualTo(new Hours(0, 1440)));
            return;
        }
        assertThat(window.allows(end, zone)).isFalse();
        for (long t = (next / MINUTE + 1) * MINUTE; t < end; t += MINUTE) {
            assertThat(window.allows(t, zone)).as("closed at %s", Instant.ofEpochMilli(t)).isTrue();
        }
    }

    // --- checks -----------------------------------------------------------------------------

    private static void checkPlan(
            ContactPolicy policy,
            CustomerProfile profile,
            List<Channel> channels,
            long issuedAt,
            long dueAt,
            ContactPlan plan) {
        if (profile.doNotContact()) {
            assertThat(plan.decision().outcome()).isEqualTo(Outcome.DO_NOT_CONTACT);
            assertThat(plan.timing()).isNull();
            return;
        }
        boolean anyPermitted =
                channels.stream().anyMatch(c -> ContactPolicy.permits(profile, c, issuedAt));
        if (!anyPermitted) {
            assertThat(plan.decision().outcome()).isEqualTo(Outcome.NO_CONSENTED_CHANNEL);
            assertThat(plan.channel()).isNull();
            assertThat(plan.timing()).isNull();
            return;
        }
        Channel channel = plan.channel();
        assertThat(channel).isNotNull();
        Consent consent = profile.consent().get(channel);
        assertThat(consent.granted()).isTrue();
        assertThat(consent.at() == null || consent.at() <= issuedAt).isTrue();
        assertThat(channel == Channel.EMAIL ? profile.email() : profile.phone()).isNotBlank();
        // The first permitted channel of the order: a cap delays, it never switches channel.
        assertThat(channel)
                .isEqualTo(
                        channels.stream()
                                .filter(c -> ContactPolicy.permits(profile, c, issuedAt))
                                .findFirst()
                                .orElseThrow());
        checkTiming(policy, plan, issuedAt, dueAt);
    }

    private static void checkTiming(
            ContactPolicy policy, ContactPlan plan, long issuedAt, long dueAt) {
        ContactWindow window = policy.windowOf("shop-1");
        ZoneId zone = ZoneId.of(plan.timeZone());
        ContactTiming timing = plan.timing();
        long start = timing.notBefore() == null ? issuedAt : timing.notBefore();
        assertThat(start).isEqualTo(timing.contactAt());
        assertThat(start).isGreaterThanOrEqualTo(issuedAt);
        if (timing.notBefore() != null) {
            assertThat(timing.notBefore()).isGreaterThan(issuedAt);
        }
        assertThat(timing.dueBy()).isGreaterThanOrEqualTo(start);
        // The whole span from start to due_by lies in one opening, in the customer's zone.
        assertThat(window.allows(start, zone)).as("start inside the window").isTrue();
        assertThat(window.openingEnd(start, zone)).isGreaterThan(timing.dueBy());
        if (window.allows(issuedAt, zone)
                && dueAt >= issuedAt
                && window.openingEnd(issuedAt, zone) > dueAt
                && timing.notBefore() == null) {
            assertThat(timing.dueBy()).isEqualTo(dueAt);
        }
        if (timing.notBefore() != null && timing.dueBy() != dueAt) {
            // Moved: the task starts no earlier than its due moment.
            assertThat(timing.notBefore()).isGreaterThanOrEqualTo(dueAt);
        }
    }

    // --- generators -------------------------------------------------------------------------

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of(ZONES);
    }

    @Provide
    Arbitrary<Long> instants() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(FROM, UNTIL),
                // Near a daylight-saving transition of some zone.
                Combinators.combine(
                                zones(),
                                Arbitraries.longs().between(FROM, UNTIL),
                                Arbitraries.longs().between(-30 * HOUR, 30 * HOUR))
                        .as(
                                (zone, t, offset) -> {
                                    ZoneOffsetTransition next =
                                            ZoneId.of(zone)
                                                    .getRules()
                                                    .nextTransition(Instant.ofEpochMilli(t));
                                    return next == null
                                            ? t
                                            : next.getInstant().toEpochMilli() + offset;
                                }));
    }

    @Provide
    Arbitrary<Moment> moments() {
        return Combinators.combine(instants(), Arbitraries.longs().between(0, 6 * HOUR))
                .as((t, span) -> new Moment(t, t + span));
    }

    @Provide
    Arbitrary<Hours> hours() {
        return Arbitraries.oneOf(
                Arbitraries.just(new Hours(8 * 60, 21 * 60)),
                Combinators.combine(
                                Arbitraries.integers().between(0, 1439),
                                Arbitraries.integers().between(1, 1440))
                        .as((start, length) -> new Hours(start, Math.min(1440, start + length))));
    }

    @Provide
    Arbitrary<ContactWindow> windows() {
        return hours().injectNull(0.25)
                .list()
                .ofSize(7)
                .filter(days -> days.stream().anyMatch(h -> h != null))
                .map(
                        days -> {
                            Map<DayOfWeek, Hours> map = new EnumMap<>(DayOfWeek.class);
                            for (int i = 0; i < 7; i++) {
                                if (days.get(i) != null) {
                                    map.put(DayOfWeek.of(i + 1), days.get(i));
                                }
                            }
                            return new ContactWindow(map);
                        });
    }

    @Provide
    Arbitrary<FrequencyCap> caps() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 3),
                        Arbitraries.of(HOUR, 6 * HOUR, DAY, 2 * DAY, 7 * DAY))
                .as(FrequencyCap::new);
    }

    @Provide
    Arbitrary<ContactPolicy> policies() {
        Arbitrary<Map<Channel, FrequencyCap>> caps =
                caps().injectNull(0.2)
                        .list()
                        .ofSize(Channel.values().length)
                        .map(
                                list -> {
                                    Map<Channel, FrequencyCap> map = new EnumMap<>(Channel.class);
                                    for (Channel c : Channel.values()) {
                                        if (list.get(c.ordinal()) != null) {
                                            map.put(c, list.get(c.ordinal()));
                                        }
                                    }
                                    return map;
                                });
        return Combinators.combine(windows(), windows(), caps, zones())
                .as(
                        (fallback, store, capMap, zone) ->
                                new ContactPolicy(
                                        fallback,
                                        Map.of("shop-1", store),
                                        capMap,
                                        "UTC",
                                        Map.of("shop-1", zone)));
    }

    private Arbitrary<Consent> consents(boolean consenting) {
        // Mostly given or revoked in the past; some in the future of the contact.
        Arbitrary<Long> at =
                Arbitraries.frequencyOf(
                                Tuple.of(7, Arbitraries.longs().between(FROM - 365 * DAY, FROM)),
                                Tuple.of(3, Arbitraries.longs().between(FROM, UNTIL)))
                        .injectNull(0.2);
        return consenting
                ? Combinators.combine(Arbitraries.just(true), at).as(Consent::new)
                : Combinators.combine(Arbitraries.of(true, false), at).as(Consent::new);
    }

    private Arbitrary<CustomerProfile> profiles(boolean consenting) {
        Arbitrary<Map<Channel, Consent>> consent =
                consents(consenting)
                        .injectNull(consenting ? 0 : 0.3)
                        .list()
                        .ofSize(Channel.values().length)
                        .map(
                                list -> {
                                    Map<Channel, Consent> map = new EnumMap<>(Channel.class);
                                    for (Channel c : Channel.values()) {
                                        if (list.get(c.ordinal()) != null) {
                                            map.put(c, list.get(c.ordinal()));
                                        }
                                    }
                                    return map;
                                });
        return Combinators.combine(
                        consent,
                        Arbitraries.of(PHONES).injectNull(consenting ? 0 : 0.2),
                        Arbitraries.just("ana@example.com").injectNull(consenting ? 0 : 0.2),
                        zones().injectNull(0.5),
                        consenting
                                ? Arbitraries.just(false)
                                : Arbitraries.integers().between(0, 9).map(i -> i == 0))
                .as(
                        (c, phone, email, zone, dnc) ->
                                new CustomerProfile(
                                        "shop-1",
                                        "c1",
                                        "Ana",
                                        phone,
                                        email,
                                        "es",
                                        zone,
                                        c,
                                        dnc,
                                        2,
                                        new BigDecimal("100.00"),
                                        null));
    }

    @Provide
    Arbitrary<CustomerProfile> profiles() {
        return profiles(false);
    }

    /** Consent (given at any time) on every channel and every address: caps are what is tested. */
    @Provide
    Arbitrary<CustomerProfile> consentingProfiles() {
        return profiles(true)
                .map(
                        p -> {
                            Map<Channel, Consent> always = new EnumMap<>(Channel.class);
                            p.consent()
                                    .keySet()
                                    .forEach(c -> always.put(c, new Consent(true, null)));
                            return new CustomerProfile(
                                    p.storeId(),
                                    p.customerId(),
                                    p.name(),
                                    p.phone(),
                                    p.email(),
                                    p.language(),
                                    p.timeZone(),
                                    always,
                                    false,
                                    p.orderCount(),
                                    p.lifetimeValue(),
                                    p.lastOrderAt());
                        });
    }

    @Provide
    Arbitrary<List<Channel>> channelOrders() {
        return Arbitraries.of(Channel.values()).list().ofMinSize(1).ofMaxSize(4).uniqueElements();
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(
                        Arbitraries.longs().between(0, 30 * HOUR),
                        Arbitraries.longs().between(0, 2 * HOUR),
                        Arbitraries.of(false, false, false, true),
                        channelOrders())
                .as(Step::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(12);
    }
}
