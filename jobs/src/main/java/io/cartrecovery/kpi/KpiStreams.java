package io.cartrecovery.kpi;

import io.cartrecovery.assignment.Alert;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartOpened;
import io.cartrecovery.followup.AttemptFact;
import io.cartrecovery.followup.HoldoutMembership;
import io.cartrecovery.followup.Recovery;
import io.cartrecovery.tasks.ContactTask;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.types.Row;

/**
 * The KPI windows of a running job: its abandoned and created carts, contact tasks, the follow-up's
 * facts and the alerts, in their own event time, through {@link Kpis}, back to a stream of closed
 * minutes (docs/clickhouse.md, "KPI windows").
 */
public final class KpiStreams {
    private static final TypeInformation<Row> CART_ROW =
            Types.ROW_NAMED(
                    new String[] {
                        "store_id", "stage", "reason", "currency", "cart_value", "abandoned_at"
                    },
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.BIG_DEC,
                    Types.LOCAL_DATE_TIME);

    private static final TypeInformation<Row> TASK_ROW =
            Types.ROW_NAMED(
                    new String[] {"store_id", "type", "stage", "reason", "currency", "occurred_at"},
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.LOCAL_DATE_TIME);

    private static final TypeInformation<Row> CREATED_ROW =
            Types.ROW_NAMED(
                    new String[] {"store_id", "created_at"}, Types.STRING, Types.LOCAL_DATE_TIME);

    private static final TypeInformation<Row> CONTACT_ROW =
            Types.ROW_NAMED(
                    new String[] {
                        "store_id",
                        "channel",
                        "agent_id",
                        "type",
                        "currency",
                        "recovered_value",
                        "seconds",
                        "occurred_at"
                    },
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.BIG_DEC,
                    Types.LONG,
                    Types.LOCAL_DATE_TIME);

    private static final TypeInformation<Row> ALERT_ROW =
            Types.ROW_NAMED(
                    new String[] {"store_id", "agent_id", "type", "raised_at"},
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.LOCAL_DATE_TIME);

    private KpiStreams() {}

    /**
     * @param holdBack how far behind the job's watermark the windows' watermark stays: the longest
     *     gap plus the out-of-orderness bound, as a cart is reported up to a gap after its last
     *     activity, and a late event's cart once the event is read; plus the allowed lateness
     *     (docs/clickhouse.md, "KPI windows")
     */
    public static DataStream<KpiMinute> perMinute(
            DataStream<AbandonedCart> abandoned,
            DataStream<ContactTask> tasks,
            DataStream<CartOpened> opened,
            Duration holdBack) {
        StreamTableEnvironment env = tableEnvironment(abandoned);
        List<DataStream<?>> inputs = new ArrayList<>();
        Table carts =
                env.fromDataStream(
                        read(
                                inputs,
                                abandoned
                                        .transform(
                                                "kpi cart time",
                                                abandoned.getType(),
                                                new HeldBackEventTime<>(
                                                        AbandonedCart::abandonedAt, holdBack))
                                        .uid("kpi-cart-time")
                                        .process(
                                                new KpiRows<>(
                                                        "abandoned cart", KpiStreams::cartRow))
                                        .returns(CART_ROW)
                                        .name("kpi cart row")
                                        .uid("kpi-cart-row")),
                        eventTime(
                                Schema.newBuilder()
                                        .column("store_id", DataTypes.STRING())
                                        .column("stage", DataTypes.STRING())
                                        .column("reason", DataTypes.STRING())
                                        .column("currency", DataTypes.STRING())
                                        .column("cart_value", DataTypes.DECIMAL(18, 4)),
                                "abandoned_at"));
        Table contactTasks =
                env.fromDataStream(
                        read(
                                inputs,
                                tasks.transform(
                                                "kpi task time",
                                                tasks.getType(),
                                                new HeldBackEventTime<>(
                                                        KpiStreams::occurredAt, holdBack))
                                        .uid("kpi-task-time")
                                        .process(new KpiRows<>("task", KpiStreams::taskRow))
                                        .returns(TASK_ROW)
                                        .name("kpi task row")
                                        .uid("kpi-task-row")),
                        eventTime(
                                Schema.newBuilder()
                                        .column("store_id", DataTypes.STRING())
                                        .column("type", DataTypes.STRING())
                                        .column("stage", DataTypes.STRING())
                                        .column("reason", DataTypes.STRING())
                                        .column("currency", DataTypes.STRING()),
                                "occurred_at"));
        Table createdCarts =
                env.fromDataStream(
                        read(
                                inputs,
                                opened.transform(
                                                "kpi created cart time",
                                                opened.getType(),
                                                new HeldBackEventTime<>(
                                                        CartOpened::openedAt, holdBack))
                                        .uid("kpi-created-cart-time")
                                        .process(
                                                new KpiRows<>(
                                                        "created cart", KpiStreams::createdRow))
                                        .returns(CREATED_ROW)
                                        .name("kpi created cart row")
                                        .uid("kpi-created-cart-row")),
                        eventTime(
                                Schema.newBuilder().column("store_id", DataTypes.STRING()),
                                "created_at"));
        return PlannerOperatorNames.name(
                        env.toDataStream(Kpis.perMinute(env, carts, contactTasks, createdCarts)),
                        "kpi minute",
                        inputs)
                .map(KpiStreams::kpiMinute)
                .returns(KpiMinute.class)
                .name("kpi minute")
                .uid("kpi-minute");
    }

