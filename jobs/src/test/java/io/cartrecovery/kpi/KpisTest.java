package io.cartrecovery.kpi;

import static io.cartrecovery.testing.Events.T0;
import static org.apache.flink.table.api.DataTypes.BIGINT;
import static org.apache.flink.table.api.DataTypes.DECIMAL;
import static org.apache.flink.table.api.DataTypes.FIELD;
import static org.apache.flink.table.api.DataTypes.ROW;
import static org.apache.flink.table.api.DataTypes.STRING;
import static org.apache.flink.table.api.DataTypes.TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.assignment.Alert;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartOpened;
import io.cartrecovery.followup.AttemptFact;
import io.cartrecovery.followup.HoldoutMembership;
import io.cartrecovery.followup.Recovery;
import io.cartrecovery.tasks.ContactTask;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CollectionUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The KPI window queries on {@code fromValues}: exact counts and decimal sums per window. */
class KpisTest {
    private static final LocalDateTime MINUTE_0 = LocalDateTime.ofInstant(T0, ZoneOffset.UTC);
    private static final LocalDateTime MINUTE_1 = MINUTE_0.plusMinutes(1);

    private static final String SHOP_1 = "shop-1";
    private static final String SHOP_2 = "shop-2";

    private static List<String> columns;
    private static List<Row> perMinute;
    private static List<Row> streamed;
    private static List<String> contactColumns;
    private static List<Row> contactsPerMinute;
    private static List<Row> contactsStreamed;
    private static List<Row> alertsPerMinute;

    /** One run per mode for all assertions: a table job costs seconds on a busy machine. */
    @BeforeAll
    static void runQuery() {
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        Table kpis = Kpis.perMinute(batch, abandoned(batch), tasks(batch), created(batch));
        columns = kpis.getResolvedSchema().getColumnNames();
        // Read to the end, which ends the job: nothing left to close.
        perMinute = CollectionUtil.iteratorToList(kpis.execute().collect());

        // The same facts as streams, out of order within a bound, windows closing on watermarks.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment streaming = StreamTableEnvironment.create(env);
        streamed =
                CollectionUtil.iteratorToList(
                        Kpis.perMinute(
                                        streaming,
                                        withEventTime(
                                                streaming, abandoned(streaming), "abandoned_at"),
                                        withEventTime(streaming, tasks(streaming), "occurred_at"),
                                        withEventTime(streaming, created(streaming), "created_at"))
                                .execute()
                                .collect());

        TableEnvironment contactBatch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        Table contacts = Kpis.contactsPerMinute(contactBatch, contactEvents(contactBatch));
        contactColumns = contacts.getResolvedSchema().getColumnNames();
        contactsPerMinute = CollectionUtil.iteratorToList(contacts.execute().collect());
        StreamTableEnvironment contactStreaming = StreamTableEnvironment.create(env);
        contactsStreamed =
                CollectionUtil.iteratorToList(
                        Kpis.contactsPerMinute(
                                        contactStreaming,
                                        withEventTime(
                                                contactStreaming,
                                                contactEvents(contactStreaming),
                                                "occurred_at"))
                                .execute()
                                .collect());

        TableEnvironment alertBatch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        alertsPerMinute =
                CollectionUtil.iteratorToList(
                        Kpis.alertsPerMinute(alertBatch, alertEvents(alertBatch))
                                .execute()
                                .collect());
    }

    /** Alerts: two SLA breaches of agent-1 in minute 0, a queue alert of no store or agent. */
    private static Table alertEvents(TableEnvironment env) {
        return env.fromValues(
                ROW(
                        FIELD("store_id", STRING()),
                        FIELD("agent_id", STRING()),
                        FIELD("type", STRING()),
                        FIELD("raised_at", TIMESTAMP(3))),
                Row.of(SHOP_1, AGENT_1, "sla_breached", MINUTE_0.plusSeconds(1)),
                Row.of(SHOP_1, AGENT_1, "sla_breached", MINUTE_1.minusNanos(1_000_000)),
                Row.of(SHOP_1, AGENT_1, "sla_at_risk", MINUTE_0.plusSeconds(2)),
                Row.of(null, null, "queue_growing", MINUTE_1));
    }

    @Test
    void alertsCountPerMinuteStoreAgentAndType() {
        assertThat(alertsPerMinute)
                .containsExactlyInAnyOrder(
                        Row.of(MINUTE_0, SHOP_1, AGENT_1, "sla_breached", 2L),
                        Row.of(MINUTE_0, SHOP_1, AGENT_1, "sla_at_risk", 1L),
                        // No store, no agent: '' rather than a lost row.
                        Row.of(MINUTE_1, "", "", "queue_growing", 1L));
    }

