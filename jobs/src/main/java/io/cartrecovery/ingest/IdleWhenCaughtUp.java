package io.cartrecovery.ingest;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Idleness for a source's partitions as {@link PartitionIdleness} decides it: quiet for the idle
 * timeout and caught up with the partition's end, where Flink's {@code withIdleness} looks at the
 * time alone (docs/time.md, "Idle inputs"). Quiet time is measured on Flink's input activity clock,
 * which stands still while the source is back-pressured, as {@code withIdleness} does.
 */
public final class IdleWhenCaughtUp<T> implements WatermarkGenerator<T> {

    /** Where a record came from, or null when the source does not say. */
    @FunctionalInterface
    public interface PositionOf<T> extends Serializable {
        SourcePosition of(T record);
    }

    /** Opens the {@link CatchUp} on the task manager that runs the source. */
    @FunctionalInterface
    public interface CatchUps extends Serializable {
        CatchUps FILES = () -> CatchUp.UNKNOWN;

        CatchUp open();
    }

    private final WatermarkGenerator<T> watermarks;
    private final PositionOf<T> positionOf;
    private final PartitionIdleness idleness;
    private final RelativeClock clock;
    private final CatchUp catchUp;

    /** The splits of this subtask's reader, when it notes them ({@link NotingKafkaSource}). */
    private ReaderSplits splits;

    private boolean splitsLooked;

    private IdleWhenCaughtUp(
            WatermarkGenerator<T> watermarks,
            PositionOf<T> positionOf,
            long timeout,
            RelativeClock clock,
            CatchUp catchUp) {
        this.watermarks = watermarks;
        this.positionOf = positionOf;
        this.clock = clock;
        this.catchUp = catchUp;
        this.idleness = new PartitionIdleness(timeout, clock.relativeTimeMillis());
    }

    /**
     * @param watermarks the watermarks of an active partition
     * @param timestamps each record's event time
     * @param timeout how long a partition must be quiet before it can be idle
     */
    public static <T> WatermarkStrategy<T> strategy(
            WatermarkGeneratorSupplier<T> watermarks,
            SerializableTimestampAssigner<T> timestamps,
            PositionOf<T> positionOf,
            Duration timeout,
            CatchUps catchUps) {
        long millis = timeout.toMillis();
        return WatermarkStrategy.<T>forGenerator(
                        context ->
                                new IdleWhenCaughtUp<>(
                                        watermarks.createWatermarkGenerator(context),
                                        positionOf,
                                        millis,
                                        context.getInputActivityClock(),
                                        catchUps.open()))
                .withTimestampAssigner(timestamps);
    }

    @Override
    public void onEvent(T record, long timestamp, WatermarkOutput output) {
        idleness.recordSeen(positionOf.of(record), clock.relativeTimeMillis());
        watermarks.onEvent(record, timestamp, output);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (!splitsLooked) {
            // The reader is created on this (task) thread before any periodic emit.
            splits = ReaderSplits.current();
            splitsLooked = true;
        }
        boolean idle =
                splits == null
                        ? idleness.idle(clock.relativeTimeMillis(), catchUp)
                        : idleness.idle(clock.relativeTimeMillis(), catchUp, splits.unstarted());
        if (idle) {
            output.markIdle();
        } else {
            // A partition found behind again after an idle spell holds event time from here on:
            // its watermark marks it active.
            watermarks.onPeriodicEmit(output);
        }
    }
}
