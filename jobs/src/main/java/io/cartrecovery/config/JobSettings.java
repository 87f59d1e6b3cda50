package io.cartrecovery.config;

import io.cartrecovery.assignment.AssignmentSettings;
import io.cartrecovery.compliance.ContactPolicy;
import io.cartrecovery.detection.GapPolicy;
import io.cartrecovery.followup.Cadence;
import io.cartrecovery.formats.Format;
import io.cartrecovery.ingest.Limits;
import io.cartrecovery.priority.PriorityModel;
import io.cartrecovery.scripts.Scripts;
import io.cartrecovery.settings.ConfigException;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The settings the job graph is built from, read and validated once from the configuration.
 * Connector settings (brokers, topics, delivery) are read where connectors are wired.
 */
public record JobSettings(
        Format format,
        String storeId,
        Duration outOfOrderness,
        Duration maxEventTimeStep,
        Duration idleTimeout,
        Duration dedupRetention,
        int maxEventBytes,
        Duration maxFutureSkew,
        GapPolicy gaps,
        Duration taskRetention,
        Duration shippingSilence,
        int paymentFailures,
        int checkoutErrors,
        Duration longCheckout,
        Duration signalWindow,
        Duration firstContactSla,
        String storeTimeZone,
        PriorityModel priorityModel,
        Scripts scripts,
        ContactPolicy contactPolicy,
        AssignmentSettings assignment,
        Cadence cadence,
        Duration kpiRetention,
        boolean maskPersonalDataInDeadLetters)
        implements Serializable {

    public static JobSettings defaults() {
        return from(new org.apache.flink.configuration.Configuration());
    }

    public static JobSettings from(ReadableConfig config) {
        JobSettings settings =
                new JobSettings(
                        format(Configs.get(config, IngestOptions.FORMAT)),
                        config.getOptional(IngestOptions.STORE_ID).map(String::strip).orElse(null),
                        positive(config, IngestOptions.OUT_OF_ORDERNESS, true),
                        positive(config, IngestOptions.MAX_EVENT_TIME_STEP, false),
                        positive(config, IngestOptions.IDLE_TIMEOUT, false),
                        positive(config, IngestOptions.DEDUP_RETENTION, false),
                        between(
                                config,
                                IngestOptions.MAX_EVENT_BYTES,
                                64,
                                Limits.MAX_EVENT_BYTES_SETTING),
                        positive(config, IngestOptions.MAX_FUTURE_SKEW, true),
                        GapPolicy.of(
                                positive(config, DetectionOptions.GAP, false),
                                DetectionOptions.gaps(config)),
                        positive(config, DetectionOptions.TASK_RETENTION, false),
                        positive(config, DetectionOptions.SHIPPING_SILENCE, false),
                        atLeast(config, DetectionOptions.PAYMENT_FAILURES, 1),
                        atLeast(config, DetectionOptions.CHECKOUT_ERRORS, 1),
                        positive(config, DetectionOptions.LONG_CHECKOUT, false),
                        positive(config, DetectionOptions.SIGNAL_WINDOW, false),
                        positive(config, TaskOptions.FIRST_CONTACT_SLA, false),
                        zone(config, EnrichmentOptions.STORE_TIME_ZONE),
                        PriorityOptions.model(config),
                        ScriptOptions.scripts(config),
                        ComplianceOptions.contactPolicy(config),
                        AssignmentOptions.assignment(config),
                        FollowUpOptions.cadence(config),
                        positive(config, KpiOptions.RETENTION, false),
                        Configs.get(config, DeadLetterOptions.MASK_PERSONAL_DATA));
        if (settings.longCheckout.compareTo(settings.signalWindow) >= 0) {
            throw new ConfigException(
                    DetectionOptions.LONG_CHECKOUT.key()
                            + " ("
                            + settings.longCheckout
                            + ") must be below "
                            + DetectionOptions.SIGNAL_WINDOW.key()
                            + " ("
                            + settings.signalWindow
                            + ")");
        }
        return settings;
    }

    private static Format format(String name) {
        return Format.fromWireName(name)
                .orElseThrow(
                        () ->
                                new ConfigException(
                                        IngestOptions.FORMAT.key()
                                                + ": '"
                                                + name
                                                + "' is not one of "
                                                + Arrays.stream(Format.values())
                                                        .map(Format::wireName)
                                                        .collect(Collectors.joining(", "))));
    }

    private static Duration positive(
            ReadableConfig config, ConfigOption<Duration> option, boolean zeroAllowed) {
        Duration value = Configs.get(config, option);
        if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new ConfigException(
                    option.key()
                            + " must be "
                            + (zeroAllowed ? "zero or more" : "positive")
                            + ", got "
                            + value);
        }
        return value;
    }

    private static String zone(ReadableConfig config, ConfigOption<String> option) {
        String zone = Configs.get(config, option).strip();
        try {
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw new ConfigException(option.key() + ": unknown time zone '" + zone + "'");
        }
    }

    private static int between(
            ReadableConfig config, ConfigOption<Integer> option, int min, int max) {
        int value = atLeast(config, option, min);
        if (value > max) {
            throw new ConfigException(option.key() + " must be at most " + max + ", got " + value);
        }
        return value;
    }

    private static int atLeast(ReadableConfig config, ConfigOption<Integer> option, int min) {
        int value = Configs.get(config, option);
        if (value < min) {
            throw new ConfigException(option.key() + " must be at least " + min + ", got " + value);
        }
        return value;
    }
}