    private static Table withEventTime(StreamTableEnvironment env, Table table, String column) {
        return env.fromDataStream(
                env.toDataStream(table),
                Schema.newBuilder().watermark(column, column + " - INTERVAL '1' MINUTE").build());
    }

    private static Table abandoned(TableEnvironment env) {
        return env.fromValues(
                ROW(
                        FIELD("store_id", STRING()),
                        FIELD("stage", STRING()),
                        FIELD("reason", STRING()),
                        FIELD("currency", STRING()),
                        FIELD("cart_value", DECIMAL(18, 4)),
                        FIELD("abandoned_at", TIMESTAMP(3))),
                cart(SHOP_1, "checkout", "unknown", "EUR", "19.99", MINUTE_0.plusSeconds(5)),
                // The last millisecond of the first window and the first of the second.
                cart(SHOP_1, "checkout", "unknown", "EUR", "5.015", MINUTE_1.minusNanos(1_000_000)),
                cart(SHOP_1, "checkout", "unknown", "EUR", "3.00", MINUTE_1),
                cart(SHOP_1, "checkout", "unknown", "USD", "7.10", MINUTE_0.plusSeconds(30)),
                cart(
                        SHOP_2,
                        "payment",
                        "payment_problem",
                        "EUR",
                        "100.00",
                        MINUTE_0.plusSeconds(10)),
                // A store that sends no prices.
                cart(SHOP_2, "payment", "payment_problem", null, "0", MINUTE_1.plusSeconds(20)));
    }

    private static Table tasks(TableEnvironment env) {
        return env.fromValues(
                ROW(
                        FIELD("store_id", STRING()),
                        FIELD("type", STRING()),
                        FIELD("stage", STRING()),
                        FIELD("reason", STRING()),
                        FIELD("currency", STRING()),
                        FIELD("occurred_at", TIMESTAMP(3))),
                Row.of(SHOP_1, "create", "checkout", "unknown", "EUR", MINUTE_0.plusSeconds(40)),
                Row.of(SHOP_1, "cancel", null, null, null, MINUTE_1.plusSeconds(15)),
                Row.of(
                        SHOP_2,
                        "create",
                        "payment",
                        "payment_problem",
                        "EUR",
                        MINUTE_1.plusSeconds(5)));
    }

    /** Carts opened: shop-1 twice in minute 0 (one of them at its last millisecond), once later. */
    private static Table created(TableEnvironment env) {
        return env.fromValues(
                ROW(FIELD("store_id", STRING()), FIELD("created_at", TIMESTAMP(3))),
                Row.of(SHOP_1, MINUTE_0),
                Row.of(SHOP_1, MINUTE_1.minusNanos(1_000_000)),
                Row.of(SHOP_1, MINUTE_1.plusSeconds(50)),
                Row.of(SHOP_2, MINUTE_0.plusSeconds(1)));
    }

    /**
     * The contact steps of minute 0 and 1: shop-1's calls by two agents and a message, first
     * contacts with their seconds (one at exactly 30 minutes), recoveries in EUR and USD credited
     * to agent-1's calls, one of shop-2 without a channel, holdout membership and a natural
     * recovery.
     */
    private static Table contactEvents(TableEnvironment env) {
        return env.fromValues(
                ROW(
                        FIELD("store_id", STRING()),
                        FIELD("channel", STRING()),
                        FIELD("agent_id", STRING()),
                        FIELD("type", STRING()),
                        FIELD("currency", STRING()),
                        FIELD("recovered_value", DECIMAL(18, 4)),
                        FIELD("seconds", BIGINT()),
                        FIELD("occurred_at", TIMESTAMP(3))),
                step(CALL, AGENT_1, "attempted", null, MINUTE_0.plusSeconds(1)),
                step(CALL, AGENT_1, "first_contact", 600L, MINUTE_0.plusSeconds(1)),
                step(CALL, AGENT_1, "reached", null, MINUTE_0.plusSeconds(2)),
                step(CALL, AGENT_1, "responded", null, MINUTE_0.plusSeconds(2)),
                step(CALL, AGENT_1, "attempted", null, MINUTE_0.plusSeconds(30)),
                step(CALL, AGENT_1, "first_contact", 2400L, MINUTE_0.plusSeconds(30)),
                step(CALL, AGENT_2, "attempted", null, MINUTE_0.plusSeconds(10)),
                step(CALL, AGENT_2, "first_contact", 1800L, MINUTE_0.plusSeconds(10)),
                step("sms", null, "attempted", null, MINUTE_0.plusSeconds(3)),
                step("sms", null, "first_contact", 300L, MINUTE_0.plusSeconds(3)),
                step("sms", null, "reached", null, MINUTE_1.plusSeconds(3)),
                money(SHOP_1, CALL, AGENT_1, "recovered", "EUR", "19.99", MINUTE_1),
                money(
                        SHOP_1,
                        CALL,
                        AGENT_1,
                        "recovered",
                        "EUR",
                        "0.0150",
                        MINUTE_1.plusSeconds(59)),
                money(SHOP_1, CALL, AGENT_1, "recovered", "USD", "7.10", MINUTE_1.plusSeconds(9)),
                money(SHOP_2, null, null, "recovered", null, null, MINUTE_0.plusSeconds(9)),
                step(null, null, "treated", null, MINUTE_0.plusSeconds(4)),
                step(null, null, "treated", null, MINUTE_0.plusSeconds(5)),
                step(null, null, "held_out", null, MINUTE_0.plusSeconds(6)),
                money(SHOP_1, null, null, "holdout_recovered", "EUR", "30.00", MINUTE_1));
    }

