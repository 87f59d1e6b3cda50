package io.cartrecovery.followup;

import io.cartrecovery.compliance.ContactHistory;
import io.cartrecovery.compliance.ContactPlan;
import io.cartrecovery.compliance.ContactPolicy;
import io.cartrecovery.compliance.ContactTiming;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.detection.CartClosed.Cause;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.outcomes.ContactOutcome;
import io.cartrecovery.outcomes.OutcomeCode;
import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.tasks.ContactTask;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The follow-up of every abandoned cart of one customer, as plain rules (docs/followup.md): issues
 * the attempts of each cart as event time reaches them, applies outcomes, ends sequences on
 * purchases, holds out a share of carts and attributes recoveries. {@code (state, input, time) ->
 * (new state, effects)}: it reads and changes a {@link CustomerState} and reports what it decided
 * to a {@link FollowUpEffects}; it knows nothing of Flink (the job's {@code FollowUp} operator
 * adapts it to keyed state and timers).
 *
 * <p>Every input waits in the state's pending list until event time reaches it, and is applied in
 * event-time order together with the planned attempts: the same inputs make the same tasks whatever
 * order their sources happened to deliver them in (a do-not-contact outcome is applied before a
 * cart detected hours later, even when a replay reads that cart first).
 */
public final class FollowUpRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How far behind event time a cart may arrive and still see the purchases it missed. */
    public static final long LATE_CART_ALLOWANCE_MILLIS = 3_600_000L;

    static final String STEP = "step";
    static final String CALLBACK = "callback";
    static final String FALLBACK = "fallback";
    static final String REMINDER = "reminder";

    private static final Comparator<FollowUpInput> EVENT_ORDER =
            Comparator.comparingLong(FollowUpInput::time)
                    .thenComparingInt(FollowUpInput::rank)
                    .thenComparing(FollowUpInput::tieBreak);

    /**
     * An attempt as decided: its channel (never null: a customer without one gets no attempt) and
     * timing.
     *
     * @param timing when the contact may happen and by when it is due (the contact policy's)
     */
    record Planned(Channel channel, ContactTiming timing) {}

    private final Cadence cadence;
    private final long firstContactSlaMillis;
    private final ContactPolicy policy;

    /**
     * @param policy consent, do-not-contact, the contact window and the caps, applied to every
     *     attempt
     */
    public FollowUpRules(Cadence cadence, Duration firstContactSla, ContactPolicy policy) {
        this.cadence = cadence;
        this.firstContactSlaMillis = firstContactSla.toMillis();
        this.policy = policy;
    }

    /**
     * An input for the customer: it waits until event time reaches it, or is applied at once when
     * event time already passed it (rather than at a watermark that may never come).
     *
     * @param watermark the event time reached so far
     */
    public void accept(
            CustomerState state, FollowUpInput input, long watermark, FollowUpEffects effects) {
        state.addPending(input);
        if (input.time() <= watermark) {
            new Decision(state, effects).advance(watermark);
        } else {
            effects.wakeAt(input.time());
        }
    }

    /**
     * Applies, in event-time order, every waiting input and every planned action up to {@code now}:
     * called when event time reaches a moment {@link FollowUpEffects#wakeAt} asked for.
     */
    public void advance(CustomerState state, long now, FollowUpEffects effects) {
        new Decision(state, effects).advance(now);
    }

    /** One decision over one customer's state: the state it reads and the effects it reports. */
    private final class Decision {
        private final CustomerState state;
        private final FollowUpEffects fx;

        /**
         * Whether this decision saw a tracked cart or remembered an order: only then can the orders
         * hold anything when it ends. Each decision ends by forgetting the orders once no cart is
         * tracked, and nothing changes the state between decisions, so a decision that started
         * without carts and put no order has none to forget. Forgetting is not free: in RocksDB
         * clearing a map seeks, even an empty one, over the deleted entries of other customers.
         */
        private boolean cartsSeen;

        private boolean ordersPut;

        Decision(CustomerState state, FollowUpEffects fx) {
            this.state = state;
            this.fx = fx;
        }

        /** A decided cart: a new sequence (or a holdout), or new contents of a running one. */
        private void start(EnrichedCart enriched, long now) {
            AbandonedCart cart = enriched.cart();
            CartSequence known = state.cart(cart.cartId());
            if (known != null) {
                reportedAgain(known, enriched, now);
                state.putCart(cart.cartId(), known);
                return;
            }
            if (blocksOrEmpty().doNotContact || !enriched.decision().createsTask()) {
                return;
            }
            CartSequence seq = new CartSequence();
            seq.enriched = enriched;
            seq.startedAt = now;
            seq.holdout = Holdout.heldOut(cart.storeId(), cart.cartId(), cadence.holdoutShare());
            fx.holdout(new HoldoutMembership(cart.storeId(), cart.cartId(), seq.holdout, now));
            if (!seq.holdout) {
                plan(seq, now, cadence.steps().get(0).channel(), STEP);
                issueNext(seq);
            }
            state.putCart(cart.cartId(), seq);
            schedule(seq);
            missedPurchases(seq);
        }

        /**
         * Applies again the purchases a late cart missed: those at or after its start that event
         * time had already passed when it arrived, oldest first, as if it had come in time.
         */
        private void missedPurchases(CartSequence seq) {
            List<Map.Entry<String, Purchase>> missed = new ArrayList<>();
            for (Map.Entry<String, Purchase> entry : state.recentPurchases()) {
                if (entry.getValue().eventTime() >= seq.startedAt) {
                    missed.add(Map.entry(entry.getKey(), entry.getValue()));
                }
            }
            missed.sort(Comparator.comparingLong(e -> e.getValue().eventTime()));
            for (Map.Entry<String, Purchase> entry : missed) {
                state.removeOrder(entry.getKey());
                purchased(entry.getValue());
            }
        }

        /**
         * A cart reported again: the shopper came back and left again, or a late event changed it.
         * While only the first attempt is out and nobody has reached for it, the sequence starts
         * over from the new last activity: the first contact is due within the SLA of it, under the
         * same task id. Later in the sequence, the open task is only sent again with the new
         * contents.
         */
        private void reportedAgain(CartSequence seq, EnrichedCart enriched, long now) {
            seq.enriched = enriched;
            Attempt open = seq.openAttempt();
            if (open == null) {
                return;
            }
            if (!seq.ended && seq.attempts.size() == 1) {
                open.issuedAt = now;
                ContactTiming timing =
                        retime(
                                seq,
                                open,
                                now,
                                enriched.cart().abandonedAt() + firstContactSlaMillis);
                open.dueBy = timing.dueBy();
                open.notBefore = timing.notBefore();
                fx.taskEvent(
                        event(seq, open, TaskEventType.RESCHEDULED, Long.toString(now), now)
                                .reason("reported_again")
                                .dueAt(open.dueBy)
                                .build());
                fx.attempt(fact(seq, open));
                seq.nextAt = CartSequence.NONE;
                planFollowing(seq, now);
            }
            fx.task(task(seq, open));
        }

        /**
         * The attempt's task, without its script or message: that is rendered when the task is
         * emitted (TaskContent, in the job), so no state downstream keeps the text.
         */
        private ContactTask task(CartSequence seq, Attempt attempt) {
            return ContactTask.create(
                    seq.enriched,
                    attempt.number,
                    attempt.channel,
                    new ContactTiming(
                            attempt.notBefore,
                            attempt.dueBy,
                            attempt.notBefore != null ? attempt.notBefore : attempt.issuedAt),
                    attempt.issuedAt);
        }

        /**
         * The timing of an attempt issued again under the same task id: the policy replaces its
         * pending contact rather than counting it twice.
         */
        private ContactTiming retime(CartSequence seq, Attempt attempt, long now, long dueAt) {
            ContactPlan plan =
                    policy.plan(
                            seq.enriched.cart().storeId(),
                            attempt.taskId,
                            seq.enriched.enrichment().profile(),
                            attempt.channel == null ? List.of() : List.of(attempt.channel),
                            now,
                            dueAt,
                            historyOrEmpty());
            if (plan.timing() == null) {
                // Consent withdrawn since: the open task stays as it was; its cancel or expiry
                // follows.
                return new ContactTiming(attempt.notBefore, attempt.dueBy, now);
            }
            if (plan.channel() != null) {
                state.setHistory(policy.record(historyOrEmpty(), attempt.taskId, plan, now));
            }
            return plan.timing();
        }

        private ContactHistory historyOrEmpty() {
            ContactHistory known = state.history();
            return known == null ? ContactHistory.EMPTY : known;
        }

        /**
         * Applies, in event-time order, every waiting input and every planned action up to {@code
         * now}. Inputs go before actions of the same millisecond: a purchase or an outcome at the
         * very time of the next step decides whether it is still made.
         */
        private void advance(long now) {
            List<FollowUpInput> waiting = new ArrayList<>();
            for (FollowUpInput input : state.pending()) {
                waiting.add(input);
            }
            waiting.sort(EVENT_ORDER);
            int next = 0;
            while (true) {
                FollowUpInput input =
                        next < waiting.size() && waiting.get(next).time() <= now
                                ? waiting.get(next)
                                : null;
                String cartId = null;
                long cartAt = Long.MAX_VALUE;
                for (Map.Entry<String, CartSequence> entry : state.carts()) {
                    cartsSeen = true;
                    long at = actionAt(entry.getValue());
                    if (at < cartAt
                            || (at == cartAt
                                    && cartId != null
                                    && entry.getKey().compareTo(cartId) < 0)) {
                        cartAt = at;
                        cartId = entry.getKey();
                    }
                }
                if (input != null && input.time() <= cartAt) {
                    apply(input);
                    next++;
                } else if (cartId != null && cartAt <= now) {
                    act(cartId, cartAt);
                } else {
                    break;
                }
            }
            state.setPending(new ArrayList<>(waiting.subList(next, waiting.size())));
            List<String> old = new ArrayList<>();
            for (Map.Entry<String, Purchase> entry : state.recentPurchases()) {
                if (entry.getValue().eventTime() + LATE_CART_ALLOWANCE_MILLIS <= now) {
                    old.add(entry.getKey());
                }
            }
            for (String key : old) {
                state.removeRecentPurchase(key);
            }
            boolean tracking = false;
            for (Map.Entry<String, CartSequence> entry : state.carts()) {
                schedule(entry.getValue());
                tracking = true;
            }
            if (!tracking) {
                if (cartsSeen || ordersPut) {
                    state.clearOrders();
                }
                // Kept while a cap could still count a contact, then dropped with the carts.
                ContactHistory contacts = policy.prune(historyOrEmpty(), now);
                if (contacts.isEmpty()) {
                    state.clearHistory();
                } else {
                    state.setHistory(contacts);
                    fx.wakeAt(policy.forgottenAt(contacts));
                }
                forgetBlocksInTime(now);
            }
        }

        /**
         * When the cart next needs attention: its next attempt, its open attempt's expiry, the end.
         */
        private long actionAt(CartSequence seq) {
            if (!seq.ended && seq.nextAt != CartSequence.NONE) {
                return seq.nextAt;
            }
            Attempt open = seq.openAttempt();
            if (open != null) {
                // Counted from when it could first be made: an attempt waiting for the window or a
                // cap is not withdrawn before it could be.
                return open.contactAt() + cadence.attemptExpiryMillis();
            }
            return trackUntil(seq);
        }

        /**
         * The end of the attribution window: after abandonment (holdout), else after the last
         * attempt.
         */
        private long trackUntil(CartSequence seq) {
            Attempt last = seq.last();
            long from =
                    seq.holdout || last == null ? seq.enriched.cart().abandonedAt() : last.issuedAt;
            return from + cadence.attributionWindowMillis();
        }

        private void schedule(CartSequence seq) {
            long at = actionAt(seq);
            if (at != CartSequence.NONE) {
                fx.wakeAt(at);
            }
        }

        private void act(String cartId, long at) {
            CartSequence seq = state.cart(cartId);
            if (!seq.ended && seq.nextAt != CartSequence.NONE && seq.nextAt <= at) {
                issueNext(seq);
                state.putCart(cartId, seq);
                return;
            }
            Attempt open = seq.openAttempt();
            if (open != null) {
                expire(seq, open, at);
                state.putCart(cartId, seq);
                return;
            }
            // The attribution window is over: a purchase now is no longer this cart's recovery.
            state.removeCart(cartId);
        }

        private void plan(CartSequence seq, long at, Channel channel, String kind) {
            seq.nextAt = at;
            seq.nextChannel = channel;
            seq.nextKind = kind;
            seq.lastPlanned = false;
        }

        /** Issues the planned attempt (when a channel allows it), then plans the next step. */
        private void issueNext(CartSequence seq) {
            long at = seq.nextAt;
            Channel requested = seq.nextChannel;
            String kind = seq.nextKind;
            boolean last = seq.lastPlanned;
            seq.nextAt = CartSequence.NONE;
            seq.nextChannel = null;
            seq.nextKind = null;
            seq.lastPlanned = false;
            Planned planned = decideStep(seq, requested, at);
            if (planned != null) {
                Attempt open = seq.openAttempt();
                if (open != null) {
                    expire(seq, open, at);
                }
                Attempt attempt = new Attempt();
                attempt.number = seq.attempts.size() + 1;
                AbandonedCart cart = seq.enriched.cart();
                attempt.taskId = ContactTask.taskId(cart.storeId(), cart.cartId(), attempt.number);
                attempt.channel = planned.channel();
                attempt.issuedAt = at;
                attempt.dueBy = planned.timing().dueBy();
                attempt.notBefore = planned.timing().notBefore();
                seq.attempts.add(attempt);
                fx.task(task(seq, attempt));
                fx.taskEvent(
                        event(seq, attempt, TaskEventType.CREATED, "", at)
                                .reason(kind)
                                .dueAt(attempt.dueBy)
                                .build());
                fx.attempt(fact(seq, attempt));
            }
            if (last) {
                seq.ended = true;
            } else {
                planFollowing(seq, at);
            }
        }

        /**
         * The one place where an attempt's channel and timing are decided. The requested channel,
         * or the next cheaper one that the cart's tier allows and that no outcome took out of use;
         * the contact policy then applies consent, do-not-contact, the customer's contact window
         * ({@code not_before}) and the frequency caps (docs/compliance.md), to every attempt alike.
         *
         * @param at event time the attempt is issued
         * @return null: no attempt (no channel left)
         */
        Planned decideStep(CartSequence seq, Channel requested, long at) {
            CustomerBlocks blocked = blocksOrEmpty();
            if (blocked.doNotContact) {
                return null;
            }
            AbandonedCart cart = seq.enriched.cart();
            long dueBy =
                    seq.attempts.isEmpty()
                            ? cart.abandonedAt() + firstContactSlaMillis
                            : at + firstContactSlaMillis;
            List<Channel> channels =
                    Cadence.channels(
                            seq.enriched.enrichment().priority().tier(),
                            requested,
                            blocked.unusable);
            String taskId =
                    ContactTask.taskId(cart.storeId(), cart.cartId(), seq.attempts.size() + 1);
            CustomerProfile profile = seq.enriched.enrichment().profile();
            if (profile == null) {
                // No profile, so no contact details and no consent: nobody to contact, no task.
                return null;
            }
            ContactPlan plan =
                    policy.plan(
                            cart.storeId(), taskId, profile, channels, at, dueBy, historyOrEmpty());
            if (plan.timing() == null || plan.channel() == null) {
                return null;
            }
            state.setHistory(policy.record(historyOrEmpty(), taskId, plan, at));
            return new Planned(plan.channel(), plan.timing());
        }

        /**
         * The first configured step after {@code after}, in contactable time ({@link
         * Cadence#following}); none: the sequence ends with its last attempt.
         */
        private void planFollowing(CartSequence seq, long after) {
            Attempt open = seq.openAttempt();
            Attempt last = seq.last();
            Cadence.Next next =
                    cadence.following(
                            seq.enriched.cart().abandonedAt(),
                            seq.firstWaitMillis(),
                            seq.firstContactAt(),
                            open == null ? Long.MIN_VALUE : open.dueBy,
                            last != null && last.number > 1 ? last.contactAt() : Long.MIN_VALUE,
                            after);
            if (next != null) {
                plan(seq, next.at(), next.channel(), STEP);
            }
        }

        private void expire(CartSequence seq, Attempt attempt, long at) {
            attempt.status = Attempt.EXPIRED;
            attempt.endedAt = at;
            fx.task(ContactTask.cancel(closed(seq, Cause.EXPIRED, at, null), attempt.number));
            fx.taskEvent(
                    event(seq, attempt, TaskEventType.EXPIRED, "", at)
                            .reason(Cause.EXPIRED.wireName())
                            .build());
            fx.attempt(fact(seq, attempt));
        }

        /** No more attempts; an open one is cancelled. */
        private void end(CartSequence seq, Cause cause, long at, String orderId) {
            seq.ended = true;
            seq.nextAt = CartSequence.NONE;
            seq.nextChannel = null;
            seq.nextKind = null;
            Attempt open = seq.openAttempt();
            if (open == null) {
                return;
            }
            open.status = Attempt.CANCELLED;
            open.endedAt = at;
            fx.task(ContactTask.cancel(closed(seq, cause, at, orderId), open.number));
            fx.taskEvent(
                    event(seq, open, TaskEventType.CANCELLED, "", at)
                            .reason(cause.wireName())
                            .orderId(orderId)
                            .build());
            fx.attempt(fact(seq, open));
        }

        private void apply(FollowUpInput input) {
            if (input.cart() != null) {
                start(input.cart(), input.time());
            } else if (input.closed() != null) {
                CartClosed closed = input.closed();
                if (closed.cause() == Cause.PURCHASED) {
                    purchased(
                            new Purchase(
                                    closed.storeId(),
                                    closed.customerId(),
                                    closed.cartId(),
                                    closed.orderId(),
                                    closed.eventTime(),
                                    null,
                                    null));
                } else {
                    CartSequence seq = state.cart(closed.cartId());
                    if (seq != null && seq.startedAt <= closed.eventTime()) {
                        end(seq, closed.cause(), closed.eventTime(), null);
                        state.removeCart(closed.cartId());
                    }
                }
            } else if (input.purchase() != null) {
                purchased(input.purchase());
            } else {
                outcome(input.outcome());
            }
        }

        /**
         * A purchase ends every sequence of the customer: they bought, so nobody calls them about a
         * cart any more. It is the recovery of one cart: the one it names, else the latest
         * abandoned.
         */
        private void purchased(Purchase purchase) {
            long at = purchase.eventTime();
            String orderKey =
                    purchase.orderId() != null
                            ? "order\n" + purchase.orderId()
                            : "at\n" + at + "\n" + purchase.cartId();
            Purchase kept = state.recentPurchase(orderKey);
            if (kept == null || (kept.value() == null && purchase.value() != null)) {
                // The clickstream's purchase carries the value; the tracker's only says it
                // happened.
                state.putRecentPurchase(orderKey, purchase);
                fx.wakeAt(at + LATE_CART_ALLOWANCE_MILLIS);
            }
            if (state.hasOrder(orderKey)) {
                return;
            }
            state.putOrder(orderKey, at);
            ordersPut = true;
            List<CartSequence> started = new ArrayList<>();
            for (Map.Entry<String, CartSequence> entry : state.carts()) {
                CartSequence seq = entry.getValue();
                if (seq.startedAt <= at) {
                    started.add(seq);
                }
            }
            if (started.isEmpty()) {
                return;
            }
            CartSequence target = null;
            for (CartSequence seq : started) {
                if (seq.cartId().equals(purchase.cartId())) {
                    target = seq;
                }
            }
            if (target == null) {
                target =
                        started.stream()
                                .max(
                                        Comparator.comparingLong(
                                                        (CartSequence s) ->
                                                                s.enriched.cart().abandonedAt())
                                                .thenComparing(CartSequence::cartId))
                                .orElseThrow();
            }
            for (CartSequence seq : started) {
                end(seq, Cause.PURCHASED, at, purchase.orderId());
            }
            attribute(target, purchase);
            for (CartSequence seq : started) {
                state.removeCart(seq.cartId());
            }
        }

        /**
         * Credits the purchase: to the last attempt that reached the shopper before it, when the
         * purchase falls within the attribution window after the last attempt; holdout carts within
         * the window after abandonment are natural recoveries.
         */
        private void attribute(CartSequence seq, Purchase purchase) {
            AbandonedCart cart = seq.enriched.cart();
            long at = purchase.eventTime();
            BigDecimal value = purchase.value() != null ? purchase.value() : cart.cartValue();
            String currency = purchase.value() != null ? purchase.currency() : cart.currency();
            long window = cadence.attributionWindowMillis();
            if (seq.holdout) {
                if (at - cart.abandonedAt() <= window) {
                    fx.recovery(
                            new Recovery(
                                    cart.storeId(),
                                    cart.cartId(),
                                    cart.customerId(),
                                    purchase.orderId(),
                                    cart.abandonedAt(),
                                    at,
                                    value,
                                    currency,
                                    null,
                                    0,
                                    null,
                                    null,
                                    false,
                                    true));
                }
                return;
            }
            Attempt lastBefore = null;
            Attempt credited = null;
            for (Attempt attempt : seq.attempts) {
                if (attempt.issuedAt <= at) {
                    lastBefore = attempt;
                }
                if (attempt.reachedAt != null && attempt.reachedAt <= at) {
                    credited = attempt;
                }
            }
            if (lastBefore == null || at - lastBefore.issuedAt > window) {
                return;
            }
            fx.recovery(
                    new Recovery(
                            cart.storeId(),
                            cart.cartId(),
                            cart.customerId(),
                            purchase.orderId(),
                            cart.abandonedAt(),
                            at,
                            value,
                            currency,
                            credited == null ? null : credited.taskId,
                            credited == null ? 0 : credited.number,
                            credited == null ? null : wireName(credited.channel),
                            credited == null ? null : credited.agentId,
                            credited != null,
                            false));
            Attempt on = credited != null ? credited : lastBefore;
            fx.taskEvent(
                    event(seq, on, TaskEventType.RECOVERED, "", at)
                            .orderId(purchase.orderId())
                            .value(value, currency)
                            .credited(credited != null)
                            .build());
        }

        private void outcome(ParsedOutcome parsed) {
            ContactOutcome o = parsed.outcome();
            CartSequence seq = state.cart(o.cartId());
            Attempt attempt = seq == null ? null : seq.attempt(o.taskId());
            if (attempt == null || attempt.issuedAt > o.time()) {
                fx.rejected(
                        parsed.reject(
                                "unknown task_id: no such task of the cart was issued by the outcome's"
                                        + " time",
                                System.currentTimeMillis()));
                return;
            }
            String mismatch = channelMismatch(attempt, o);
            if (mismatch != null) {
                fx.rejected(parsed.reject(mismatch, System.currentTimeMillis()));
                return;
            }
            OutcomeCode code = o.outcome();
            if (attempt.outcomes.contains(code.wireName())) {
                fx.rejected(
                        parsed.reject(
                                "duplicate outcome for task_id: "
                                        + code.wireName()
                                        + " was applied",
                                System.currentTimeMillis()));
                return;
            }
            long at = o.time();
            boolean first = attempt.outcomes.isEmpty();
            if (first) {
                attempt.attemptedAt = at;
            }
            attempt.outcomes.add(code.wireName());
            if (o.agentId() != null) {
                attempt.agentId = o.agentId();
            }
            if (o.objection() != null) {
                attempt.objection = o.objection().wireName();
            }
            if (code.reached() && attempt.reachedAt == null) {
                attempt.reachedAt = at;
            }
            attempt.responded |= code.responded();
            attempt.endedAt = at;
            if (attempt.open()) {
                attempt.status = Attempt.ATTEMPTED;
            }
            if (first) {
                fx.taskEvent(
                        event(seq, attempt, TaskEventType.ATTEMPTED, "", at)
                                .channel(o.channel().wireName())
                                .outcome(code.wireName())
                                .build());
            }
            fx.taskEvent(
                    event(seq, attempt, TaskEventType.OUTCOME, code.wireName(), at)
                            .channel(o.channel().wireName())
                            .outcome(code.wireName())
                            .objection(attempt.objection)
                            .build());
            fx.attempt(fact(seq, attempt));
            boolean latest = attempt == seq.last();
            switch (code) {
                case REACHED_NOT_INTERESTED -> end(seq, Cause.NOT_INTERESTED, at, null);
                case DO_NOT_CONTACT -> {
                    CustomerBlocks blocked = blocksOrEmpty();
                    blocked.doNotContact = true;
                    blocked.since = Math.max(blocked.since, at);
                    state.setBlocks(blocked);
                    state.putCart(o.cartId(), seq);
                    List<CartSequence> all = new ArrayList<>();
                    state.carts().forEach(e -> all.add(e.getValue()));
                    for (CartSequence other : all) {
                        end(other, Cause.DO_NOT_CONTACT, at, null);
                        state.putCart(other.cartId(), other);
                    }
                    return;
                }
                case CALLBACK_REQUESTED -> {
                    if (!seq.ended) {
                        long callbackAt = Math.max(o.callbackAt(), at);
                        // Steps before the callback are skipped: the shopper said when to call.
                        plan(seq, callbackAt, Channel.CALL, CALLBACK);
                        fx.taskEvent(
                                event(
                                                seq,
                                                attempt,
                                                TaskEventType.RESCHEDULED,
                                                Long.toString(o.callbackAt()),
                                                at)
                                        .reason(CALLBACK)
                                        .dueAt(o.callbackAt())
                                        .build());
                    }
                }
                case PROMISED_TO_BUY -> {
                    if (!seq.ended) {
                        plan(seq, at + cadence.promiseReminderMillis(), Channel.WHATSAPP, REMINDER);
                        seq.lastPlanned = true;
                    }
                }
                case WRONG_NUMBER -> {
                    CustomerBlocks blocked = blocksOrEmpty();
                    blocked.block(Channel.CALL);
                    blocked.block(Channel.WHATSAPP);
                    blocked.block(Channel.SMS);
                    blocked.since = Math.max(blocked.since, at);
                    state.setBlocks(blocked);
                    if (!seq.ended && latest) {
                        plan(seq, at, Channel.EMAIL, FALLBACK);
                    }
                }
                case BOUNCED -> {
                    CustomerBlocks blocked = blocksOrEmpty();
                    blocked.block(o.channel());
                    blocked.since = Math.max(blocked.since, at);
                    state.setBlocks(blocked);
                    if (!seq.ended && latest && o.channel() != Channel.EMAIL) {
                        plan(seq, at, Channel.values()[o.channel().ordinal() + 1], FALLBACK);
                    }
                }
                default -> {
                    // no_answer, voicemail, busy, reached_interested, delivered, read, replied: the
                    // next step as scheduled.
                }
            }
            state.putCart(o.cartId(), seq);
        }

        /**
         * Blocks outlive the customer's last followed cart by the retention, counted from the
         * latest outcome that set one; the profile's do_not_contact flag is the lasting record.
         */
        private void forgetBlocksInTime(long now) {
            CustomerBlocks blocks = state.blocks();
            if (blocks == null) {
                return;
            }
            if (blocks.since == 0) {
                // Restored from a version that kept blocks for good: counted from now on.
                blocks.since = now;
                state.setBlocks(blocks);
            }
            long forgetAt = blocks.since + cadence.blockRetentionMillis();
            if (forgetAt <= now) {
                state.setBlocks(null);
            } else {
                fx.wakeAt(forgetAt);
            }
        }

        private CustomerBlocks blocksOrEmpty() {
            CustomerBlocks known = state.blocks();
            return known != null ? known : new CustomerBlocks();
        }
    }

    /**
     * Why an outcome cannot be the result of its task: it reports a contact on another channel than
     * the task's (a dialer that called about a message task, or a task without a channel, which
     * only state from before contactable-only tasks holds). Null when the channels agree. Such an
     * outcome is never applied: it would count a contact that the job never asked for.
     */
    static String channelMismatch(Attempt attempt, ContactOutcome o) {
        if (attempt.channel == o.channel()) {
            return null;
        }
        return "channel mismatch: the outcome is on "
                + o.channel().wireName()
                + (attempt.channel == null
                        ? ", its task has no channel (no contact details): nobody was to be"
                                + " contacted"
                        : ", its task on " + attempt.channel.wireName());
    }

    private static CartClosed closed(CartSequence seq, Cause cause, long at, String orderId) {
        AbandonedCart cart = seq.enriched.cart();
        return new CartClosed(cart.cartId(), cart.storeId(), cart.customerId(), cause, at, orderId);
    }

    private static String wireName(Channel channel) {
        return channel == null ? null : channel.wireName();
    }

    private static AttemptFact fact(CartSequence seq, Attempt attempt) {
        AbandonedCart cart = seq.enriched.cart();
        return new AttemptFact(
                attempt.taskId,
                cart.storeId(),
                cart.cartId(),
                attempt.number,
                wireName(attempt.channel),
                attempt.agentId,
                cart.abandonedAt(),
                attempt.dueBy,
                attempt.issuedAt,
                attempt.attemptedAt,
                attempt.endedAt,
                attempt.factOutcome(),
                attempt.reachedAt != null,
                attempt.responded,
                attempt.objection);
    }

    private static EventBuilder event(
            CartSequence seq, Attempt attempt, TaskEventType type, String discriminator, long at) {
        return new EventBuilder(seq, attempt, type, discriminator, at);
    }

    /** Task events share most fields; this fills them from the sequence and the attempt. */
    private static final class EventBuilder {
        private final CartSequence seq;
        private final Attempt attempt;
        private final TaskEventType type;
        private final String discriminator;
        private final long at;
        private String channel;
        private String outcome;
        private String objection;
        private String reason;
        private Long dueAt;
        private String orderId;
        private BigDecimal value;
        private String currency;
        private boolean credited;

        EventBuilder(
                CartSequence seq,
                Attempt attempt,
                TaskEventType type,
                String discriminator,
                long at) {
            this.seq = seq;
            this.attempt = attempt;
            this.type = type;
            this.discriminator = discriminator;
            this.at = at;
            this.channel = wireName(attempt.channel);
        }

        EventBuilder channel(String c) {
            channel = c;
            return this;
        }

        EventBuilder outcome(String o) {
            outcome = o;
            return this;
        }

        EventBuilder objection(String o) {
            objection = o;
            return this;
        }

        EventBuilder reason(String r) {
            reason = r;
            return this;
        }

        EventBuilder dueAt(long d) {
            dueAt = d;
            return this;
        }

        EventBuilder orderId(String o) {
            orderId = o;
            return this;
        }

        EventBuilder value(BigDecimal v, String c) {
            value = v;
            currency = c;
            return this;
        }

        EventBuilder credited(boolean c) {
            credited = c;
            return this;
        }

        TaskEvent build() {
            AbandonedCart cart = seq.enriched.cart();
            return new TaskEvent(
                    TaskEvent.eventId(attempt.taskId, type, discriminator),
                    type,
                    attempt.taskId,
                    cart.storeId(),
                    cart.cartId(),
                    cart.customerId(),
                    attempt.number,
                    channel,
                    attempt.agentId,
                    outcome,
                    objection,
                    reason,
                    dueAt,
                    at,
                    orderId,
                    value,
                    currency,
                    credited);
        }
    }
}
