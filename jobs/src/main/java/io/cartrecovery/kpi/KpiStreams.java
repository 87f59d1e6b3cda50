package io.cartrecovery.kpi;

import io.cartrecovery.detection.AbandonedCart;
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
 * The KPI windows of a running job: its abandoned carts and contact tasks, in their own event time,
 * through {@link Kpis}, back to a stream of closed minutes (docs/clickhouse.md, "KPI windows").
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

    private KpiStreams() {}

    /**
     * @param holdBack how far behind the job's watermark the windows' watermark stays: the longest
     *     gap plus the out-of-orderness bound, as a cart is reported up to a gap after its last
     *     activity, and a late event's cart once the event is read
     */
    public static DataStream<KpiMinute> perMinute(
            DataStream<AbandonedCart> abandoned, DataStream<ContactTask> tasks, Duration holdBack) {
        StreamTableEnvironment env =
                StreamTableEnvironment.create(abandoned.getExecutionEnvironment());
        // The planner's operators (the window aggregate holds the open windows) get uids of their
        // own, "<node id>_<transformation>", instead of hashes of the whole job graph: a change
        // elsewhere in the job keeps the open windows in a savepoint; a change of the KPI query
        // renumbers its nodes and drops them (docs/clickhouse.md).
        env.getConfig()
                .set(
                        ExecutionConfigOptions.TABLE_EXEC_UID_GENERATION,
                        ExecutionConfigOptions.UidGeneration.ALWAYS);
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
        return env.toDataStream(Kpis.perMinute(env, carts, contactTasks))
                .map(KpiStreams::kpiMinute)
                .returns(KpiMinute.class)
                .name("kpi minute")
                .uid("kpi-minute");
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
                row.<Long>getFieldAs("tasks_cancelled"));
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
