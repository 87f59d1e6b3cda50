package io.cartrecovery.kpi;

import io.cartrecovery.assignment.Alert;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartOpened;
import io.cartrecovery.followup.AttemptFact;
import io.cartrecovery.followup.HoldoutMembership;
import io.cartrecovery.followup.Recovery;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The KPI minutes of a running job: its abandoned and created carts, contact tasks, the follow-up's
 * facts and the alerts, each turned into its contribution to its minute ({@link Kpis}) and added up
 * per minute and dimensions ({@link MinuteTotals}), as a stream of the minutes' latest totals
 * (docs/clickhouse.md, "KPI windows").
 */
public final class KpiStreams {
    private static final TypeInformation<KpiMinute> KPI_MINUTE =
            TypeInformation.of(KpiMinute.class);
    private static final TypeInformation<ContactTotals> CONTACT_TOTALS =
            TypeInformation.of(ContactTotals.class);
    private static final TypeInformation<AlertKpiMinute> ALERT_KPI_MINUTE =
            TypeInformation.of(AlertKpiMinute.class);

    private KpiStreams() {}

    /**
     * Carts abandoned and their value, first tasks created, tasks cancelled and carts created, per
     * minute, store, stage, reason and currency.
     *
     * @param tasks the tasks that count: first attempts' creates and the cancels of a purchase or
     *     emptying
     * @param retention how long past its end a minute still takes records ({@code kpi.retention})
     */
    public static DataStream<KpiMinute> perMinute(
            DataStream<AbandonedCart> abandoned,
            DataStream<ContactTask> tasks,
            DataStream<CartOpened> opened,
            Duration retention) {
        DataStream<KpiMinute> carts =
                abandoned
                        .map(
                                cart ->
                                        Kpis.abandoned(
                                                cart.storeId(),
                                                cart.stage().wireName(),
                                                cart.reason().wireName(),
                                                cart.currency(),
                                                cart.cartValue(),
                                                cart.abandonedAt()))
                        .returns(KPI_MINUTE)
                        .name("kpi abandoned cart")
                        .uid("kpi-abandoned-cart");
        DataStream<KpiMinute> taskRows =
                tasks.map(KpiStreams::taskRow).returns(KPI_MINUTE).name("kpi task").uid("kpi-task");
        DataStream<KpiMinute> created =
                opened.map(cart -> Kpis.opened(cart.storeId(), cart.openedAt()))
                        .returns(KPI_MINUTE)
                        .name("kpi created cart")
                        .uid("kpi-created-cart");
        return carts.union(taskRows, created)
                .keyBy(KpiMinute::key, KeyTypes.KPI_MINUTE)
                .process(new MinuteTotals<>("cart", KPI_MINUTE, retention))
                .returns(KPI_MINUTE)
                .name("kpi minute")
                .uid("kpi-minute-totals");
    }

    /**
     * The contact KPI minutes: attempts, reached, responded, first contacts, recoveries and holdout
     * per minute, store, channel, agent and currency, from the follow-up's facts.
     *
     * @param retention how long past its end a minute still takes records ({@code kpi.retention})
     * @param taskRetention how long a cart's counted attempts are remembered after its latest fact
     *     (detection's task retention: the follow-up takes no outcome after it)
     */
    public static DataStream<ContactKpiMinute> contactsPerMinute(
            DataStream<AttemptFact> attempts,
            DataStream<Recovery> recoveries,
            DataStream<HoldoutMembership> holdout,
            Duration retention,
            Duration taskRetention) {
        DataStream<ContactEvent> steps =
                attempts.keyBy(AttemptSteps::key, KeyTypes.CART)
                        .process(new AttemptSteps(taskRetention))
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
        return steps.map(Kpis::contact)
                .returns(CONTACT_TOTALS)
                .name("kpi contact step")
                .uid("kpi-contact-step")
                .keyBy(ContactTotals::key, KeyTypes.KPI_MINUTE)
                .process(new MinuteTotals<>("contact", CONTACT_TOTALS, retention))
                .returns(CONTACT_TOTALS)
                .name("contact kpi minute")
                .uid("contact-kpi-minute-totals")
                .map(ContactTotals::result)
                .returns(ContactKpiMinute.class)
                .name("contact kpi minute row")
                .uid("contact-kpi-minute-row");
    }

    /**
     * The alert KPI minutes: alerts raised per minute, store, agent and type.
     *
     * @param retention how long past its end a minute still takes records ({@code kpi.retention})
     */
    public static DataStream<AlertKpiMinute> alertsPerMinute(
            DataStream<Alert> alerts, Duration retention) {
        return alerts.map(
                        alert ->
                                Kpis.alert(
                                        alert.storeId(),
                                        alert.agentId(),
                                        alert.type().wireName(),
                                        alert.at()))
                .returns(ALERT_KPI_MINUTE)
                .name("kpi alert")
                .uid("kpi-alert")
                .keyBy(AlertKpiMinute::key, KeyTypes.KPI_MINUTE)
                .process(new MinuteTotals<>("alert", ALERT_KPI_MINUTE, retention))
                .returns(ALERT_KPI_MINUTE)
                .name("alert kpi minute")
                .uid("alert-kpi-minute-totals");
    }

    /** A create counts when the cart's gap ran out, a cancel at the purchase or emptying. */
    private static KpiMinute taskRow(ContactTask task) {
        AbandonedCart cart = task.cart();
        if (task.type() == TaskType.CREATE && cart != null) {
            return Kpis.created(
                    task.storeId(),
                    cart.stage().wireName(),
                    cart.reason().wireName(),
                    cart.currency(),
                    cart.abandonedAt() + cart.gapMillis());
        }
        return Kpis.cancelled(task.storeId(), task.closed().eventTime());
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
}
