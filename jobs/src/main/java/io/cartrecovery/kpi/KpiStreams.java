package io.cartrecovery.kpi;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartOpened;
import io.cartrecovery.followup.TaskEvent;
import io.cartrecovery.tasks.ContactTask;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
 * The KPI windows of a running job: its abandoned and created carts, contact tasks and task events,
 * in their own event time, through {@link Kpis}, back to a stream of closed minutes
 * (docs/clickhouse.md, "KPI windows").
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
                        "store_id", "channel", "type", "currency", "recovered_value", "occurred_at"
                    },
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.BIG_DEC,
                    Types.LOCAL_DATE_TIME);

    private KpiStreams() {}

    /**
     * @param holdBack how far behind the job's watermark the windows' watermark stays: the longest
     *     gap plus the out-of-orderness bound, as a cart is reported up to a gap after its last
     *     activity, and a late event's cart once the event is read
     */
    public static DataStream<KpiMinute> perMinute(
            DataStream<AbandonedCart> abandoned,
            DataStream<ContactTask> tasks,
            DataStream<CartOpened> opened,
            Duration holdBack) {
        StreamTableEnvironment env = tableEnvironment(abandoned);
        Table carts =
                env.fromDataStream(
                        abandoned
                                .transform(
                                        "kpi cart time",
                                        abandoned.getType(),
                                        new HeldBackEventTime<>(
                                                AbandonedCart::abandonedAt, holdBack))
                                .uid("kpi-cart-time")
                                .map(KpiStreams::cartRow)
                                .returns(CART_ROW)
                                .name("kpi cart row")
                                .uid("kpi-cart-row"),
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
                        tasks.transform(
                                        "kpi task time",
                                        tasks.getType(),
                                        new HeldBackEventTime<>(KpiStreams::occurredAt, holdBack))
                                .uid("kpi-task-time")
                                .map(KpiStreams::taskRow)
                                .returns(TASK_ROW)
                                .name("kpi task row")
                                .uid("kpi-task-row"),
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
                        opened.transform(
                                        "kpi created cart time",
                                        opened.getType(),
                                        new HeldBackEventTime<>(CartOpened::openedAt, holdBack))
                                .uid("kpi-created-cart-time")
                                .map(KpiStreams::createdRow)
                                .returns(CREATED_ROW)
                                .name("kpi created cart row")
                                .uid("kpi-created-cart-row"),
                        eventTime(
                                Schema.newBuilder().column("store_id", DataTypes.STRING()),
                                "created_at"));
        return env.toDataStream(Kpis.perMinute(env, carts, contactTasks, createdCarts))
                .map(KpiStreams::kpiMinute)
                .returns(KpiMinute.class)
                .name("kpi minute")
                .uid("kpi-minute");
    }

    /**
     * The contact KPI windows: attempts, reached, responded and recoveries per minute, store,
     * channel and currency, from the follow-up's task events.
     *
     * @param holdBack how far behind the job's watermark the windows' watermark stays: the
     *     out-of-orderness bound is enough (docs/clickhouse.md, "KPI windows"). The follow-up holds
     *     outcomes and purchases until its watermark reaches their event time and emits their
     *     events then, so they are never behind the watermark of the events stream. Only an input
     *     already late for the follow-up (later than the bound) is applied behind it, and the hold
     *     back still counts it unless it came later than twice the bound.
     * @param retention how long a task's reached and responded are remembered (detection's task
     *     retention: the follow-up takes no outcome after it)
     */
    public static DataStream<ContactKpiMinute> contactsPerMinute(
            DataStream<TaskEvent> taskEvents, Duration holdBack, Duration retention) {
        StreamTableEnvironment env = tableEnvironment(taskEvents);
        DataStream<ContactEvent> counted =
                taskEvents
                        .keyBy(TaskEvent::taskId)
                        .process(new ContactEvents(retention))
                        .name("kpi contact events")
                        .uid(ContactEvents.UID);
        Table contactEvents =
                env.fromDataStream(
                        counted.transform(
                                        "kpi contact time",
                                        counted.getType(),
                                        new HeldBackEventTime<>(ContactEvent::time, holdBack))
                                .uid("kpi-contact-time")
                                .map(KpiStreams::contactRow)
                                .returns(CONTACT_ROW)
                                .name("kpi contact row")
                                .uid("kpi-contact-row"),
                        eventTime(
                                Schema.newBuilder()
                                        .column("store_id", DataTypes.STRING())
                                        .column("channel", DataTypes.STRING())
                                        .column("type", DataTypes.STRING())
                                        .column("currency", DataTypes.STRING())
                                        .column("recovered_value", DataTypes.DECIMAL(18, 4)),
                                "occurred_at"));
        return env.toDataStream(Kpis.contactsPerMinute(env, contactEvents))
                .map(KpiStreams::contactKpiMinute)
                .returns(ContactKpiMinute.class)
                .name("contact kpi minute")
                .uid("contact-kpi-minute");
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

    private static Row contactRow(ContactEvent event) {
        return Row.of(
                event.storeId(),
                event.channel(),
                event.type(),
                event.currency(),
                money(event.value()),
                utc(event.time()));
    }

    private static ContactKpiMinute contactKpiMinute(Row row) {
        return new ContactKpiMinute(
                row.<LocalDateTime>getFieldAs("minute_start")
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli(),
                row.getFieldAs("store_id"),
                row.getFieldAs("channel"),
                row.getFieldAs("currency"),
                row.<Long>getFieldAs("attempts"),
                row.<Long>getFieldAs("reached"),
                row.<Long>getFieldAs("responded"),
                row.<Long>getFieldAs("recoveries"),
                row.getFieldAs("recovered_value"));
    }

    private static KpiMinute kpiMinute(Row row) {
        return new KpiMinute(
                row.<LocalDateTime>getFieldAs("minute_start")
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli(),
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

    private static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
