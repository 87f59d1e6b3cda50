package io.cartrecovery.bench;

import java.util.Map;

/**
 * One run of one measurement.
 *
 * @param events events the run read
 * @param seconds wall-clock time of the processing, start-up left out
 * @param cpuSeconds CPU time of the bench JVM, and of the broker where the run reads Kafka
 * @param peakHeapBytes most heap in use in the bench JVM during the run (sampled)
 * @param checkpoints checkpoints completed during the run; 0 where the run takes none
 * @param checkpointBytes size of the largest completed checkpoint
 * @param checkpointMillis median duration of the completed checkpoints
 * @param trackedKeys keys that hold state at the end (carts, or every cart key for the ceiling)
 * @param startupSeconds start-up taken off {@code seconds} (0 where the run times itself from its
 *     first record)
 * @param stateBytesByOperator the largest checkpoint's state by task (its chained operators),
 *     largest first; empty where the run takes no checkpoints
 * @param latency detection-to-task latency, for the live measurements; null for the others
 */
public record Sample(
        long events,
        double seconds,
        double cpuSeconds,
        long peakHeapBytes,
        long checkpoints,
        long checkpointBytes,
        long checkpointMillis,
        long trackedKeys,
        double startupSeconds,
        Map<String, Long> stateBytesByOperator,
        Latency latency) {

    /** A measurement without latency. */
    public Sample(
            long events,
            double seconds,
            double cpuSeconds,
            long peakHeapBytes,
            long checkpoints,
            long checkpointBytes,
            long checkpointMillis,
            long trackedKeys,
            double startupSeconds,
            Map<String, Long> stateBytesByOperator) {
        this(
                events,
                seconds,
                cpuSeconds,
                peakHeapBytes,
                checkpoints,
                checkpointBytes,
                checkpointMillis,
                trackedKeys,
                startupSeconds,
                stateBytesByOperator,
                null);
    }

    /**
     * Latencies of the tasks a live run timed, in milliseconds.
     *
     * @param tasks how many were timed
     */
    public record Latency(long tasks, long p50, long p99, long max) {
        static Latency of(long[] sortedMillis) {
            int n = sortedMillis.length;
            if (n == 0) {
                return new Latency(0, 0, 0, 0);
            }
            return new Latency(
                    n,
                    sortedMillis[(int) Math.ceil(0.50 * n) - 1],
                    sortedMillis[(int) Math.ceil(0.99 * n) - 1],
                    sortedMillis[n - 1]);
        }
    }

    public double eventsPerSecond() {
        return seconds > 0 ? events / seconds : 0;
    }

    public double cpuSecondsPerMillionEvents() {
        return events > 0 ? cpuSeconds / (events / 1e6) : 0;
    }

    /** Checkpoint size over tracked keys; 0 where the run takes no checkpoints. */
    public double stateBytesPerKey() {
        return trackedKeys > 0 ? (double) checkpointBytes / trackedKeys : 0;
    }
}