    private static final String CALL = "call";
    private static final String AGENT_1 = "agent-1";
    private static final String AGENT_2 = "agent-2";

    /** A step of shop-1 without money. */
    private static Row step(
            String channel, String agent, String type, Long seconds, LocalDateTime at) {
        return Row.of(SHOP_1, channel, agent, type, null, null, seconds, at);
    }

    private static Row money(
            String store,
            String channel,
            String agent,
            String type,
            String currency,
            String value,
            LocalDateTime at) {
        return Row.of(
                store,
                channel,
                agent,
                type,
                currency,
                value == null ? null : new BigDecimal(value),
                null,
                at);
    }

    @Test
    void contactResultHasTheDocumentedColumns() {
        assertThat(contactColumns)
                .containsExactly(
                        "minute_start",
                        "store_id",
                        "channel",
                        "agent_id",
                        "currency",
                        "attempts",
                        "reached",
                        "responded",
                        "first_contacts",
                        "first_contact_seconds",
                        "first_contacts_within_30m",
                        "first_contact_p50_seconds",
                        "first_contact_p90_seconds",
                        "recoveries",
                        "recovered_value",
                        "carts_treated",
                        "carts_held_out",
                        "holdout_recoveries",
                        "holdout_recovered_value");
    }

    @Test
    void attemptsCountPerMinuteChannelAndAgent() {
        assertThat(contactKpi(MINUTE_0, SHOP_1, CALL, AGENT_1, ""))
                .containsEntry("attempts", 2L)
                .containsEntry("reached", 1L)
                .containsEntry("responded", 1L);
        assertThat(contactKpi(MINUTE_0, SHOP_1, CALL, AGENT_2, ""))
                .containsEntry("attempts", 1L)
                .containsEntry("reached", 0L);
        // A message has no agent: it counts under ''.
        assertThat(contactKpi(MINUTE_0, SHOP_1, "sms", "", "")).containsEntry("attempts", 1L);
        assertThat(contactKpi(MINUTE_1, SHOP_1, "sms", "", ""))
                .containsEntry("attempts", 0L)
                .containsEntry("reached", 1L);
    }

    @Test
    void firstContactsCountWithTheirSecondsAndTheMinutesPercentiles() {
        assertThat(contactKpi(MINUTE_0, SHOP_1, CALL, AGENT_1, ""))
                .containsEntry("first_contacts", 2L)
                .containsEntry("first_contact_seconds", 3000L)
                .containsEntry("first_contacts_within_30m", 1L)
                // Interpolated between 600 and 2400.
                .containsEntry("first_contact_p50_seconds", 1500.0)
                .containsEntry("first_contact_p90_seconds", 2220.0);
        // Exactly 30 minutes is within 30 minutes.
        assertThat(contactKpi(MINUTE_0, SHOP_1, CALL, AGENT_2, ""))
                .containsEntry("first_contacts_within_30m", 1L)
                .containsEntry("first_contact_p50_seconds", 1800.0);
        assertThat(contactKpi(MINUTE_1, SHOP_1, "sms", "", ""))
                .containsEntry("first_contacts", 0L)
                .containsEntry("first_contact_seconds", 0L)
                .containsEntry("first_contact_p50_seconds", null)
                .containsEntry("first_contact_p90_seconds", null);
    }

