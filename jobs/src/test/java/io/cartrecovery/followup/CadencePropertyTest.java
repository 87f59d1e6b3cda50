package io.cartrecovery.followup;

import static io.cartrecovery.followup.CadenceRun.DAY;
import static io.cartrecovery.followup.CadenceRun.GAP;
import static io.cartrecovery.followup.CadenceRun.HOUR;
import static io.cartrecovery.followup.CadenceRun.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.compliance.ContactWindow;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.followup.CadenceRun.Made;
import io.cartrecovery.followup.CadenceRun.Rules;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.Tier;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The cadence's promise over generated customers, through the real follow-up operator with no
 * outcome ever (the worst case: nothing ends a sequence early): for every consented channel mix,
 * tier, zone (DST, far and odd offsets), abandonment moment (half of them days before a DST
 * transition) and set of caps, with the default cadence and contact window,
 *
 * <ul>
 *   <li>no attempt is withdrawn before it could be made: each ends (expires) no earlier than its
 *       {@code due_by}, and its time to act {@code [not_before, due_by]} lies in the window;
 *   <li>the first contact is the first moment the rules allow (the cadence does not delay it);
 *   <li>2 to 4 follow-ups, each issued within 72 h of the first contact moment, the last one made
 *       at least 48 h after abandonment: "first contact within 30 minutes (of the window opening),
 *       then 2-4 more attempts over 48-72 h";
 *   <li>two contacts are never closer than the steps' spacing (the 4 h step less the 10-minute
 *       gap): waiting never bunches attempts together.
 * </ul>
 *
 * Other windows (closed days, short hours) keep the first guarantee: {@link
 * #noAttemptIsWithdrawnBeforeItCouldBeMadeWhateverTheWindow}.
 */
class CadencePropertyTest {
    private static final long FROM = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long UNTIL = Instant.parse("2028-01-01T00:00:00Z").toEpochMilli();

    /** The caps under test: the defaults, none, every channel once a day, calls once a day. */
    private static final List<Map<String, String>> CAPS =
            List.of(
                    Map.of(),
                    Map.of("compliance.caps", "call:none,whatsapp:none,sms:none,email:none"),
                    Map.of("compliance.caps", "call:1/24h,whatsapp:1/24h,sms:1/24h,email:1/24h"),
                    Map.of("compliance.caps", "call:1/24h"));

    private static final List<Rules> DEFAULT_WINDOW = CAPS.stream().map(Rules::new).toList();

    private static final List<Map<String, String>> WINDOWS =
            List.of(
                    Map.of("compliance.contact-windows", "*.sun:closed"),
                    Map.of(
                            "compliance.contact-window",
                            "09:00-17:00",
                            "compliance.contact-windows",
                            "*.sat:closed,*.sun:closed"),
                    Map.of("compliance.contact-window", "10:00-12:00"),
                    Map.of("compliance.contact-window", "18:00-18:15"));

    private static final List<Rules> OTHER_WINDOWS = WINDOWS.stream().map(Rules::new).toList();

    /** As the contact policy's property test: DST both ways, far, half-hour and odd offsets. */
    private static final List<String> ZONES =
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

    record Customer(String zone, Set<Channel> consents, Tier tier, long abandonedAt) {}

    @Property(tries = 1500)
    void defaultCadenceGivesTwoToFourUsableFollowUpsOverFortyEightToSeventyTwoHours(
            @ForAll("customers") Customer customer, @ForAll("defaultWindowRules") Rules rules)
            throws Exception {
        EnrichedCart cart = cart(customer);
        List<Made> made = CadenceRun.run(rules, cart);
        String zone = customer.zone();
        Statistics.collect(made.size() - 1);
        if (!cart.decision().createsTask()) {
            assertThat(made).isEmpty();
            return;
        }
        neverWithdrawn(rules, zone, made);
        Made first = made.get(0);
        // The first contact: as the contact policy places a task issued at detection (20 min to
        // act), untouched by the cadence.
        var plan =
                rules.policy.plan(
                        "shop-1",
                        "first",
                        cart.enrichment().profile(),
                        List.of(first.channel()),
                        customer.abandonedAt() + GAP,
                        customer.abandonedAt() + rules.slaMillis,
                        io.cartrecovery.compliance.ContactHistory.EMPTY);
        assertThat(first.contactAt()).isEqualTo(plan.timing().contactAt());
        List<Made> followUps = made.subList(1, made.size());
        assertThat(followUps).as("follow-ups of %s", made).hasSizeBetween(2, 4);
        for (Made m : followUps) {
            assertThat(m.issuedAt() - first.contactAt())
                    .as("attempt %d issued after the horizon", m.attempt())
                    .isLessThanOrEqualTo(72 * HOUR);
        }
        assertThat(followUps.get(followUps.size() - 1).contactAt() - customer.abandonedAt())
                .isGreaterThanOrEqualTo(48 * HOUR);
        for (int i = 1; i < made.size(); i++) {
            assertThat(made.get(i).contactAt() - made.get(i - 1).contactAt())
                    .as("contacts %d and %d of %s", i, i + 1, made)
                    .isGreaterThanOrEqualTo(4 * HOUR - GAP);
        }
    }

    @Property(tries = 500)
    void noAttemptIsWithdrawnBeforeItCouldBeMadeWhateverTheWindow(
            @ForAll("customers") Customer customer, @ForAll("otherWindowRules") Rules rules)
            throws Exception {
        EnrichedCart cart = cart(customer);
        List<Made> made = CadenceRun.run(rules, cart);
        neverWithdrawn(rules, customer.zone(), made);
        if (cart.decision().createsTask()) {
            assertThat(made).isNotEmpty();
        }
    }

    private static void neverWithdrawn(Rules rules, String zone, List<Made> made) {
        ContactWindow window = rules.policy.windowOf("shop-1");
        ZoneId zoneId = ZoneId.of(zone);
        for (Made m : made) {
            assertThat(m.endedAt())
                    .as("attempt %d of %s withdrawn before its due_by", m.attempt(), made)
                    .isGreaterThanOrEqualTo(m.dueBy());
            assertThat(m.endReason()).isEqualTo("expired");
            assertThat(m.dueBy()).isGreaterThanOrEqualTo(m.contactAt());
            assertThat(window.allows(m.contactAt(), zoneId)).isTrue();
            assertThat(window.allows(m.dueBy(), zoneId)).isTrue();
            assertThat(window.openingEnd(m.contactAt(), zoneId)).isGreaterThan(m.dueBy());
        }
    }

    private static EnrichedCart cart(Customer customer) {
        return CadenceRun.cart(
                CadenceRun.profile(customer.zone(), customer.consents()),
                customer.tier(),
                customer.abandonedAt());
    }

    @Provide
    Arbitrary<Rules> defaultWindowRules() {
        return Arbitraries.of(DEFAULT_WINDOW);
    }

    @Provide
    Arbitrary<Rules> otherWindowRules() {
        return Arbitraries.of(OTHER_WINDOWS);
    }

    @Provide
    Arbitrary<Customer> customers() {
        Arbitrary<String> zones = Arbitraries.of(ZONES);
        Arbitrary<Set<Channel>> consents =
                Arbitraries.subsetOf(EnumSet.allOf(Channel.class)).ofMinSize(1);
        Arbitrary<Tier> tiers = Arbitraries.of(Tier.class);
        return Combinators.combine(
                        zones,
                        consents,
                        tiers,
                        Arbitraries.longs().between(FROM, UNTIL),
                        Arbitraries.integers().between(0, 1),
                        Arbitraries.longs().between(0, 5 * DAY))
                .as(
                        (zone, channels, tier, at, nearDst, before) -> {
                            long abandonedAt = at / MINUTE * MINUTE;
                            if (nearDst == 1) {
                                ZoneOffsetTransition next =
                                        ZoneId.of(zone)
                                                .getRules()
                                                .nextTransition(Instant.ofEpochMilli(abandonedAt));
                                if (next != null) {
                                    abandonedAt =
                                            (next.getInstant().toEpochMilli() - before)
                                                    / MINUTE
                                                    * MINUTE;
                                }
                            }
                            return new Customer(zone, channels, tier, abandonedAt);
                        });
    }
}
