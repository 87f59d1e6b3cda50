package io.cartrecovery.enrich;

import io.cartrecovery.compliance.ContactHistory;
import io.cartrecovery.compliance.ContactPlan;
import io.cartrecovery.compliance.ContactPolicy;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.keys.Keys;
import io.cartrecovery.priority.ChannelChooser;
import io.cartrecovery.priority.ContactDecision.Outcome;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.PriorityModel;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.serialization.SerializerTypeInfo;
import io.cartrecovery.tasks.ContactTask;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins abandoned carts with customer profiles, keyed by {@link #customerKey}: the latest profile
 * of each customer lives in keyed state, so a profile update applies to the next cart without a
 * restart. Then scores the cart and decides the channel.
 *
 * <p>Until the profiles that were on their topic at the start are read, the profiles input holds
 * this operator at the beginning of event time ({@code ReferenceWatermarks}), and a known
 * customer's cart waits in state for its own event time: it goes on once the watermark reaches it,
 * with the profiles read by then, as in a replay, which loads its profiles before the first event.
 * After that, a cart goes on at once with the latest profile; a profile that comes later applies to
 * the next cart (docs/profiles.md). Anonymous carts never wait. No wall clock decides anything.
 *
 * <p>The channel comes from {@link ContactPolicy} (consent, do-not-contact) and is written on the
 * abandoned-cart fact as the contact decision; the caps and the timing of every attempt are the
 * follow-up's, which sees all of the customer's contacts (docs/compliance.md).
 */
public final class CartEnricher
        extends KeyedCoProcessFunction<CustomerKey, AbandonedCart, CustomerProfile, EnrichedCart> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "enrich-carts";

    static final ValueStateDescriptor<CustomerProfile> PROFILE =
            new ValueStateDescriptor<>("profile", CustomerProfile.class);

    /** Earlier abandonments and identify details of a known customer (never of anonymous carts). */
    static final ValueStateDescriptor<CustomerMemory> MEMORY =
            new ValueStateDescriptor<>("customer-memory", CustomerMemory.class);

    /** Carts that came before the profiles read at the start were in, in the order they came. */
    public static final ListStateDescriptor<WaitingCart> WAITING =
            new ListStateDescriptor<>(
                    "carts-before-profiles",
                    new SerializerTypeInfo<>(WaitingCart.class, WaitingCartSerializer.INSTANCE));

    /**
     * @param at the event time the cart was declared abandoned: it goes on when the watermark
     *     reaches it
     */
    public record WaitingCart(AbandonedCart cart, long at) {}

    private final PriorityModel model;
    private final ContactPolicy policy;
    private final long firstContactSlaMillis;
    private final Map<CustomerKey, CustomerProfile> snapshot;

    private transient ValueState<CustomerProfile> profile;
    private transient ListState<WaitingCart> waiting;
    private transient ValueState<CustomerMemory> memory;
    private transient Map<Outcome, Counter> decisions;

    /**
     * @param snapshot profiles known before the job starts, by {@link #customerKey}; a replay loads
     *     them from a file so that enrichment does not race the clickstream. Profiles from the
     *     stream win over them.
     */
    public CartEnricher(JobSettings settings, Map<CustomerKey, CustomerProfile> snapshot) {
        this.model = settings.priorityModel();
        this.policy = settings.contactPolicy();
        this.firstContactSlaMillis = settings.firstContactSla().toMillis();
        this.snapshot = Map.copyOf(snapshot);
    }

    /** The customer a cart belongs to; anonymous carts are keyed by cart, so they never meet. */
    public static CustomerKey customerKey(AbandonedCart cart) {
        return Keys.customer(cart.storeId(), cart.customerId(), cart.cartId());
    }

    public static CustomerKey customerKey(CustomerProfile profile) {
        return Keys.customer(profile.storeId(), profile.customerId(), null);
    }

    @Override
    public void open(OpenContext openContext) {
        profile = getRuntimeContext().getState(PROFILE);
        waiting = getRuntimeContext().getListState(WAITING);
        memory = getRuntimeContext().getState(MEMORY);
        decisions = new EnumMap<>(Outcome.class);
        // Counts only, never who: metrics must not carry personal data.
        for (Outcome outcome : Outcome.values()) {
            decisions.put(
                    outcome,
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("contact_decision", outcome.wireName())
                            .counter("carts"));
        }
    }

    @Override
    public void processElement1(AbandonedCart cart, Context ctx, Collector<EnrichedCart> out)
            throws Exception {
        cart = remember(cart);
        long at = scoredAt(cart, ctx);
        // The profiles input holds event time at its beginning until its first read is done, and
        // never emits a watermark: past the beginning, the profiles that were there are in.
        boolean profilesRead = ctx.timerService().currentWatermark() > Long.MIN_VALUE;
        if (profilesRead || cart.customerId() == null) {
            out.collect(enrich(cart, known(ctx.getCurrentKey()), at));
            return;
        }
        waiting.add(new WaitingCart(cart, at));
        ctx.timerService().registerEventTimeTimer(at);
    }

    @Override
    public void processElement2(CustomerProfile update, Context ctx, Collector<EnrichedCart> out)
            throws Exception {
        profile.update(update);
    }

    /** The watermark reached a waiting cart: the profiles read at the start are in. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedCart> out)
            throws Exception {
        KeyTypes.requireTyped(ctx.getCurrentKey());
        List<WaitingCart> still = new ArrayList<>();
        CustomerProfile known = known(ctx.getCurrentKey());
        for (WaitingCart w : waiting.get()) {
            if (w.at() <= timestamp) {
                out.collect(enrich(w.cart(), known, w.at()));
            } else {
                // Its own timer comes next, so the cart keeps its own time downstream.
                still.add(w);
            }
        }
        if (still.isEmpty()) {
            waiting.clear();
        } else {
            waiting.update(still);
        }
    }

    /** The customer's latest profile, from the stream or else the snapshot; null when none. */
    private CustomerProfile known(CustomerKey key) throws Exception {
        CustomerProfile known = profile.value();
        return known != null ? known : snapshot.get(key);
    }

    /**
     * Recency is measured at the event time the cart was declared abandoned (the record's
     * timestamp), not the wall clock, so a replay of old data scores as the live run did.
     */
    private static long scoredAt(AbandonedCart cart, Context ctx) {
        Long timestamp = ctx.timestamp();
        return timestamp != null ? timestamp : cart.abandonedAt() + cart.gapMillis();
    }

    /**
     * Counts the customer's abandonments and keeps their identify details, at the cart's arrival so
     * a cart that waits for the profiles counts in arrival order. Anonymous carts are keyed by
     * cart: remembering them would only grow state, so they keep their own details.
     */
    private AbandonedCart remember(AbandonedCart cart) throws Exception {
        if (cart.customerId() == null) {
            return cart;
        }
        CustomerMemory m = memory.value();
        if (m == null) {
            m = new CustomerMemory();
        }
        int previous = m.abandonments;
        if (cart.cartId().equals(m.lastCartId)) {
            previous--;
        } else {
            m.abandonments++;
            m.lastCartId = cart.cartId();
        }
        m.identified = ContactDetails.newer(m.identified, cart.identified());
        memory.update(m);
        return cart.withSession(cart.session().withPreviousAbandonments(previous));
    }

    /**
     * Fills the profile's gaps from identify details, scores the cart, then lets the contact policy
     * decide channel and timing: issued at {@code now}, due within the first-contact SLA of the
     * cart's last activity.
     */
    private EnrichedCart enrich(AbandonedCart cart, CustomerProfile known, long now)
            throws Exception {
        CustomerMemory m = cart.customerId() == null ? null : memory.value();
        known = IdentifiedContact.fill(known, m != null ? m.identified : cart.identified());
        cart = cart.withoutIdentified();
        Priority priority = model.score(cart, known, now);
        // Without the customer's contacts: the caps only move an attempt's timing, and the
        // follow-up, which sees every attempt, applies them.
        ContactPlan plan =
                policy.plan(
                        cart.storeId(),
                        ContactTask.taskId(cart.storeId(), cart.cartId(), 1),
                        known,
                        ChannelChooser.order(priority.tier()),
                        now,
                        cart.abandonedAt() + firstContactSlaMillis,
                        ContactHistory.EMPTY);
        decisions.get(plan.decision().outcome()).inc();
        return new EnrichedCart(
                cart.withContactDecision(plan.decision().outcome().wireName()),
                new Enrichment(known, plan.timeZone(), priority),
                plan.decision(),
                plan.timing());
    }
}