    @Test
    void recoveriesCountPerCurrencyWithExactValues() {
        assertThat(contactKpi(MINUTE_1, SHOP_1, CALL, AGENT_1, "EUR"))
                .containsEntry("recoveries", 2L)
                .containsEntry("recovered_value", new BigDecimal("20.0050"));
        assertThat(contactKpi(MINUTE_1, SHOP_1, CALL, AGENT_1, "USD"))
                .containsEntry("recoveries", 1L)
                .containsEntry("recovered_value", new BigDecimal("7.1000"));
        // No channel, no currency: '' rather than a lost row.
        assertThat(contactKpi(MINUTE_0, SHOP_2, "", "", ""))
                .containsEntry("recoveries", 1L)
                .containsEntry("recovered_value", new BigDecimal("0.0000"));
    }

    @Test
    void holdoutMembershipAndNaturalRecoveriesCountApart() {
        assertThat(contactKpi(MINUTE_0, SHOP_1, "", "", ""))
                .containsEntry("carts_treated", 2L)
                .containsEntry("carts_held_out", 1L)
                .containsEntry("recoveries", 0L);
        assertThat(contactKpi(MINUTE_1, SHOP_1, "", "", "EUR"))
                .containsEntry("holdout_recoveries", 1L)
                .containsEntry("holdout_recovered_value", new BigDecimal("30.0000"))
                .containsEntry("recoveries", 0L)
                .containsEntry("recovered_value", new BigDecimal("0.0000"));
    }

    @Test
    void everyContactWindowAndDimensionIsOneRow() {
        assertThat(contactsPerMinute).hasSize(9);
    }

    @Test
    void streamingContactWindowsGiveTheSameRowsAsBatch() {
        assertThat(contactsStreamed).containsExactlyInAnyOrderElementsOf(contactsPerMinute);
    }