    /**
     * The contact KPI windows: attempts, reached, responded, first contacts, recoveries and holdout
     * per minute, store, channel, agent and currency, from the follow-up's facts.
     *
     * @param holdBack how far behind the job's watermark the windows' watermark stays: the
     *     out-of-orderness bound plus the allowed lateness (docs/clickhouse.md, "KPI windows"). The
     *     follow-up holds outcomes and purchases until its watermark reaches their event time and
     *     writes their facts then, so on-time inputs are never behind the facts' watermark; an
     *     outcome the dialer reports after the clickstream passed its time is applied behind it,
     *     and the allowed lateness keeps its minute open for it.
     * @param retention how long a cart's counted attempts are remembered after its latest fact
     *     (detection's task retention: the follow-up takes no outcome after it)
     */
    public static DataStream<ContactKpiMinute> contactsPerMinute(
            DataStream<AttemptFact> attempts,
            DataStream<Recovery> recoveries,
            DataStream<HoldoutMembership> holdout,
            Duration holdBack,
            Duration retention) {
        StreamTableEnvironment env = tableEnvironment(attempts);
        List<DataStream<?>> inputs = new ArrayList<>();
        DataStream<ContactEvent> steps =
                attempts.keyBy(AttemptSteps::key)
                        .process(new AttemptSteps(retention))
                        .name("kpi attempt steps")
                        .uid(AttemptSteps.UID)
                        .union(
                                recoveries
                                        .map(KpiStreams::recovered)
                                        .returns(ContactEvent.class)
                                        .name("kpi recoveries")
                                        .uid("kpi-recoveries"),
                                holdout.map(KpiStreams::membership)
                                        .returns(ContactEvent.class)
                                        .name("kpi holdout")
                                        .uid("kpi-holdout"));
        Table contactEvents =
                env.fromDataStream(
                        read(
                                inputs,
                                steps.transform(
                                                "kpi contact time",
                                                steps.getType(),
                                                new HeldBackEventTime<>(
                                                        ContactEvent::time, holdBack))
                                        .uid("kpi-contact-time")
                                        .process(new KpiRows<>("contact", KpiStreams::contactRow))
                                        .returns(CONTACT_ROW)
                                        .name("kpi contact row")
                                        .uid("kpi-contact-row")),
                        eventTime(
                                Schema.newBuilder()
                                        .column("store_id", DataTypes.STRING())
                                        .column("channel", DataTypes.STRING())
                                        .column("agent_id", DataTypes.STRING())
                                        .column("type", DataTypes.STRING())
                                        .column("currency", DataTypes.STRING())
                                        .column("recovered_value", DataTypes.DECIMAL(18, 4))
                                        .column("seconds", DataTypes.BIGINT()),
                                "occurred_at"));
        return PlannerOperatorNames.name(
                        env.toDataStream(Kpis.contactsPerMinute(env, contactEvents)),
                        "contact kpi minute",
                        inputs)
                .map(KpiStreams::contactKpiMinute)
                .returns(ContactKpiMinute.class)
                .name("contact kpi minute")
                .uid("contact-kpi-minute");
    }

