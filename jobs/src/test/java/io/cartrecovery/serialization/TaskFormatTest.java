package io.cartrecovery.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.assignment.AgentRelease;
import io.cartrecovery.assignment.Assigner;
import io.cartrecovery.assignment.AssignmentInput;
import io.cartrecovery.assignment.Call;
import io.cartrecovery.assignment.CallSerializer;
import io.cartrecovery.assignment.HeldInputSerializer;
import io.cartrecovery.assignment.PendingCallSerializer;
import io.cartrecovery.compliance.ContactTiming;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.detection.SessionStats;
import io.cartrecovery.enrich.CartEnricher;
import io.cartrecovery.enrich.CartEnricher.WaitingCart;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.enrich.WaitingCartSerializer;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.Stage;
import io.cartrecovery.followup.Attempt;
import io.cartrecovery.followup.CartSequence;
import io.cartrecovery.followup.CartSequenceSerializer;
import io.cartrecovery.followup.FollowUp;
import io.cartrecovery.followup.FollowUpInput;
import io.cartrecovery.followup.FollowUpInputSerializer;
import io.cartrecovery.followup.OutcomeRouter;
import io.cartrecovery.followup.Purchase;
import io.cartrecovery.followup.WaitingOutcomeSerializer;
import io.cartrecovery.ingest.SourcePosition;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.outcomes.ContactOutcome;
import io.cartrecovery.outcomes.Objection;
import io.cartrecovery.outcomes.OutcomeCode;
import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.ReasonCode;
import io.cartrecovery.priority.Tier;
import io.cartrecovery.profiles.Consent;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.scripts.Message;
import io.cartrecovery.scripts.ScriptOrMessage;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.testing.RoundTrip;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The state formats of the follow-up's sequences and the assigner's calls: every field comes back,
 * no record gains a field the format leaves out, and state kept by Flink's POJO serializer (the
 * version before) is migrated on restore.
 */
