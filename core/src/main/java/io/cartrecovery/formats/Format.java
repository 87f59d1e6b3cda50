package io.cartrecovery.formats;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The clickstream formats the pipeline reads, by the name settings and the CLI use. */
public enum Format {
    /** Detect the format of each record. */
    AUTO("auto"),
    /** The project's own format (docs/clickstream.md). */
    CANONICAL("canonical"),
    /** Google Analytics 4 Measurement Protocol request bodies. */
    GA4("ga4"),
    /** Google Analytics 4 BigQuery export rows as JSON lines. */
    GA4_BIGQUERY("ga4-bigquery"),
    /** Segment track and identify calls (e-commerce spec v2). */
    SEGMENT("segment"),
    /**
     * CSV rows of the e-commerce behaviour export layout (event_time,event_type,product_id,...).
     */
    CSV("csv");

    private final String wireName;

    Format(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Format> fromWireName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.wireName.equals(wanted)).findFirst();
    }
}
