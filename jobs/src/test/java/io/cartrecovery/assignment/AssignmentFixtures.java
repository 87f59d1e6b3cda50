package io.cartrecovery.assignment;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.Stage;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.Tier;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Agents and tasks for the assignment's tests: the operator's and the rules' alike. */
final class AssignmentFixtures {
    private AssignmentFixtures() {}

    /** Thursday 26 November 2026, 10:00 UTC. */
    static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();

    static final long MINUTE = 60_000L;
    static final long GAP = 10 * MINUTE;
    static final long SLA = 30 * MINUTE;

    /** An agent of shop-1 on shift every day from 00:00 to 24:00 UTC, speaking every language. */
    static AgentBuilder agent(String id) {
        return new AgentBuilder(id);
    }

    static final class AgentBuilder {
        private final String id;
        private List<String> stores = List.of("shop-1");
        private List<String> languages = List.of();
        private String zone = "UTC";
        private List<ShiftWindow> shift = allWeek(0, 24 * 60);
        private int maxOpen = 5;
        private int maxPerDay = 50;
        private boolean active = true;

        AgentBuilder(String id) {
            this.id = id;
        }

        AgentBuilder stores(String... s) {
            stores = List.of(s);
            return this;
        }

        AgentBuilder languages(String... l) {
            languages = List.of(l);
            return this;
        }

        AgentBuilder zone(String z) {
            zone = z;
            return this;
        }

        /** Every weekday from {@code start} to {@code end}, "HH:MM". */
        AgentBuilder shift(String start, String end) {
            shift = allWeek(minutes(start), minutes(end));
            return this;
        }

        AgentBuilder maxOpen(int n) {
            maxOpen = n;
            return this;
        }

        AgentBuilder maxPerDay(int n) {
            maxPerDay = n;
            return this;
        }

        Agent build() {
            return new Agent(id, stores, languages, zone, shift, maxOpen, maxPerDay, active);
        }

        private static int minutes(String hhmm) {
            return Integer.parseInt(hhmm.substring(0, 2)) * 60
                    + Integer.parseInt(hhmm.substring(3));
        }

        private static List<ShiftWindow> allWeek(int start, int end) {
            List<ShiftWindow> windows = new ArrayList<>();
            for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
                windows.add(new ShiftWindow(day, start, end));
            }
            return windows;
        }
    }

    /**
     * A call task of shop-1 found abandoned at {@code detectedAt} (last activity a gap earlier),
     * due 30 minutes after the last activity.
     */
    static ContactTask call(String id, long detectedAt) {
        return call(id, "shop-1", null, 50, detectedAt);
    }

    static ContactTask call(String id, String store, String language, int score, long detectedAt) {
        long lastActivity = detectedAt - GAP;
        AbandonedCart cart =
                new AbandonedCart(
                        "cart-" + id,
                        store,
                        "cust-" + id,
                        null,
                        List.of(new CartLine("p1", "Product", 1, new BigDecimal("120.00"))),
                        new BigDecimal("120.00"),
                        "EUR",
                        Stage.PAYMENT,
                        ReasonHint.PAYMENT_PROBLEM,
                        null,
                        lastActivity - 5 * MINUTE,
                        lastActivity,
                        GAP,
                        detectedAt,
                        "contact");
        CustomerProfile profile =
                language == null
                        ? null
                        : new CustomerProfile(
                                store,
                                "cust-" + id,
                                "Ana Pérez",
                                "+34612345678",
                                null,
                                language,
                                null,
                                Map.of(),
                                false,
                                0,
                                null,
                                null);
        Priority priority =
                new Priority(
                        score,
                        List.of(),
                        new BigDecimal("0.3000"),
                        new BigDecimal("36.00"),
                        Tier.HIGH);
        return new ContactTask(
                ContactTask.taskId(store, "cart-" + id, 1),
                TaskType.CREATE,
                1,
                lastActivity + SLA,
                cart,
                null,
                new Enrichment(profile, "Europe/Madrid", priority),
                Channel.CALL,
                null,
                null,
                null,
                detectedAt);
    }

    /** Attempt {@code attempt} of a call's cart, issued at {@code issuedAt}, due 30 min later. */
    static ContactTask attempt(ContactTask first, int attempt, long issuedAt) {
        return new ContactTask(
                ContactTask.taskId(first.storeId(), first.cartId(), attempt),
                TaskType.CREATE,
                attempt,
                issuedAt + SLA,
                first.cart(),
                null,
                first.enrichment(),
                Channel.CALL,
                null,
                null,
                null,
                issuedAt);
    }

    static ContactTask message(String id, long detectedAt) {
        ContactTask call = call(id, detectedAt);
        return new ContactTask(
                call.taskId(),
                call.type(),
                call.attempt(),
                call.dueBy(),
                call.cart(),
                null,
                call.enrichment(),
                Channel.WHATSAPP,
                null,
                null,
                null,
                call.issuedAt());
    }

    static ContactTask cancel(ContactTask task, long time) {
        return ContactTask.cancel(
                new CartClosed(
                        task.cartId(),
                        task.storeId(),
                        task.cart().customerId(),
                        CartClosed.Cause.PURCHASED,
                        time,
                        "order-1"),
                1);
    }

    /** Sends a task and moves the watermark to its moment, as detection's watermark follows it. */
}
