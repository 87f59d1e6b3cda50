package io.cartrecovery.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One measurement's row: the median of its runs, metric by metric, and the runs themselves.
 *
 * @param checkpointBytes median over the runs of each run's largest checkpoint
 * @param checkpointMillis median over the runs of each run's median checkpoint duration
 * @param stateBytesPerCart checkpoint bytes over the carts (or cart keys) the input holds
 */
record Result(
        String name,
        String description,
        int runs,
        double eventsPerSecond,
        double cpuSecondsPerMillionEvents,
        double checkpoints,
        double checkpointBytes,
        double checkpointMillis,
        double stateBytesPerCart,
        double peakHeapBytes,
        List<Sample> samples) {

    static Result of(Measurement measurement, List<Sample> samples) {
        return new Result(
                measurement.name(),
                measurement.description(),
                samples.size(),
                median(samples, Sample::eventsPerSecond),
                median(samples, Sample::cpuSecondsPerMillionEvents),
                median(samples, Sample::checkpoints),
                median(samples, Sample::checkpointBytes),
                median(samples, Sample::checkpointMillis),
                median(samples, Sample::stateBytesPerKey),
                median(samples, Sample::peakHeapBytes),
                List.copyOf(samples));
    }

    static double median(List<Sample> samples, ToDoubleFunction<Sample> metric) {
        double[] values = samples.stream().mapToDouble(metric).sorted().toArray();
        if (values.length == 0) {
            return 0;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