    /** The one row of the window and dimensions, by column name. */
    private static Map<String, Object> contactKpi(
            LocalDateTime minute, String store, String channel, String agent, String currency) {
        List<Map<String, Object>> rows =
                contactsPerMinute.stream()
                        .map(KpisTest::named)
                        .filter(
                                r ->
                                        r.get("minute_start").equals(minute)
                                                && r.get("store_id").equals(store)
                                                && r.get("channel").equals(channel)
                                                && r.get("agent_id").equals(agent)
                                                && r.get("currency").equals(currency))
                        .toList();
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static Map<String, Object> named(Row row) {
        Map<String, Object> named = new HashMap<>();
        for (int i = 0; i < contactColumns.size(); i++) {
            named.put(contactColumns.get(i), row.getField(i));
        }
        return named;
    }

    @Test
    void resultHasTheDocumentedColumns() {
        // A column renamed in the SQL breaks its readers (the ClickHouse sink, the boards).
        assertThat(columns)
                .containsExactly(
                        "minute_start",
                        "store_id",
                        "stage",
                        "reason",
                        "currency",
                        "carts_abandoned",
                        "abandoned_value",
                        "tasks_created",
                        "tasks_cancelled",
                        "carts_created");
    }

    @Test
    void cartsCountInTheMinuteOfTheirLastActivityWithExactValues() {
        assertThat(perMinute)
                .contains(
                        kpi(MINUTE_0, SHOP_1, "checkout", "unknown", "EUR", 2, "25.0050", 1, 0),
                        kpi(MINUTE_1, SHOP_1, "checkout", "unknown", "EUR", 1, "3.0000", 0, 0));
    }

    @Test
    void valuesOfDifferentCurrenciesAreNeverAddedUp() {
        assertThat(perMinute)
                .contains(kpi(MINUTE_0, SHOP_1, "checkout", "unknown", "USD", 1, "7.1000", 0, 0));
    }

    @Test
    void storesAreCountedApart() {
        assertThat(perMinute)
                .contains(
                        kpi(
                                MINUTE_0,
                                SHOP_2,
                                "payment",
                                "payment_problem",
                                "EUR",
                                1,
                                "100.0000",
                                0,
                                0),
                        kpi(MINUTE_1, SHOP_2, "payment", "payment_problem", "", 1, "0.0000", 0, 0));
    }

    @Test
    void tasksCountInTheMinuteTheyOccurred() {
        assertThat(perMinute)
                .contains(
                        kpi(
                                MINUTE_1,
                                SHOP_2,
                                "payment",
                                "payment_problem",
                                "EUR",
                                0,
                                "0.0000",
                                1,
                                0),
                        // A cancel knows only its store (so does the cart created then).
                        kpi(MINUTE_1, SHOP_1, "", "", "", 0, "0.0000", 0, 1, 1));
    }

    @Test
    void createdCartsCountPerStoreInTheMinuteTheyOpened() {
        assertThat(perMinute)
                .contains(
                        kpi(MINUTE_0, SHOP_1, "", "", "", 0, "0.0000", 0, 0, 2),
                        kpi(MINUTE_0, SHOP_2, "", "", "", 0, "0.0000", 0, 0, 1));
        // Per store, created carts are all there is to the abandonment rate's denominator.
        assertThat(perMinute.stream().mapToLong(r -> r.<Long>getFieldAs("carts_created")).sum())
                .isEqualTo(4);
    }

    @Test
    void everyWindowAndDimensionIsOneRow() {
        assertThat(perMinute).hasSize(9);
    }

    @Test
    void streamingWindowsGiveTheSameRowsAsBatch() {
        assertThat(streamed).containsExactlyInAnyOrderElementsOf(perMinute);
    }

    private static Row cart(
            String store,
            String stage,
            String reason,
            String currency,
            String value,
            LocalDateTime abandonedAt) {
        return Row.of(store, stage, reason, currency, new BigDecimal(value), abandonedAt);
    }

    private static Row kpi(
            LocalDateTime minute,
            String store,
            String stage,
            String reason,
            String currency,
            long carts,
            String value,
            long created,
            long cancelled) {
        return kpi(minute, store, stage, reason, currency, carts, value, created, cancelled, 0);
    }

    /** BigDecimal equality includes the scale: sums must come out at the columns' scale of 4. */
    private static Row kpi(
            LocalDateTime minute,
            String store,
            String stage,
            String reason,
            String currency,
            long carts,
            String value,
            long created,
            long cancelled,
            long cartsCreated) {
        return Row.of(
                minute,
                store,
                stage,
                reason,
                currency,
                carts,
                new BigDecimal(value),
                created,
                cancelled,
                cartsCreated);
    }

    @Test
    void thePlannersOperatorsGetStableUids() {
        List<String> first = kpiUids();
        assertThat(first)
                .as("the window aggregate has a planner uid")
                .anyMatch(uid -> uid.matches("\\d+_global-window-aggregate"));
        // The planner numbers plan nodes with a counter per JVM: a JVM that planned other
        // queries before numbers them higher. Relative to the query's first node, the uids are
        // the same on every build, which is what a fresh client JVM gives in absolute terms.
        assertThat(rebased(kpiUids())).isEqualTo(rebased(first));
    }

    /** The uids of the KPI pipeline's operators, built in a fresh environment. */
    private static List<String> kpiUids() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KpiStreams.perMinute(
                        env.fromData(
                                List.<AbandonedCart>of(), TypeInformation.of(AbandonedCart.class)),
                        env.fromData(List.<ContactTask>of(), TypeInformation.of(ContactTask.class)),
                        env.fromData(List.<CartOpened>of(), TypeInformation.of(CartOpened.class)),
                        Duration.ofMinutes(10))
                .sinkTo(new DiscardingSink<>());
        KpiStreams.contactsPerMinute(
                        env.fromData(List.<AttemptFact>of(), TypeInformation.of(AttemptFact.class)),
                        env.fromData(List.<Recovery>of(), TypeInformation.of(Recovery.class)),
                        env.fromData(
                                List.<HoldoutMembership>of(),
                                TypeInformation.of(HoldoutMembership.class)),
                        Duration.ofMinutes(1),
                        Duration.ofDays(7))
                .sinkTo(new DiscardingSink<>());
        KpiStreams.alertsPerMinute(
                        env.fromData(List.<Alert>of(), TypeInformation.of(Alert.class)),
                        Duration.ofMinutes(1))
                .sinkTo(new DiscardingSink<>());
        return env.getStreamGraph().getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .filter(uid -> uid != null)
                .sorted()
                .toList();
    }

    /** Planner uids ({@code <id>_<transformation>}) with ids counted from the query's first. */
    private static List<String> rebased(List<String> uids) {
        int base =
                uids.stream()
                        .filter(u -> u.matches("\\d+_.*"))
                        .mapToInt(u -> Integer.parseInt(u.substring(0, u.indexOf('_'))))
                        .min()
                        .orElseThrow();
        return uids.stream()
                .map(
                        u ->
                                u.matches("\\d+_.*")
                                        ? (Integer.parseInt(u.substring(0, u.indexOf('_'))) - base)
                                                + u.substring(u.indexOf('_'))
                                        : u)
                .sorted()
                .toList();
    }
}
