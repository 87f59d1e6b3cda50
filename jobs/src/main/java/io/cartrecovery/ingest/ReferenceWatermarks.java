package io.cartrecovery.ingest;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of reference data read from Kafka (customer profiles, the agents roster): it has none,
 * and after its first read it never holds the clickstream's event time back (docs/time.md,
 * "Reference data").
 *
 * <p>Until the source's reader has read what its partitions held at the start ({@link InitialRead},
 * one per reader), it is active without a watermark: every operator that joins the reference data
 * (the enricher, the assigner), and all downstream of them, stays at the beginning of event time,
 * so no cart is enriched and no call assigned before the profiles and the roster that were on their
 * topics are in. Then it is idle for good: a two-input operator follows its other input's watermark
 * alone. Idle rather than at the end of time: when the clickstream goes idle too, an input at the
 * end of time would be the only active one and carry every downstream operator to the end of time
 * (the follow-up would issue every step of every cadence at once).
 *
 * <p>Use with {@link NotingKafkaSource#referenceData}, whose readers say which splits they have and
 * never mark themselves active ahead of a record, at parallelism 1: a reader that is never given a
 * split (more readers than partitions) would hold event time for ever.
 */
public final class ReferenceWatermarks {
    private ReferenceWatermarks() {}

    /**
     * @param positionOf where a record came from: every record the topic holds must hand on one
     *     (tombstones included), or the source cannot tell it has reached the end
     * @param catchUps whether a partition has been read to its end
     */
    public static <T> WatermarkStrategy<T> readOnce(
            IdleWhenCaughtUp.PositionOf<T> positionOf, IdleWhenCaughtUp.CatchUps catchUps) {
        return context -> new HeldUntilRead<>(positionOf, catchUps.open());
    }

    /**
     * The same for the reader's main output and each split's: every one of them holds until the
     * reader has read once, and then says idle. They must agree, as Flink writes the main output's
     * status straight to the stream while the splits' go through their combined watermark: a split
     * that said idle on its own would make the whole reader idle.
     */
    private static final class HeldUntilRead<T> implements WatermarkGenerator<T> {
        private final IdleWhenCaughtUp.PositionOf<T> positionOf;
        private final CatchUp catchUp;

        /** The splits of this subtask's reader ({@link NotingKafkaSource}). */
        private ReaderSplits splits;

        private boolean splitsLooked;

        HeldUntilRead(IdleWhenCaughtUp.PositionOf<T> positionOf, CatchUp catchUp) {
            this.positionOf = positionOf;
            this.catchUp = catchUp;
        }

        @Override
        public void onEvent(T record, long eventTimestamp, WatermarkOutput output) {
            ReaderSplits reader = splits();
            if (reader != null) {
                reader.initialRead().seen(positionOf.of(record));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            ReaderSplits reader = splits();
            if (reader == null || reader.initialRead().read(catchUp)) {
                output.markIdle();
            }
            // Otherwise active without a watermark: event time stays where it is.
        }

        /** The reader and its generators are created and called on this (task) thread. */
        private ReaderSplits splits() {
            if (!splitsLooked) {
                splits = ReaderSplits.current();
                splitsLooked = true;
            }
            return splits;
        }
    }
}