class TaskFormatTest {
    private static final long T0 = Instant.parse("2026-11-26T23:30:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;

    static AbandonedCart cart() {
        return new AbandonedCart(
                "c-1",
                "shop-1",
                "cust-1",
                "anon-1",
                List.of(
                        new CartLine("p1", "Mug", 2, new BigDecimal("9.50")),
                        new CartLine("p2", "Tëa", 1, null)),
                new BigDecimal("19.00"),
                "EUR",
                Stage.PAYMENT,
                ReasonHint.UNEXPECTED_COSTS,
                new BigDecimal("4.90"),
                T0 - 20 * MINUTE,
                T0 - 10 * MINUTE,
                10 * MINUTE,
                T0,
                "contact",
                new SessionStats(7, 3, 600_000L, 4, 1, 2),
                new ContactDetails("Ana", "ana@example.com", null));
    }

    static Enrichment enrichment() {
        CustomerProfile profile =
                new CustomerProfile(
                        "shop-1",
                        "cust-1",
                        "Ana",
                        "+34600000000",
                        "ana@example.com",
                        "es",
                        "Europe/Madrid",
                        Map.of(
                                Channel.CALL,
                                new Consent(true, T0 - 86_400_000L),
                                Channel.EMAIL,
                                new Consent(false, null)),
                        false,
                        3,
                        new BigDecimal("250.10"),
                        T0 - 30 * 86_400_000L);
        Priority priority =
                new Priority(
                        72,
                        List.of(new ReasonCode("high_value", 30), new ReasonCode("returning", -5)),
                        new BigDecimal("0.35"),
                        new BigDecimal("6.65"),
                        Tier.HIGH);
        return new Enrichment(profile, "Europe/Madrid", priority);
    }

    static EnrichedCart enriched() {
        return new EnrichedCart(
                cart(),
                enrichment(),
                new ContactDecision(ContactDecision.Outcome.CONTACT, Channel.CALL),
                new ContactTiming(T0 + 510 * MINUTE, T0 + 540 * MINUTE, T0 + 510 * MINUTE));
    }

    static ContactTask create() {
        return ContactTask.create(enriched(), 1, Channel.CALL, enriched().timing(), T0)
                .withAssignedAgent("agent-7");
    }

    static ContactTask cancel() {
        return ContactTask.cancel(
                new CartClosed(
                        "c-1", "shop-1", "cust-1", CartClosed.Cause.PURCHASED, T0 + MINUTE, "o-9"),
                2,
                Channel.WHATSAPP);
    }

    static CartSequence sequence() {
        CartSequence seq = new CartSequence();
        seq.enriched = enriched();
        seq.holdout = false;
        seq.startedAt = T0;
        Attempt first = new Attempt();
        first.number = 1;
        first.taskId = ContactTask.taskId("shop-1", "c-1", 1);
        first.channel = Channel.CALL;
        first.issuedAt = T0;
        first.dueBy = T0 + 540 * MINUTE;
        first.notBefore = T0 + 510 * MINUTE;
        first.status = Attempt.ATTEMPTED;
        first.outcomes = new ArrayList<>(List.of("no_answer", "callback_requested"));
        first.agentId = "agent-7";
        first.objection = "price";
        first.reachedAt = T0 + 515 * MINUTE;
        first.responded = true;
        first.attemptedAt = T0 + 512 * MINUTE;
        first.endedAt = T0 + 520 * MINUTE;
        Attempt second = new Attempt();
        second.number = 2;
        second.taskId = ContactTask.taskId("shop-1", "c-1", 2);
        second.channel = Channel.WHATSAPP;
        second.issuedAt = T0 + 600 * MINUTE;
        second.dueBy = T0 + 660 * MINUTE;
        seq.attempts = new ArrayList<>(List.of(first, second));
        seq.nextAt = T0 + 1_440 * MINUTE;
        seq.nextChannel = Channel.EMAIL;
        seq.nextKind = "step";
        seq.lastPlanned = true;
        seq.ended = false;
        return seq;
    }

    @Test
    void everyFieldOfTheRecordsKeptIsWritten() {
        TaskFormat.FIELDS.forEach(
                (type, fields) ->
                        assertThat(type.getRecordComponents())
                                .as(
                                        "%s gained or lost a field: write it in TaskFormat, as a"
                                                + " new format version that reads the old one",
                                        type.getSimpleName())
                                .hasSize(fields));
        assertThat(instanceFields(CartSequence.class))
                .as("CartSequence's fields, as CartSequenceSerializer writes them")
                .hasSize(9);
        assertThat(instanceFields(Attempt.class))
                .as("Attempt's fields, as CartSequenceSerializer writes them")
                .hasSize(14);
        assertThat(Call.class.getRecordComponents())
                .as("Call, as CallSerializer writes it")
                .hasSize(5);
    }

    private static List<Field> instanceFields(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .toList();
    }

    @Test
    void tasksComeBackAsTheyWent() throws IOException {
        for (ContactTask task : List.of(create(), cancel(), create().withAssignedAgent(null))) {
            assertThat(RoundTrip.of(PendingCallSerializer.INSTANCE, task)).isEqualTo(task);
        }
        Call call = new Call(create(), "agent-7", T0 + MINUTE, true, false);
        assertThat(RoundTrip.of(CallSerializer.INSTANCE, call)).isEqualTo(call);
        Call queued = new Call(create().withAssignedAgent(null), null, T0, false, true);
        assertThat(RoundTrip.of(CallSerializer.INSTANCE, queued)).isEqualTo(queued);
    }

    @Test
    void aCartWithoutProfileOrPriorityComesBack() throws IOException {
        AbandonedCart anonymous =
                new AbandonedCart(
                        "c-2",
                        "shop-1",
                        null,
                        "anon-2",
                        List.of(),
                        BigDecimal.ZERO,
                        "EUR",
                        Stage.CART,
                        null,
                        null,
                        T0,
                        T0,
                        0,
                        T0,
                        null);
        CartSequence seq = new CartSequence();
        seq.enriched = new EnrichedCart(anonymous, new Enrichment(null, null, null), null, null);
        seq.holdout = true;
        seq.startedAt = T0;
        CartSequence back = RoundTrip.of(CartSequenceSerializer.INSTANCE, seq);
        assertThat(back).usingRecursiveComparison().isEqualTo(seq);
        assertThat(back.nextAt).isEqualTo(CartSequence.NONE);
    }

    @Test
    void aSequenceComesBackAsItWentAndTheCopyIsDeep() throws IOException {
        CartSequence seq = sequence();
        assertThat(RoundTrip.of(CartSequenceSerializer.INSTANCE, seq))
                .usingRecursiveComparison()
                .isEqualTo(seq);
        CartSequence copy = CartSequenceSerializer.INSTANCE.copy(seq);
        copy.attempts.get(0).outcomes.add("reached");
        assertThat(seq.attempts.get(0).outcomes).hasSize(2);
    }

    @Test
    void aTaskWithItsRenderedTextIsNotKept() {
        ContactTask rendered =
                create().withContent(
                                new ScriptOrMessage(
                                        null, new Message("Your cart", "Hola Ana", null), "es"));
        assertThatThrownBy(
                        () ->
                                PendingCallSerializer.INSTANCE.serialize(
                                        rendered, new DataOutputSerializer(64)))
                .hasMessageContaining("rendered content");
    }

    @Test
    void theFormatIsSmallerThanThePojoSerializers() throws IOException {
        CartSequence seq = sequence();
        TypeSerializer<CartSequence> pojo = pojoSerializer(CartSequence.class);
        assertThat(pojo).isInstanceOf(PojoSerializer.class);
        int before = size(pojo, seq);
        int after = size(CartSequenceSerializer.INSTANCE, seq);
        assertThat(after)
                .as("bytes of format 1 against %s of the POJO", before)
                .isLessThan(before * 2 / 3);
    }

    private static <T> TypeSerializer<T> pojoSerializer(Class<T> type) {
        return TypeInformation.of(type)
                .createSerializer(
                        new org.apache.flink.api.common.serialization.SerializerConfigImpl());
    }

    private static <T> int size(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return out.length();
    }

    /**
     * Keeps one value in a map state (under {@code mapKey}) or a list state, named as the version
     * before named it, by its descriptor; sends every value kept back out on each element.
     */
    static final class Keeper<V> extends KeyedProcessFunction<String, V, V> {
        private final StateDescriptor<?, ?> descriptor;
        private final Object mapKey;
        private transient MapState<Object, V> map;
        private transient ListState<V> list;

        Keeper(StateDescriptor<?, ?> descriptor, Object mapKey) {
            this.descriptor = descriptor;
            this.mapKey = mapKey;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void open(OpenContext context) {
            if (descriptor instanceof MapStateDescriptor<?, ?> mapDescriptor) {
                map =
                        getRuntimeContext()
                                .getMapState((MapStateDescriptor<Object, V>) mapDescriptor);
            } else {
                list = getRuntimeContext().getListState((ListStateDescriptor<V>) descriptor);
            }
        }

        @Override
        public void processElement(V value, Context ctx, Collector<V> out) throws Exception {
            if (value != null) {
                if (map != null) {
                    map.put(mapKey, value);
                } else {
                    list.add(value);
                }
            }
            for (V kept : map != null ? map.values() : list.get()) {
                out.collect(kept);
            }
        }
    }

    /**
     * The value as the version before kept it (Flink's POJO serializer under the same state name),
     * restored into the descriptor the operator uses now; then kept and read again after a second
     * snapshot in the new format.
     */
    private static <V> List<V> restoredAcrossTheUpgrade(
            boolean rocksDb, StateDescriptor<?, ?> before, StateDescriptor<?, ?> now, V value)
            throws Exception {
        var older = keeper(rocksDb, before);
        OperatorSubtaskState snapshot;
        try {
            older.open();
            older.processElement(new StreamRecord<>(value, T0));
            snapshot = older.snapshot(1, 1);
        } finally {
            older.close();
        }
        var newer = keeper(rocksDb, now);
        OperatorSubtaskState migrated;
        try {
            newer.initializeState(snapshot);
            newer.open();
            newer.processElement(new StreamRecord<>(null, T0));
            migrated = newer.snapshot(2, 2);
        } finally {
            newer.close();
        }
        KeyedOneInputStreamOperatorTestHarness<String, V, V> again = keeper(rocksDb, now);
        try {
            again.initializeState(migrated);
            again.open();
            again.processElement(new StreamRecord<>(null, T0));
            return again.extractOutputValues();
        } finally {
            again.close();
        }
    }

    private static <V> KeyedOneInputStreamOperatorTestHarness<String, V, V> keeper(
            boolean rocksDb, StateDescriptor<?, ?> descriptor) throws Exception {
        Object mapKey = descriptor.getName().equals("held-cancels-releases") ? (Object) 7L : "v";
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Keeper<V>(descriptor, mapKey)),
                        v -> "k",
                        Types.STRING);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return harness;
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {true, false})
    void sequencesKeptByThePojoSerializerAreMigratedOnRestore(boolean rocksDb) throws Exception {
        CartSequence seq = sequence();
        List<CartSequence> back =
                restoredAcrossTheUpgrade(
                        rocksDb,
                        new MapStateDescriptor<>("carts", String.class, CartSequence.class),
                        io.cartrecovery.followup.FollowUp.CARTS,
                        seq);
        assertThat(back).singleElement().usingRecursiveComparison().isEqualTo(seq);
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {true, false})
    void callsKeptByThePojoSerializerAreMigratedOnRestore(boolean rocksDb) throws Exception {
        Call call = new Call(create(), "agent-7", T0 + MINUTE, true, false);
        assertThat(
                        restoredAcrossTheUpgrade(
                                rocksDb,
                                new MapStateDescriptor<>(
                                        "calls", Types.STRING, TypeInformation.of(Call.class)),
                                io.cartrecovery.assignment.Assigner.CALLS,
                                call))
                .containsExactly(call);
        ContactTask pending = create().withAssignedAgent(null);
        assertThat(
                        restoredAcrossTheUpgrade(
                                rocksDb,
                                new MapStateDescriptor<>(
                                        "pending",
                                        Types.STRING,
                                        TypeInformation.of(ContactTask.class)),
                                io.cartrecovery.assignment.Assigner.PENDING,
                                pending))
                .containsExactly(pending);
    }

