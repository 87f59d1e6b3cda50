package io.cartrecovery.sinks;

import io.cartrecovery.assignment.Alert;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.followup.AttemptFact;
import io.cartrecovery.followup.HoldoutMembership;
import io.cartrecovery.followup.Recovery;
import io.cartrecovery.kpi.AlertKpiMinute;
import io.cartrecovery.kpi.ContactKpiMinute;
import io.cartrecovery.kpi.KpiMinute;
import io.cartrecovery.tasks.ContactTask;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * A second copy of the tasks and abandoned carts, for dashboards (e.g. ClickHouse), the follow-up's
 * facts (contact attempts with their outcomes, recoveries and holdout membership) and the alerts,
 * and the per-minute KPI windows computed from them.
 */
public record Facts(
        Sink<ContactTask> tasks,
        Sink<AbandonedCart> abandoned,
        Sink<KpiMinute> kpis,
        Sink<ContactKpiMinute> contactKpis,
        Sink<AttemptFact> attempts,
        Sink<Recovery> recoveries,
        Sink<HoldoutMembership> holdout,
        Sink<Alert> alerts,
        Sink<AlertKpiMinute> alertKpis) {}
