package io.cartrecovery.job;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.Events.minutes;
import static io.cartrecovery.testing.Events.purchase;
import static io.cartrecovery.testing.Events.remove;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.EventType;
import io.cartrecovery.sinks.Json;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.testing.Events;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole job graph on bounded inputs (the replay path) in a Flink MiniCluster. */
class DetectionScenariosTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    private ReplayRun replay(String... lines) throws Exception {
        return ReplayRun.of(dir, List.of(lines));
    }

    /**
     * A replay in which {@code customers} have profiles with call consent, so their carts are
     * contactable and get contact tasks (a cart without a profile gets none).
     */
    private ReplayRun replayFor(List<String> customers, String... lines) throws Exception {
        return ReplayRun.withProfiles(
                dir,
                List.of(lines),
                customers.stream().map(DetectionScenariosTest::profile).toList(),
                Map.of());
    }

    /**
     * A profile with a phone and an e-mail address and consent to every channel, so the cart's
     * tier, whatever it is, has a channel.
     */
    private static String profile(String customer) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"phone\":\"+34612345678\",\"email\":\"ana@example.com\","
                + "\"consent\":{\"call\":{\"granted\":true},\"whatsapp\":{\"granted\":true},"
                + "\"sms\":{\"granted\":true},\"email\":{\"granted\":true}}}";
    }

    @Test
    void abandonedCartEmitsOneTaskInThePublishedFormat() throws Exception {
        ReplayRun run =
                replayFor(
                        List.of("cust-1"),
                        add("p1", 2, "19.90").atMinute(0).json(),
                        add("p2", 1, "5.25").atMinute(2).json(),
                        clockAt(12));
        assertThat(run.tasks).hasSize(1);
        JsonNode task = run.tasks.get(0);
        Schemas.assertValid("contact-task.schema.json", task);
        String cartId = "customer/cust-1/" + minutes(0);
        assertThat(task.get("type").asText()).isEqualTo("create");
        assertThat(task.get("task_id").asText()).isEqualTo(ContactTask.taskId("shop-1", cartId, 1));
        assertThat(task.get("cart_id").asText()).isEqualTo(cartId);
        assertThat(task.get("customer_id").asText()).isEqualTo("cust-1");
        assertThat(task.get("cart_value").decimalValue()).isEqualByComparingTo("45.05");
        assertThat(task.get("currency").asText()).isEqualTo("EUR");
        assertThat(task.get("stage").asText()).isEqualTo("cart");
        assertThat(task.get("reason").asText()).isEqualTo("unknown");
        assertThat(task.get("attempt").asInt()).isEqualTo(1);
        assertThat(task.get("abandoned_at").asText()).isEqualTo(Json.time(minutes(2)));
        assertThat(task.get("due_by").asText()).isEqualTo(Json.time(minutes(32)));
        assertThat(task.get("items")).hasSize(2);
        assertThat(run.abandoned)
                .singleElement()
                .satisfies(
                        a -> {
                            Schemas.assertValid("abandoned-cart.schema.json", a);
                            assertThat(a.get("cart_id").asText()).isEqualTo(cartId);
                            assertThat(a.get("contactable").booleanValue()).isTrue();
                        });
        assertThat(run.deadLetters).isEmpty();
    }

    @Test
    void cartWhoseGapHasNotElapsedByTheLastEventIsNotReported() throws Exception {
        ReplayRun run = replay(add("p1", 1, "10").atMinute(0).json(), clockAt(9.99));
        assertThat(run.tasks).isEmpty();
        assertThat(run.abandoned).isEmpty();
    }

    @Test
    void purchaseInsideTheGapMeansNoTask() throws Exception {
        // A contactable customer, so that no task means the purchase, not the missing profile.
        ReplayRun run =
                replayFor(
                        List.of("cust-1"),
                        add("p1", 1, "10").atMinute(0).json(),
                        purchase().atMinute(9).json(),
                        clockAt(60));
        assertThat(run.tasks).isEmpty();
        assertThat(run.abandoned).isEmpty();
    }

    @Test
    void purchaseAfterTheTaskCancelsIt() throws Exception {
        ReplayRun run =
                replayFor(
                        List.of("cust-1"),
                        add("p1", 1, "10").atMinute(0).json(),
                        clockAt(11),
                        purchase().orderId("o-9").atMinute(20).json(),
                        clockAt(30));
        JsonNode create = run.tasksOfType("create").get(0);
        assertThat(run.tasksOfType("cancel"))
                .singleElement()
                .satisfies(
                        cancel -> {
                            Schemas.assertValid("contact-task.schema.json", cancel);
                            assertThat(cancel.get("task_id").asText())
                                    .isEqualTo(create.get("task_id").asText());
                            assertThat(cancel.get("cancel_reason").asText()).isEqualTo("purchased");
                            assertThat(cancel.get("order_id").asText()).isEqualTo("o-9");
                        });
    }

    @Test
    void outOfOrderEventsWithinTheBoundCountFully() throws Exception {
        // Added at minute 0 and 0.05 but the second arrives first; the bound is 5 s.
        ReplayRun run =
                replay(
                        add("p2", 1, "2").atMinute(0.05).json(),
                        add("p1", 1, "1").atMinute(0).json(),
                        clockAt(11));
        assertThat(run.abandoned)
                .singleElement()
                .satisfies(
                        cart -> {
                            assertThat(cart.get("items")).hasSize(2);
                            assertThat(cart.get("cart_value").decimalValue())
                                    .isEqualByComparingTo("3");
                            assertThat(cart.get("abandoned_at").asText())
                                    .isEqualTo(Json.time(minutes(0.05)));
                        });
    }

    @Test
    void replayPutsEventsLaterThanTheBoundInEventTimeOrder() throws Exception {
        // Live, the item at minute 1 arriving after event time reached minute 12 would be late (see
        // CartTrackerTest). A replay reads the file faster than watermarks are emitted, so it
        // places the line by its event time: one report holding both items.
        ReplayRun run =
                replay(
                        add("p1", 1, "1").atMinute(0).json(),
                        clockAt(12),
                        add("p2", 1, "2").atMinute(1).json(),
                        clockAt(13));
        assertThat(run.abandoned)
                .singleElement()
                .satisfies(
                        cart ->
                                assertThat(cart.get("cart_value").decimalValue())
                                        .isEqualByComparingTo("3"));
    }

    @Test
    void duplicateEventsCountOnce() throws Exception {
        String addOnce = add("p1", 1, "10").id("dup-1").atMinute(0).json();
        ReplayRun run = replay(addOnce, addOnce, addOnce, clockAt(11));
        assertThat(run.abandoned)
                .singleElement()
                .satisfies(
                        cart ->
                                assertThat(cart.get("items").get(0).get("quantity").asInt())
                                        .isEqualTo(1));
    }

    @Test
    void storesHaveTheirOwnGaps() throws Exception {
        ReplayRun run =
                ReplayRun.of(
                        dir,
                        List.of(
                                add("p1", 1, "10").store("fast").atMinute(0).json(),
                                add("p1", 1, "10").store("slow").atMinute(0).json(),
                                add("p1", 1, "10").store("other").atMinute(0).json(),
                                clockAt(15)),
                        Map.of("detection.gaps", "fast:5min,slow:20min"));
        assertThat(run.abandoned.stream().map(a -> a.get("store_id").asText()))
                .containsExactlyInAnyOrder("fast", "other");
    }

    @Test
    void emptiedCartGetsNoTask() throws Exception {
        ReplayRun run =
                replay(
                        add("p1", 2, "10").atMinute(0).json(),
                        remove("p1", 2).atMinute(1).json(),
                        clockAt(30));
        assertThat(run.tasks).isEmpty();
        assertThat(run.abandoned).isEmpty();
    }

    @Test
    void returningVisitorContinuesTheSameCart() throws Exception {
        ReplayRun run =
                replay(
                        add("p1", 1, "10").visitor("v-7").session("monday").atMinute(0).json(),
                        add("p2", 1, "5").visitor("v-7").session("tuesday").atMinute(8).json(),
                        clockAt(30));
        assertThat(run.abandoned)
                .singleElement()
                .satisfies(
                        cart -> {
                            assertThat(cart.get("items")).hasSize(2);
                            assertThat(cart.get("anonymous_id").asText()).isEqualTo("v-7");
                            assertThat(cart.get("cart_id").asText())
                                    .isEqualTo("visitor/v-7/" + minutes(0));
                            // An anonymous visitor cannot be contacted: a fact, not a task.
                            assertThat(cart.get("contact_decision").asText())
                                    .isEqualTo("unknown_customer");
                            assertThat(cart.get("contactable").booleanValue()).isFalse();
                        });
        assertThat(run.tasks).isEmpty();
    }

    @Test
    void visitorWhoLogsInAndBuysGetsNoTask() throws Exception {
        ReplayRun run =
                replay(
                        add("p1", 1, "10").visitor("v-3").atMinute(0).json(),
                        event(EventType.IDENTIFY).customer("cust-3").atMinute(1).json(),
                        purchase().customer("cust-3").alsoVisitor("v-3").atMinute(2).json(),
                        clockAt(30));
        assertThat(run.tasks).isEmpty();
        assertThat(run.abandoned).isEmpty();
    }

    @Test
    void viewedProductsDoNotFillTheCart() throws Exception {
        ReplayRun run =
                replay(
                        event(EventType.PRODUCT_VIEW).item("p7", 1, "80").atMinute(0).json(),
                        add("p1", 1, "10").atMinute(1).json(),
                        event(EventType.PRODUCT_VIEW).item("p8", 1, "90").atMinute(2).json(),
                        clockAt(30));
        assertThat(run.abandoned)
                .singleElement()
                .satisfies(
                        cart -> {
                            assertThat(cart.get("items")).hasSize(1);
                            assertThat(cart.get("cart_id").asText()).endsWith("/" + minutes(1));
                        });
    }

    @Test
    void shippingCostThenSilenceHintsUnexpectedCosts() throws Exception {
        assertThat(
                        reasonOf(
                                add("p1", 1, "10").atMinute(0).json(),
                                event(EventType.CHECKOUT_START).atMinute(1).json(),
                                event(EventType.SHIPPING_INFO)
                                        .shipping("12.00")
                                        .atMinute(2)
                                        .json()))
                .isEqualTo("unexpected_costs");
    }

    @Test
    void freeShippingThenPaymentIsNoSignal() throws Exception {
        assertThat(
                        reasonOf(
                                add("p1", 1, "10").atMinute(0).json(),
                                event(EventType.SHIPPING_INFO).shipping("4.00").atMinute(1).json(),
                                event(EventType.PAYMENT_INFO).atMinute(2).json()))
                .isEqualTo("unknown");
    }

    @Test
    void repeatedPaymentFailuresHintPaymentProblem() throws Exception {
        assertThat(
                        reasonOf(
                                add("p1", 1, "10").atMinute(0).json(),
                                event(EventType.PAYMENT_INFO).atMinute(1).json(),
                                event(EventType.PAYMENT_FAILED)
                                        .error("card_declined")
                                        .atMinute(2)
                                        .json(),
                                event(EventType.PAYMENT_FAILED)
                                        .error("card_declined")
                                        .atMinute(3)
                                        .json()))
                .isEqualTo("payment_problem");
    }

    @Test
    void repeatedCheckoutErrorsHintComplicatedCheckout() throws Exception {
        assertThat(
                        reasonOf(
                                add("p1", 1, "10").atMinute(0).json(),
                                event(EventType.CHECKOUT_START).atMinute(1).json(),
                                event(EventType.CHECKOUT_ERROR)
                                        .error("address_invalid")
                                        .atMinute(2)
                                        .json(),
                                event(EventType.CHECKOUT_ERROR)
                                        .error("address_invalid")
                                        .atMinute(3)
                                        .json()))
                .isEqualTo("complicated_checkout");
    }

    @Test
    void longCheckoutHintsComplicatedCheckout() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(add("p1", 1, "10").atMinute(0).json());
        lines.add(event(EventType.CHECKOUT_START).atMinute(1).json());
        for (int minute = 5; minute <= 17; minute += 4) {
            lines.add(event(EventType.CHECKOUT_START).atMinute(minute).json());
        }
        assertThat(reasonOf(lines.toArray(String[]::new))).isEqualTo("complicated_checkout");
    }

    private String reasonOf(String... cartEvents) throws Exception {
        List<String> lines = new ArrayList<>(List.of(cartEvents));
        lines.add(clockAt(60));
        ReplayRun run = ReplayRun.of(dir, lines);
        assertThat(run.abandoned).hasSize(1);
        return run.abandoned.get(0).get("reason").asText();
    }

    @Test
    void badRecordsLandInTheDeadLetterFileWithReasonAndLine() throws Exception {
        ReplayRun run =
                replay(
                        "{broken",
                        add("p1", 1, "10").atMinute(0).json(),
                        "{\"event_id\":\"x\",\"type\":\"teleport\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"}",
                        clockAt(11));
        assertThat(run.abandoned).hasSize(1);
        assertThat(run.deadLetters).hasSize(2);
        assertThat(run.deadLetters)
                .anySatisfy(
                        d -> {
                            Schemas.assertValid("dead-letter.schema.json", d);
                            assertThat(d.get("reason").asText()).startsWith("malformed JSON");
                            assertThat(d.get("payload").asText()).isEqualTo("{broken");
                            assertThat(d.get("source").get("line").asLong()).isEqualTo(1);
                        });
        assertThat(run.deadLetters)
                .anySatisfy(
                        d -> {
                            assertThat(d.get("reason").asText())
                                    .isEqualTo("unknown type 'teleport'");
                            assertThat(d.get("source").get("line").asLong()).isEqualTo(3);
                        });
    }

    @Test
    void explicitCartIdIsKeptAndKeysTheTask() throws Exception {
        ReplayRun run =
                replayFor(
                        List.of("cust-9"),
                        add("p1", 1, "10").cart("c-123").customer("cust-9").atMinute(0).json(),
                        clockAt(11));
        assertThat(run.tasks)
                .singleElement()
                .satisfies(
                        task -> {
                            assertThat(task.get("cart_id").asText()).isEqualTo("c-123");
                            assertThat(task.get("task_id").asText())
                                    .isEqualTo(ContactTask.taskId(Events.STORE, "c-123", 1));
                        });
    }
}