    static Purchase purchase() {
        return new Purchase(
                "shop-1", "cust-1", "c-1", "o-9", T0 + 2 * MINUTE, new BigDecimal("19.00"), "EUR");
    }

    static ParsedOutcome outcome() {
        return new ParsedOutcome(
                new ContactOutcome(
                        create().taskId(),
                        "shop-1",
                        "c-1",
                        1,
                        "agent-7",
                        Channel.CALL,
                        OutcomeCode.CALLBACK_REQUESTED,
                        Objection.SHIPPING_COST,
                        T0 + 3 * MINUTE,
                        T0 + 60 * MINUTE,
                        "call after lunch"),
                null,
                "{\"task_id\":\"...\"}".getBytes(StandardCharsets.UTF_8),
                SourcePosition.kafka("contact-outcomes", 2, 41));
    }

    /** Every kind of input the follow-up holds, and the assigner's held cancel and release. */
    static List<FollowUpInput> followUpInputs() {
        CartClosed closed =
                new CartClosed("c-1", "shop-1", "cust-1", CartClosed.Cause.EMPTIED, T0, null);
        return List.of(
                FollowUpInput.of(enriched()),
                FollowUpInput.of(closed),
                FollowUpInput.of(purchase()),
                FollowUpInput.of(new CustomerKey("shop-1\ncust-1"), outcome()));
    }

