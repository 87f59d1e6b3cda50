package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How raw records become events: event time, validation limits, de-duplication. */
public final class IngestOptions {
    private IngestOptions() {}

    public static final ConfigOption<String> FORMAT =
            ConfigOptions.key("ingest.format")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription(
                            "Format of the clickstream records: auto (detected per record),"
                                    + " canonical, ga4, ga4-bigquery, segment or csv"
                                    + " (docs/formats.md).");

    public static final ConfigOption<String> STORE_ID =
            ConfigOptions.key("ingest.store-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Store of records that do not name one (a store_id field or"
                                    + " parameter wins). Set it per topic or file.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("ingest.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "How late (in event time) an event may arrive and still count as on"
                                    + " time. Detection waits this long past a cart's gap.");

    public static final ConfigOption<Duration> MAX_EVENT_TIME_STEP =
            ConfigOptions.key("ingest.max-event-time-step")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "How far one cart's event may move its partition's event time ahead;"
                                    + " a longer jump is taken once an event of another cart"
                                    + " confirms it, so one device with a wrong clock cannot make"
                                    + " every cart look abandoned (docs/time.md).");

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("ingest.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "A source partition without data for this long, and read to its end,"
                                    + " stops holding back event time, so a quiet partition does"
                                    + " not stall detection; one with unread records, or whose"
                                    + " broker does not answer, keeps holding it (docs/time.md).");

    public static final ConfigOption<Duration> DEDUP_RETENTION =
            ConfigOptions.key("ingest.dedup-retention")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How long (event time) an event id is remembered to drop its"
                                    + " duplicates.");

    public static final ConfigOption<Integer> MAX_EVENT_BYTES =
            ConfigOptions.key("ingest.max-event-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription(
                            "Larger records are dead-lettered unread, with their first 4096 bytes;"
                                    + " 64 to 131072 (a dead letter must fit the dead-letter"
                                    + " topic's 1 MB messages; docs/limits.md).");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            ConfigOptions.key("ingest.max-future-skew")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Events dated further than this past the wall clock are"
                                    + " dead-lettered (as are events before 2000-01-01).");
}