    /**
     * The alert KPI windows: alerts raised per minute, store, agent and type.
     *
     * @param holdBack the out-of-orderness bound plus the allowed lateness: an alert is raised when
     *     the assignment's watermark reaches its time
     */
    public static DataStream<AlertKpiMinute> alertsPerMinute(
            DataStream<Alert> alerts, Duration holdBack) {
        StreamTableEnvironment env = tableEnvironment(alerts);
        List<DataStream<?>> inputs = new ArrayList<>();
        Table alertEvents =
                env.fromDataStream(
                        read(
                                inputs,
                                alerts.transform(
                                                "kpi alert time",
                                                alerts.getType(),
                                                new HeldBackEventTime<>(Alert::at, holdBack))
                                        .uid("kpi-alert-time")
                                        .process(new KpiRows<>("alert", KpiStreams::alertRow))
                                        .returns(ALERT_ROW)
                                        .name("kpi alert row")
                                        .uid("kpi-alert-row")),
                        eventTime(
                                Schema.newBuilder()
                                        .column("store_id", DataTypes.STRING())
                                        .column("agent_id", DataTypes.STRING())
                                        .column("type", DataTypes.STRING()),
                                "raised_at"));
        return PlannerOperatorNames.name(
                        env.toDataStream(Kpis.alertsPerMinute(env, alertEvents)),
                        "alert kpi minute",
                        inputs)
                .map(KpiStreams::alertKpiMinute)
                .returns(AlertKpiMinute.class)
                .name("alert kpi minute")
                .uid("alert-kpi-minute");
    }

    /** A stream a query's table is made from, noted so its operators keep their own names. */
    private static <T> DataStream<T> read(List<DataStream<?>> inputs, DataStream<T> rows) {
        inputs.add(rows);
        return rows;
    }

    private static StreamTableEnvironment tableEnvironment(DataStream<?> stream) {
        StreamTableEnvironment env =
                StreamTableEnvironment.create(stream.getExecutionEnvironment());
        // The planner's operators (the window aggregate holds the open windows) get uids of their
        // own, "<node id>_<transformation>", instead of hashes of the whole job graph: a change
        // elsewhere in the job keeps the open windows in a savepoint; a change of the KPI query
        // renumbers its nodes and drops them (docs/clickhouse.md).
        env.getConfig()
                .set(
                        ExecutionConfigOptions.TABLE_EXEC_UID_GENERATION,
                        ExecutionConfigOptions.UidGeneration.ALWAYS);
        return env;
    }

    /**
     * The time column as TIMESTAMP(3), the event-time attribute, with the stream's (held-back)
     * watermark rather than one computed from the column.
     */
    private static Schema eventTime(Schema.Builder columns, String time) {
        return columns.column(time, DataTypes.TIMESTAMP(3))
                .watermark(time, "SOURCE_WATERMARK()")
                .build();
    }

    /** A create counts when the cart's gap ran out, a cancel at the purchase or emptying. */
    private static long occurredAt(ContactTask task) {
        return task.cart() != null
                ? task.cart().abandonedAt() + task.cart().gapMillis()
                : task.closed().eventTime();
    }

    private static Row cartRow(AbandonedCart cart) {
        return Row.of(
                cart.storeId(),
                cart.stage().wireName(),
                cart.reason().wireName(),
                cart.currency(),
                money(cart.cartValue()),
                utc(cart.abandonedAt()));
    }