    @Test
    void waitingInputsComeBackAsTheyWent() throws IOException {
        for (FollowUpInput input : followUpInputs()) {
            assertThat(RoundTrip.of(FollowUpInputSerializer.INSTANCE, input))
                    .usingRecursiveComparison()
                    .isEqualTo(input);
        }
        ParsedOutcome rejected =
                new ParsedOutcome(
                        null,
                        outcome().reject("unknown task_id", T0),
                        outcome().payload(),
                        outcome().position());
        assertThat(RoundTrip.of(WaitingOutcomeSerializer.INSTANCE, rejected))
                .usingRecursiveComparison()
                .isEqualTo(rejected);
        WaitingCart waiting = new WaitingCart(cart(), T0 + MINUTE);
        assertThat(RoundTrip.of(WaitingCartSerializer.INSTANCE, waiting)).isEqualTo(waiting);
        for (AssignmentInput held :
                List.of(
                        AssignmentInput.of(cancel()),
                        AssignmentInput.of(
                                new AgentRelease(create().taskId(), T0, AgentRelease.CANCELLED)))) {
            assertThat(RoundTrip.of(HeldInputSerializer.INSTANCE, held)).isEqualTo(held);
        }
        assertThat(instanceFields(FollowUpInput.class)).hasSize(6);
        assertThat(AssignmentInput.class.getRecordComponents()).hasSize(3);
        assertThat(WaitingCart.class.getRecordComponents()).hasSize(2);
    }

