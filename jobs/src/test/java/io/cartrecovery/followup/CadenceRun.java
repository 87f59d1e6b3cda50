package io.cartrecovery.followup;

import io.cartrecovery.compliance.ContactPolicy;
import io.cartrecovery.config.ComplianceOptions;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.FollowUpOptions;
import io.cartrecovery.config.TaskOptions;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.Stage;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ChannelChooser;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.Tier;
import io.cartrecovery.profiles.Consent;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * One cart of one customer through the real {@link FollowUp} operator (operator harness), with no
 * outcome ever: the worst case for the cadence, every attempt either made in its time or withdrawn.
 * What each attempt was and how it ended.
 */
final class CadenceRun {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long GAP = 10 * MINUTE;

    /**
     * One attempt as the dialer saw it.
     *
     * @param endedAt when its cancel came (expired, as no outcome ever comes)
     */
    record Made(
            int attempt,
            Channel channel,
            long issuedAt,
            Long notBefore,
            long dueBy,
            long endedAt,
            String endReason) {
        long contactAt() {
            return notBefore != null ? notBefore : issuedAt;
        }
    }

    /** The settings of one run: they build the cadence and the policy once. */
    static final class Rules {
        private final Map<String, String> settings;

        final Cadence cadence;
        final ContactPolicy policy;
        final long slaMillis;

        Rules(Map<String, String> settings) {
            this.settings = Map.copyOf(settings);
            Map<String, String> all = new HashMap<>(settings);
            all.putIfAbsent("followup.holdout-share", "0");
            ReadableConfig config = Configs.load(null, all);
            cadence = FollowUpOptions.cadence(config);
            policy = ComplianceOptions.contactPolicy(config);
            slaMillis = Configs.get(config, TaskOptions.FIRST_CONTACT_SLA).toMillis();
        }

        @Override
        public String toString() {
            return settings.isEmpty() ? "defaults" : settings.toString();
        }
    }

    private CadenceRun() {}

    /** A profile with a phone and an e-mail, in {@code zone}, consenting to {@code channels}. */
    static CustomerProfile profile(String zone, Set<Channel> channels) {
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        for (Channel channel : channels) {
            consent.put(channel, new Consent(true, null));
        }
        return new CustomerProfile(
                "shop-1",
                "c1",
                "Ana Pérez",
                "+34612345678",
                "ana@example.com",
                "es",
                zone,
                consent,
                false,
                6,
                new BigDecimal("1500.00"),
                null);
    }

    static EnrichedCart cart(CustomerProfile profile, Tier tier, long abandonedAt) {
        AbandonedCart cart =
                new AbandonedCart(
                        "cart-c1",
                        "shop-1",
                        "c1",
                        null,
                        List.of(new CartLine("p1", "Product 1", 1, new BigDecimal("250.00"))),
                        new BigDecimal("250.00"),
                        "EUR",
                        Stage.CART,
                        ReasonHint.UNKNOWN,
                        null,
                        abandonedAt - 20 * MINUTE,
                        abandonedAt,
                        GAP,
                        abandonedAt + GAP,
                        null,
                        null,
                        null);
        return new EnrichedCart(
                cart,
                new Enrichment(
                        profile,
                        profile.timeZone(),
                        new Priority(
                                80,
                                List.of(),
                                new BigDecimal("0.30"),
                                new BigDecimal("75.00"),
                                tier)),
                ChannelChooser.choose(tier, profile),
                null);
    }

    /** The attempts of the cart's sequence, in order, each with its end. */
    static List<Made> run(Rules rules, EnrichedCart cart) throws Exception {
        FollowUp followUp =
                new FollowUp(
                        rules.cadence, java.time.Duration.ofMillis(rules.slaMillis), rules.policy);
        KeyedOneInputStreamOperatorTestHarness<CustomerKey, FollowUpInput, ContactTask> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(followUp),
                        FollowUpInput::customer,
                        KeyTypes.CUSTOMER);
        try {
            harness.open();
            FollowUpInput input = FollowUpInput.of(cart);
            harness.processElement(new StreamRecord<>(input, input.time()));
            harness.processWatermark(cart.cart().abandonedAt() + 40 * DAY);
            List<ContactTask> tasks = harness.extractOutputValues();
            Map<Integer, ContactTask> creates = new HashMap<>();
            Map<Integer, ContactTask> cancels = new HashMap<>();
            for (ContactTask task : tasks) {
                (task.type() == TaskType.CREATE ? creates : cancels).put(task.attempt(), task);
            }
            List<Made> made = new ArrayList<>();
            for (int n = 1; creates.containsKey(n); n++) {
                ContactTask create = creates.get(n);
                ContactTask cancel = cancels.get(n);
                made.add(
                        new Made(
                                n,
                                create.channel(),
                                create.issuedAt(),
                                create.notBefore(),
                                create.dueBy(),
                                cancel == null ? Long.MAX_VALUE : cancel.closed().eventTime(),
                                cancel == null ? null : cancel.closed().cause().wireName()));
            }
            if (harness.numKeyedStateEntries() != 0 || harness.numEventTimeTimers() != 0) {
                throw new AssertionError("state or timers left after the sequence ended");
            }
            return made;
        } finally {
            harness.close();
        }
    }
}