    private static Row taskRow(ContactTask task) {
        AbandonedCart cart = task.cart();
        return Row.of(
                task.storeId(),
                task.type().wireName(),
                cart == null ? null : cart.stage().wireName(),
                cart == null ? null : cart.reason().wireName(),
                cart == null ? null : cart.currency(),
                utc(occurredAt(task)));
    }

    private static Row createdRow(CartOpened cart) {
        return Row.of(cart.storeId(), utc(cart.openedAt()));
    }

    private static ContactEvent recovered(Recovery recovery) {
        return new ContactEvent(
                recovery.storeId(),
                recovery.channel(),
                recovery.agentId(),
                recovery.holdout() ? ContactEvent.HOLDOUT_RECOVERED : ContactEvent.RECOVERED,
                recovery.currency(),
                recovery.value(),
                null,
                recovery.recoveredAt());
    }

    private static ContactEvent membership(HoldoutMembership member) {
        return new ContactEvent(
                member.storeId(),
                null,
                null,
                member.holdout() ? ContactEvent.HELD_OUT : ContactEvent.TREATED,
                null,
                null,
                null,
                member.assignedAt());
    }

    private static Row contactRow(ContactEvent event) {
        return Row.of(
                event.storeId(),
                event.channel(),
                event.agentId(),
                event.type(),
                event.currency(),
                money(event.value()),
                event.seconds(),
                utc(event.time()));
    }

    private static Row alertRow(Alert alert) {
        return Row.of(alert.storeId(), alert.agentId(), alert.type().wireName(), utc(alert.at()));
    }

    private static AlertKpiMinute alertKpiMinute(Row row) {
        return new AlertKpiMinute(
                epochMillis(row.getFieldAs("minute_start")),
                row.getFieldAs("store_id"),
                row.getFieldAs("agent_id"),
                row.getFieldAs("type"),
                row.<Long>getFieldAs("alerts"));
    }

    private static ContactKpiMinute contactKpiMinute(Row row) {
        return new ContactKpiMinute(
                epochMillis(row.getFieldAs("minute_start")),
                row.getFieldAs("store_id"),
                row.getFieldAs("channel"),
                row.getFieldAs("agent_id"),
                row.getFieldAs("currency"),
                row.<Long>getFieldAs("attempts"),
                row.<Long>getFieldAs("reached"),
                row.<Long>getFieldAs("responded"),
                row.<Long>getFieldAs("first_contacts"),
                row.<Long>getFieldAs("first_contact_seconds"),
                row.<Long>getFieldAs("first_contacts_within_30m"),
                row.getFieldAs("first_contact_p50_seconds"),
                row.getFieldAs("first_contact_p90_seconds"),
                row.<Long>getFieldAs("recoveries"),
                row.getFieldAs("recovered_value"),
                row.<Long>getFieldAs("carts_treated"),
                row.<Long>getFieldAs("carts_held_out"),
                row.<Long>getFieldAs("holdout_recoveries"),
                row.getFieldAs("holdout_recovered_value"));
    }

    private static KpiMinute kpiMinute(Row row) {
        return new KpiMinute(
                epochMillis(row.getFieldAs("minute_start")),
                row.getFieldAs("store_id"),
                row.getFieldAs("stage"),
                row.getFieldAs("reason"),
                row.getFieldAs("currency"),
                row.<Long>getFieldAs("carts_abandoned"),
                row.getFieldAs("abandoned_value"),
                row.<Long>getFieldAs("tasks_created"),
                row.<Long>getFieldAs("tasks_cancelled"),
                row.<Long>getFieldAs("carts_created"));
    }

    /**
     * Rounded half-even to the column's scale here, as the facts are, so the windows add up the
     * very amounts stored in abandoned_carts (the conversion to DECIMAL(18, 4) would round
     * half-up).
     */
    private static BigDecimal money(BigDecimal amount) {
        return amount == null ? null : amount.setScale(4, RoundingMode.HALF_EVEN);
    }

    private static long epochMillis(LocalDateTime utc) {
        return utc.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