    @Test
    void aRosterUpdateIsNeverHeld() {
        AssignmentInput update =
                AssignmentInput.of(
                        new io.cartrecovery.assignment.Agent(
                                "agent-7",
                                List.of("*"),
                                List.of("es"),
                                "UTC",
                                List.of(),
                                5,
                                50,
                                true));
        assertThatThrownBy(
                        () ->
                                HeldInputSerializer.INSTANCE.serialize(
                                        update, new DataOutputSerializer(64)))
                .hasMessageContaining("never held");
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {true, false})
    void waitingInputsKeptByThePojoSerializerAreMigratedOnRestore(boolean rocksDb)
            throws Exception {
        for (FollowUpInput input : followUpInputs()) {
            assertThat(
                            restoredAcrossTheUpgrade(
                                    rocksDb,
                                    new ListStateDescriptor<>("pending", FollowUpInput.class),
                                    FollowUp.PENDING,
                                    input))
                    .singleElement()
                    .usingRecursiveComparison()
                    .isEqualTo(input);
        }
        assertThat(
                        restoredAcrossTheUpgrade(
                                rocksDb,
                                new ListStateDescriptor<>("waiting-outcomes", ParsedOutcome.class),
                                OutcomeRouter.WAITING,
                                outcome()))
                .singleElement()
                .usingRecursiveComparison()
                .isEqualTo(outcome());
        WaitingCart waiting = new WaitingCart(cart(), T0 + MINUTE);
        assertThat(
                        restoredAcrossTheUpgrade(
                                rocksDb,
                                new ListStateDescriptor<>(
                                        "carts-before-profiles", WaitingCart.class),
                                CartEnricher.WAITING,
                                waiting))
                .containsExactly(waiting);
        List<AssignmentInput> held =
                List.of(
                        AssignmentInput.of(cancel()),
                        AssignmentInput.of(
                                new AgentRelease(create().taskId(), T0, AgentRelease.CANCELLED)));
        assertThat(
                        restoredAcrossTheUpgrade(
                                rocksDb,
                                new MapStateDescriptor<>(
                                        "held-cancels-releases",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(AssignmentInput.class))),
                                Assigner.HELD,
                                held))
                .containsExactly(held);
    }
}
