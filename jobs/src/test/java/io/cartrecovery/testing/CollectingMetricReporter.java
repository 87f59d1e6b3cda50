package io.cartrecovery.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps, in memory, every metric a job registers: its full identifier,
 * its scope variables (job, task and operator names, ...) and its last value when it is removed.
 * Configure it with {@code metrics.reporter.collect.factory.class:
 * io.cartrecovery.testing.CollectingMetricReporter$Factory} on a local environment; read {@link
 * #text()} after the job.
 */
public final class CollectingMetricReporter implements MetricReporter {
    private static final List<String> LINES = new ArrayList<>();

    /** Everything reported since the last {@link #clear}, one metric a line. */
    public static String text() {
        synchronized (LINES) {
            return String.join("\n", LINES);
        }
    }

    public static void clear() {
        synchronized (LINES) {
            LINES.clear();
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        add("added " + group.getMetricIdentifier(name) + " " + group.getAllVariables());
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        add("removed " + group.getMetricIdentifier(name) + " = " + value(metric));
    }

    private static String value(Metric metric) {
        try {
            if (metric instanceof Gauge<?> gauge) {
                return String.valueOf(gauge.getValue());
            }
            if (metric instanceof Counter counter) {
                return String.valueOf(counter.getCount());
            }
            if (metric instanceof Meter meter) {
                return String.valueOf(meter.getCount());
            }
            if (metric instanceof Histogram histogram) {
                return String.valueOf(histogram.getCount());
            }
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getClass().getSimpleName() + ")";
        }
        return metric.getClass().getSimpleName();
    }

    private static void add(String line) {
        synchronized (LINES) {
            LINES.add(line);
        }
    }

    /** Named in {@code metrics.reporter.NAME.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CollectingMetricReporter();
        }
    }
}
