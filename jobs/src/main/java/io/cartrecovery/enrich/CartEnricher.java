package io.cartrecovery.enrich;

import io.cartrecovery.compliance.ContactHistory;
import io.cartrecovery.compliance.ContactPlan;
import io.cartrecovery.compliance.ContactPolicy;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.keys.Keys;
import io.cartrecovery.priority.ChannelChooser;
import io.cartrecovery.priority.ContactDecision.Outcome;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.PriorityModel;
import io.cartrecovery.profiles.CustomerProfile;
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
 * <p>A cart whose customer has no profile yet waits up to {@code profileWait} (processing time:
 * profiles come from a compacted topic whose record times say nothing about the clickstream's event
 * time); a profile that arrives in that time enriches it at once. After the wait, or at once when
 * the wait is 0, the cart goes on unenriched (docs/profiles.md). Anonymous carts never wait.
 *
 * <p>The channel comes from {@link ContactPolicy} (consent, do-not-contact) and is written on the
 * abandoned-cart fact as the contact decision; the caps and the timing of every attempt are the
 * follow-up's, which sees all of the customer's contacts (docs/compliance.md).
 */
public final class CartEnricher
        extends KeyedCoProcessFunction<String, AbandonedCart, CustomerProfile, EnrichedCart> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "enrich-carts";

    static final ValueStateDescriptor<CustomerProfile> PROFILE =
            new ValueStateDescriptor<>("profile", CustomerProfile.class);

    /** Earlier abandonments and identify details of a known customer (never of anonymous carts). */
    static final ValueStateDescriptor<CustomerMemory> MEMORY =
            new ValueStateDescriptor<>("customer-memory", CustomerMemory.class);

    /** Carts waiting for their customer's profile, each with its processing-time deadline. */
    static final ListStateDescriptor<WaitingCart> WAITING =
            new ListStateDescriptor<>("waiting-carts", WaitingCart.class);

    /**
     * @param deadline processing-time epoch millis at which the cart stops waiting
     */
    public record WaitingCart(AbandonedCart cart, long deadline) {}

    private final PriorityModel model;
    private final long profileWaitMillis;
    private final ContactPolicy policy;
    private final long firstContactSlaMillis;
    private final Map<String, CustomerProfile> snapshot;

    private transient ValueState<CustomerProfile> profile;
    private transient ListState<WaitingCart> waiting;
    private transient ValueState<CustomerMemory> memory;
    private transient Map<Outcome, Counter> decisions;

    /**
     * @param snapshot profiles known before the job starts, by {@link #customerKey}; a replay loads
     *     them from a file so that enrichment does not race the clickstream. Profiles from the
     *     stream win over them.
     */
    public CartEnricher(JobSettings settings, Map<String, CustomerProfile> snapshot) {
        this.model = settings.priorityModel();
        this.profileWaitMillis = settings.profileWait().toMillis();
        this.policy = settings.contactPolicy();
        this.firstContactSlaMillis = settings.firstContactSla().toMillis();
        this.snapshot = Map.copyOf(snapshot);
    }

    /** The customer a cart belongs to; anonymous carts are keyed by cart, so they never meet. */
    public static String customerKey(AbandonedCart cart) {
        return Keys.customer(cart.storeId(), cart.customerId(), cart.cartId());
    }

    public static String customerKey(CustomerProfile profile) {
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
        CustomerProfile known = profile.value();
        if (known == null) {
            known = snapshot.get(ctx.getCurrentKey());
        }
        if (known != null || cart.customerId() == null || profileWaitMillis == 0) {
            out.collect(enrich(cart, known, scoredAt(cart, ctx)));
            return;
        }
        long deadline = ctx.timerService().currentProcessingTime() + profileWaitMillis;
        waiting.add(new WaitingCart(cart, deadline));
        ctx.timerService().registerProcessingTimeTimer(deadline);
    }

    @Override
    public void processElement2(CustomerProfile update, Context ctx, Collector<EnrichedCart> out)
            throws Exception {
        profile.update(update);
        for (WaitingCart w : waiting.get()) {
            ctx.timerService().deleteProcessingTimeTimer(w.deadline());
            out.collect(enrich(w.cart(), update, scoredAt(w.cart(), null)));
        }
        waiting.clear();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedCart> out)
            throws Exception {
        List<WaitingCart> still = new ArrayList<>();
        for (WaitingCart w : waiting.get()) {
            if (w.deadline() <= timestamp) {
                out.collect(enrich(w.cart(), null, scoredAt(w.cart(), null)));
            } else {
                still.add(w);
            }
        }
        waiting.update(still);
    }

    /**
     * Recency is measured at the event time the cart was declared abandoned (the record's
     * timestamp), not the wall clock, so a replay of old data scores as the live run did.
     */
    private static long scoredAt(AbandonedCart cart, Context ctx) {
        Long timestamp = ctx == null ? null : ctx.timestamp();
        return timestamp != null ? timestamp : cart.abandonedAt() + cart.gapMillis();
    }

    /**
     * Counts the customer's abandonments and keeps their identify details, at the cart's arrival so
     * a cart that waits for its profile counts in arrival order. Anonymous carts are keyed by cart:
     * remembering them would only grow state, so they keep their own details.
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
