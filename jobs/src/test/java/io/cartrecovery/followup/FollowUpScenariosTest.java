package io.cartrecovery.followup;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.minutes;
import static io.cartrecovery.testing.Events.purchase;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.testing.Events;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follow-up through the replay path ({@code replay --profiles --outcomes}): the cadence, each
 * outcome rule, cancellation on purchase, holdout and attribution, in event time.
 */
class FollowUpScenariosTest {
    private static final double HOUR = 60;

    /** Events days after T0 must not be refused as dated in the future. */
    private static final Map<String, String> SETTINGS = Map.of("ingest.max-future-skew", "3650d");

    @TempDir Path dir;

    /** A customer who consents to calls, WhatsApp and e-mail (not SMS); their carts rank high. */
    private static String profile(String customer) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"order_count\":6,\"lifetime_value\":\"1500.00\",\"name\":\"Ana Pérez\","
                + "\"phone\":\"+34612345678\",\"email\":\"ana@example.com\",\"language\":\"es\","
                + "\"consent\":{\"call\":{\"granted\":true},\"whatsapp\":{\"granted\":true},"
                + "\"email\":{\"granted\":true}}}";
    }

    private static String cart(String customer) {
        return "cart-" + customer;
    }

    private static String taskId(String customer, int attempt) {
        return ContactTask.taskId(Events.STORE, cart(customer), attempt);
    }

    /** An abandoned cart of 250.00 at T0, reported at minute 10 (the default gap). */
    private static String abandon(String customer) {
        return add("p1", 1, "250.00").customer(customer).cart(cart(customer)).atMinute(0).json();
    }

    private static ObjectNode outcome(
            String customer, int attempt, String channel, String code, double minute) {
        ObjectNode node = ClickEventJson.MAPPER.createObjectNode();
        node.put("task_id", taskId(customer, attempt));
        node.put("store_id", Events.STORE);
        node.put("cart_id", cart(customer));
        node.put("attempt", attempt);
        node.put("agent_id", channel.equals("call") ? "agent-7" : null);
        node.put("channel", channel);
        node.put("outcome", code);
        node.put("time", Instant.ofEpochMilli(minutes(minute)).toString());
        node.put("notes", "asked about +34612345678");
        return node;
    }

    private static Map<String, List<JsonNode>> byCustomer(List<JsonNode> records) {
        Map<String, List<JsonNode>> by = new HashMap<>();
        for (JsonNode r : records) {
            String cartId = r.get("cart_id").asText();
            by.computeIfAbsent(cartId.substring("cart-".length()), k -> new ArrayList<>()).add(r);
        }
        return by;
    }

    private static List<String> createdChannels(List<JsonNode> tasks) {
        return tasks.stream()
                .filter(t -> t.get("type").asText().equals("create"))
                .sorted((a, b) -> a.get("attempt").asInt() - b.get("attempt").asInt())
                .map(t -> t.get("channel").asText())
                .toList();
    }

    private static Map<Integer, String> cancels(List<JsonNode> tasks) {
        return tasks.stream()
                .filter(t -> t.get("type").asText().equals("cancel"))
                .collect(
                        Collectors.toMap(
                                t -> t.get("attempt").asInt(),
                                t -> t.get("cancel_reason").asText()));
    }

    private static JsonNode create(List<JsonNode> tasks, int attempt) {
        return tasks.stream()
                .filter(t -> t.get("type").asText().equals("create"))
                .filter(t -> t.get("attempt").asInt() == attempt)
                .findFirst()
                .orElseThrow();
    }

    /**
     * The cadence's events of one attempt. These replays have no agents, so every call also leaves
     * the assignment queue unassigned a day after it was due ({@code expired}, reason {@code
     * unassigned}): the assignment's business, tested there.
     */
    private static List<String> eventTypes(List<JsonNode> events, int attempt) {
        return events.stream()
                .filter(e -> e.get("attempt").asInt() == attempt)
                .filter(e -> !"unassigned".equals(e.path("reason").asText()))
                .map(e -> e.get("type").asText())
                .toList();
    }

    @Test
    void outcomesSteerTheCadence() throws Exception {
        List<String> customers = List.of("plain", "callback", "bought", "nope", "dnc", "wrong");
        List<String> events = new ArrayList<>();
        customers.forEach(c -> events.add(abandon(c)));
        events.add(
                purchase()
                        .customer("bought")
                        .cart(cart("bought"))
                        .item("p1", 1, "250.00")
                        .atMinute(5 * HOUR)
                        .json());
        // A later cart of the customer who asked not to be contacted.
        events.add(
                add("p2", 1, "300.00")
                        .customer("dnc")
                        .cart("cart-dnc2")
                        .atMinute(10 * HOUR)
                        .json());
        events.add(clockAt(95 * HOUR));

        ObjectNode callback = outcome("callback", 1, "call", "callback_requested", 20);
        callback.put("callback_at", Instant.ofEpochMilli(minutes(2 * HOUR)).toString());
        ObjectNode noCallbackTime = outcome("callback", 1, "call", "callback_requested", 21);
        ObjectNode unknown = outcome("plain", 1, "call", "no_answer", 30);
        unknown.put("cart_id", "cart-never-seen");
        unknown.put("task_id", ContactTask.taskId(Events.STORE, "cart-never-seen", 1));
        ObjectNode mismatch = outcome("plain", 2, "call", "no_answer", 30);
        mismatch.put("attempt", 1);
        List<String> outcomes =
                List.of(
                        callback.toString(),
                        outcome("bought", 1, "call", "reached_interested", 15).toString(),
                        outcome("nope", 1, "call", "reached_not_interested", 15).toString(),
                        outcome("nope", 1, "call", "reached_not_interested", 16).toString(),
                        outcome("dnc", 1, "call", "do_not_contact", 15).toString(),
                        outcome("wrong", 1, "call", "wrong_number", 15).toString(),
                        noCallbackTime.toString(),
                        unknown.toString(),
                        mismatch.toString());

        ReplayRun run =
                ReplayRun.withOutcomes(
                        dir,
                        events,
                        customers.stream().map(FollowUpScenariosTest::profile).toList(),
                        outcomes,
                        SETTINGS);

        run.tasks.forEach(t -> Schemas.assertValid("contact-task.schema.json", t));
        run.taskEvents.forEach(
                e -> {
                    Schemas.assertValid("task-event.schema.json", e);
                    assertThat(e.toString()).doesNotContain("+34612345678", "Ana");
                });
        Set<String> eventIds = new HashSet<>();
        run.taskEvents.forEach(e -> assertThat(eventIds.add(e.get("event_id").asText())).isTrue());
        Map<String, List<JsonNode>> tasks = byCustomer(run.tasks);
        Map<String, List<JsonNode>> taskEvents = byCustomer(run.taskEvents);

        // No outcome at all: every step on its channel, each expiring as the next is issued,
        // the last one followup.attempt-expiry after it was issued.
        List<JsonNode> plain = tasks.get("plain");
        assertThat(createdChannels(plain))
                .containsExactly("call", "whatsapp", "call", "email", "call");
        assertThat(create(plain, 1).get("task_id").asText()).isEqualTo(taskId("plain", 1));
        assertThat(create(plain, 1).get("due_by").asText())
                .isEqualTo(Instant.ofEpochMilli(minutes(30)).toString());
        assertThat(create(plain, 2).get("due_by").asText())
                .isEqualTo(Instant.ofEpochMilli(minutes(4 * HOUR + 30)).toString());
        assertThat(cancels(plain))
                .isEqualTo(
                        Map.of(
                                1, "expired", 2, "expired", 3, "expired", 4, "expired", 5,
                                "expired"));
        assertThat(eventTypes(taskEvents.get("plain"), 5)).containsExactly("created", "expired");

        // Callback: the next call at the asked time, the 4h step after it as planned.
        List<JsonNode> cb = tasks.get("callback");
        assertThat(create(cb, 2).get("channel").asText()).isEqualTo("call");
        assertThat(create(cb, 2).get("due_by").asText())
                .isEqualTo(Instant.ofEpochMilli(minutes(2 * HOUR + 30)).toString());
        assertThat(createdChannels(cb))
                .containsExactly("call", "call", "whatsapp", "call", "email", "call");
        assertThat(cancels(cb)).doesNotContainKey(1);
        assertThat(eventTypes(taskEvents.get("callback"), 1))
                .containsExactly("created", "attempted", "outcome", "rescheduled");

        // Purchase mid-sequence: the open attempt 2 is cancelled, nothing after, and the
        // recovery is credited to the call that reached the shopper.
        List<JsonNode> bought = tasks.get("bought");
        assertThat(createdChannels(bought)).containsExactly("call", "whatsapp");
        assertThat(cancels(bought)).isEqualTo(Map.of(2, "purchased"));
        JsonNode recovered =
                taskEvents.get("bought").stream()
                        .filter(e -> e.get("type").asText().equals("recovered"))
                        .collect(Collectors.toList())
                        .get(0);
        assertThat(run.eventsOfType("recovered")).hasSize(1);
        assertThat(recovered.get("attempt").asInt()).isEqualTo(1);
        assertThat(recovered.get("credited").asBoolean()).isTrue();
        assertThat(recovered.get("agent_id").asText()).isEqualTo("agent-7");
        assertThat(recovered.get("value").asText()).isEqualTo("250.00");

        // Not interested: the sequence ends with its first attempt.
        assertThat(createdChannels(tasks.get("nope"))).containsExactly("call");
        assertThat(cancels(tasks.get("nope"))).isEmpty();

        // Do not contact: ends this sequence and blocks the customer's later cart.
        assertThat(createdChannels(tasks.get("dnc"))).containsExactly("call");
        assertThat(tasks).doesNotContainKey("dnc2");

        // Wrong number: e-mail at once, and every later step falls back to e-mail, one a day (the
        // cap), each waiting for the last one's moment; the step that would be issued past 72 h
        // after the first contact is not made.
        List<JsonNode> wrong = tasks.get("wrong");
        assertThat(createdChannels(wrong))
                .containsExactly("call", "email", "email", "email", "email");
        for (int attempt = 3; attempt <= 5; attempt++) {
            assertThat(create(wrong, attempt).get("not_before").asText())
                    .isEqualTo(
                            Instant.ofEpochMilli(minutes((attempt - 2) * 24 * HOUR + 15))
                                    .toString());
        }
        assertThat(cancels(wrong)).containsValues("expired").doesNotContainKey(6);
        assertThat(
                        taskEvents.get("wrong").stream()
                                .filter(e -> e.get("type").asText().equals("created"))
                                .filter(e -> e.get("attempt").asInt() == 2)
                                .findFirst()
                                .orElseThrow()
                                .get("reason")
                                .asText())
                .isEqualTo("fallback");

        List<String> reasons =
                run.deadLetters.stream().map(d -> d.get("reason").asText()).sorted().toList();
        assertThat(reasons)
                .hasSize(4)
                .anySatisfy(r -> assertThat(r).startsWith("callback_requested needs callback_at"))
                .anySatisfy(r -> assertThat(r).startsWith("duplicate outcome for task_id"))
                .anySatisfy(r -> assertThat(r).contains("cart_id was never reported"))
                .anySatisfy(r -> assertThat(r).startsWith("task_id does not match"));
        run.deadLetters.forEach(
                d -> {
                    Schemas.assertValid("dead-letter.schema.json", d);
                    assertThat(d.get("reason").asText()).doesNotContain("+34612345678");
                });
    }

    /**
     * Only contactable carts get tasks: an anonymous visitor's cart, and a known customer's cart
     * without a profile (no contact details, no consent), are abandoned-cart facts with their value
     * and reason, not contactable, with no task, no task event and no holdout; an outcome a dialer
     * reports for them anyway is a dead letter.
     */
    @Test
    void cartsWithoutContactDetailsAreFactsWithoutTasks() throws Exception {
        List<String> events =
                List.of(
                        abandon("known"),
                        add("p1", 2, "45.50").visitor("v-1").cart("cart-anon").atMinute(0).json(),
                        abandon("noprofile"),
                        clockAt(20));
        ObjectNode anonCall = outcome("anon", 1, "call", "reached_interested", 15);
        ReplayRun run =
                ReplayRun.withOutcomes(
                        dir,
                        events,
                        List.of(profile("known")),
                        List.of(anonCall.toString()),
                        SETTINGS);

        run.abandoned.forEach(a -> Schemas.assertValid("abandoned-cart.schema.json", a));
        Map<String, JsonNode> carts =
                run.abandoned.stream()
                        .collect(Collectors.toMap(a -> a.get("cart_id").asText(), a -> a));
        assertThat(carts).containsOnlyKeys(cart("known"), cart("anon"), cart("noprofile"));
        JsonNode anon = carts.get(cart("anon"));
        assertThat(anon.get("cart_value").asText()).isEqualTo("91.00");
        assertThat(anon.get("reason").asText()).isEqualTo("unknown");
        assertThat(anon.get("stage").asText()).isEqualTo("cart");
        assertThat(anon.get("contact_decision").asText()).isEqualTo("unknown_customer");
        assertThat(anon.get("contactable").asBoolean()).isFalse();
        assertThat(carts.get(cart("noprofile")).get("cart_value").asText()).isEqualTo("250.00");
        assertThat(carts.get(cart("noprofile")).get("contactable").asBoolean()).isFalse();
        assertThat(carts.get(cart("known")).get("contactable").asBoolean()).isTrue();

        // Tasks and task events of the contactable cart only, every one with its channel.
        assertThat(run.tasks).isNotEmpty();
        assertThat(run.tasks)
                .allSatisfy(t -> assertThat(t.get("cart_id").asText()).isEqualTo(cart("known")));
        assertThat(run.tasksOfType("create"))
                .allSatisfy(t -> assertThat(t.get("channel").isTextual()).isTrue());
        assertThat(run.taskEvents)
                .allSatisfy(e -> assertThat(e.get("cart_id").asText()).isEqualTo(cart("known")));
        assertThat(run.deadLetters)
                .singleElement()
                .satisfies(
                        d -> {
                            Schemas.assertValid("dead-letter.schema.json", d);
                            assertThat(d.get("reason").asText()).startsWith("unknown task_id");
                        });
    }

    /**
     * An outcome on another channel than its task's is no result of that task: a dead letter with
     * the reason, never applied (no attempted or outcome event, the cadence goes on as without it).
     */
    @Test
    void outcomeOnAnotherChannelThanItsTaskIsADeadLetter() throws Exception {
        List<String> events = List.of(abandon("ana"), clockAt(5 * HOUR));
        ReplayRun run =
                ReplayRun.withOutcomes(
                        dir,
                        events,
                        List.of(profile("ana")),
                        List.of(
                                // Attempt 1 is a call: the dialer reports a WhatsApp message.
                                outcome("ana", 1, "whatsapp", "replied", 15).toString(),
                                // Attempt 2 is a WhatsApp message: its own channel, applied.
                                outcome("ana", 2, "whatsapp", "delivered", 4 * HOUR + 1)
                                        .toString()),
                        SETTINGS);

        List<JsonNode> tasks = byCustomer(run.tasks).get("ana");
        assertThat(createdChannels(tasks)).containsExactly("call", "whatsapp");
        // Attempt 1 got no outcome: it expired when attempt 2 was issued.
        assertThat(cancels(tasks)).containsEntry(1, "expired");
        Map<String, List<JsonNode>> events1 = byCustomer(run.taskEvents);
        assertThat(eventTypes(events1.get("ana"), 1)).containsExactly("created", "expired");
        assertThat(eventTypes(events1.get("ana"), 2))
                .containsExactly("created", "attempted", "outcome");
        assertThat(run.deadLetters)
                .singleElement()
                .satisfies(
                        d -> {
                            Schemas.assertValid("dead-letter.schema.json", d);
                            assertThat(d.get("reason").asText())
                                    .isEqualTo(
                                            "channel mismatch: the outcome is on whatsapp, its"
                                                    + " task on call");
                        });
    }

    /**
     * Issue 13, item 2, through the real job: a cart abandoned at 23:30 in the customer's zone
     * (Madrid) gets its first call at 08:00 local with its 20 minutes to act, the call is not
     * withdrawn before then (it used to expire at 03:30, when the 4 h step was issued), and the
     * cadence counts from that first contact. An agent on shift around the clock takes the call
     * when it is issued.
     */
    @Test
    void nightAbandonedCustomerGetsTheCallWithAUsableWindow() throws Exception {
        String profile =
                profile("owl")
                        .replace(
                                "\"language\":\"es\"",
                                "\"language\":\"es\",\"time_zone\":\"Europe/Madrid\"");
        double abandonedAt = 12 * HOUR + 30; // 22:30Z, 23:30 in Madrid
        List<String> events =
                List.of(
                        add("p1", 1, "250.00")
                                .customer("owl")
                                .cart(cart("owl"))
                                .atMinute(abandonedAt)
                                .json(),
                        clockAt(abandonedAt + 100 * HOUR));
        String agent =
                "{\"agent_id\":\"ana\",\"stores\":[\"shop-1\"],\"time_zone\":\"Europe/Madrid\","
                        + "\"shift\":{\"mon\":\"00:00-24:00\",\"tue\":\"00:00-24:00\","
                        + "\"wed\":\"00:00-24:00\",\"thu\":\"00:00-24:00\",\"fri\":\"00:00-24:00\","
                        + "\"sat\":\"00:00-24:00\",\"sun\":\"00:00-24:00\"},"
                        + "\"max_open_tasks\":50,\"max_tasks_per_day\":500}";
        ReplayRun run =
                ReplayRun.withAgents(dir, events, List.of(profile), List.of(agent), SETTINGS);

        run.tasks.forEach(t -> Schemas.assertValid("contact-task.schema.json", t));
        List<JsonNode> tasks = byCustomer(run.tasks).get("owl");
        assertThat(createdChannels(tasks))
                .containsExactly("call", "whatsapp", "call", "email", "call");
        JsonNode call = create(tasks, 1);
        assertThat(call.get("customer").get("timezone").asText()).isEqualTo("Europe/Madrid");
        assertThat(call.get("issued_at").asText()).isEqualTo("2026-11-26T22:40:00Z");
        assertThat(call.get("not_before").asText()).isEqualTo("2026-11-27T07:00:00Z");
        assertThat(call.get("due_by").asText()).isEqualTo("2026-11-27T07:20:00Z");
        assertThat(
                        tasks.stream()
                                .filter(t -> t.get("attempt").asInt() == 1)
                                .map(t -> t.path("assigned_agent").asText(""))
                                .toList())
                .contains("ana");
        // Withdrawn only once its time to act is over: when the WhatsApp step, counted from the
        // call's 08:00, is issued at 11:50 local.
        JsonNode expired =
                tasks.stream()
                        .filter(t -> t.get("type").asText().equals("cancel"))
                        .filter(t -> t.get("attempt").asInt() == 1)
                        .findFirst()
                        .orElseThrow();
        assertThat(expired.get("cancel_reason").asText()).isEqualTo("expired");
        assertThat(expired.get("cancelled_at").asText()).isEqualTo("2026-11-27T10:50:00Z");
        assertThat(create(tasks, 2).get("issued_at").asText()).isEqualTo("2026-11-27T10:50:00Z");
        assertThat(create(tasks, 2).get("not_before").isNull()).isTrue();
        // Every attempt had its time to act before it was withdrawn.
        for (JsonNode cancel : tasks) {
            if (cancel.get("type").asText().equals("cancel")) {
                JsonNode created = create(tasks, cancel.get("attempt").asInt());
                assertThat(Instant.parse(cancel.get("cancelled_at").asText()))
                        .isAfterOrEqualTo(Instant.parse(created.get("due_by").asText()));
            }
        }
    }

    @Test
    void promiseGetsOneReminderAndBounceFallsBack() throws Exception {
        List<String> customers = List.of("promise", "bounce");
        List<String> events = new ArrayList<>();
        customers.forEach(c -> events.add(abandon(c)));
        events.add(clockAt(50 * HOUR));
        ReplayRun run =
                ReplayRun.withOutcomes(
                        dir,
                        events,
                        customers.stream().map(FollowUpScenariosTest::profile).toList(),
                        List.of(
                                outcome("promise", 1, "call", "promised_to_buy", 15).toString(),
                                outcome("bounce", 1, "call", "no_answer", 15).toString(),
                                outcome("bounce", 2, "whatsapp", "delivered", 4 * HOUR + 1)
                                        .toString(),
                                outcome("bounce", 2, "whatsapp", "bounced", 4 * HOUR + 2)
                                        .toString()),
                        SETTINGS);
        Map<String, List<JsonNode>> tasks = byCustomer(run.tasks);

        // One reminder message a day after the promise, then nothing more.
        List<JsonNode> promise = tasks.get("promise");
        assertThat(createdChannels(promise)).containsExactly("call", "whatsapp");
        assertThat(create(promise, 2).get("due_by").asText())
                .isEqualTo(Instant.ofEpochMilli(minutes(24 * HOUR + 15 + 30)).toString());

        // A bounced WhatsApp message: the next channel (no SMS consent: e-mail) at once, and no
        // more WhatsApp for this customer.
        List<JsonNode> bounce = tasks.get("bounce");
        assertThat(createdChannels(bounce))
                .containsExactly("call", "whatsapp", "email", "call", "email");
        assertThat(run.deadLetters).isEmpty();
    }

    @Test
    void holdoutIsStableAcrossReplaysAndGetsNoTask() throws Exception {
        List<String> events = new ArrayList<>();
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            customers.add("h" + i);
            events.add(abandon("h" + i));
        }
        events.add(clockAt(20));
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.put("followup.holdout-share", "0.3");
        // Only contactable carts are held out or contacted: every customer has a profile.
        List<String> profiles = customers.stream().map(FollowUpScenariosTest::profile).toList();
        Set<String> first = contacted(ReplayRun.withProfiles(dir, events, profiles, settings));
        Set<String> second = contacted(ReplayRun.withProfiles(dir, events, profiles, settings));

        Set<String> expected =
                customers.stream()
                        .filter(c -> !Holdout.heldOut(Events.STORE, cart(c), 0.3))
                        .map(FollowUpScenariosTest::cart)
                        .collect(Collectors.toSet());
        assertThat(first).isEqualTo(second).isEqualTo(expected);
        assertThat(first.size()).isBetween(10, 29);
    }

    private static Set<String> contacted(ReplayRun run) {
        return run.tasks.stream().map(t -> t.get("cart_id").asText()).collect(Collectors.toSet());
    }

    @Test
    void purchaseWithinTheAttributionWindowIsARecovery() throws Exception {
        double detected = 10;
        double week = 7 * 24 * HOUR;
        List<String> events =
                List.of(
                        abandon("inside"),
                        abandon("outside"),
                        // By customer, with no cart id: long after the tracker forgot the cart.
                        purchase()
                                .customer("inside")
                                .item("p9", 2, "40.00")
                                .atMinute(detected + week - 1)
                                .json(),
                        purchase()
                                .customer("outside")
                                .item("p9", 2, "40.00")
                                .atMinute(detected + week + 1)
                                .json(),
                        clockAt(detected + week + 10));
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.put("followup.steps", "0m:call");
        ReplayRun run =
                ReplayRun.withProfiles(
                        dir, events, List.of(profile("inside"), profile("outside")), settings);

        assertThat(run.eventsOfType("recovered"))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.get("cart_id").asText()).isEqualTo(cart("inside"));
                            assertThat(e.get("credited").asBoolean()).isFalse();
                            assertThat(e.get("value").asText()).isEqualTo("80.00");
                        });
    }
}
