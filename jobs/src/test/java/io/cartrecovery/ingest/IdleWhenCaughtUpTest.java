package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watermark generator of a source partition, on Flink's interfaces, with a manual clock. */
class IdleWhenCaughtUpTest {
    private static final AtomicBoolean CAUGHT_UP = new AtomicBoolean();

    private record Click(long time, long offset) {}

    /** What the generator told its output, in order: a watermark's time, or "idle". */
    private static final class Output implements WatermarkOutput {
        final List<String> said = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            said.add(String.valueOf(watermark.getTimestamp()));
        }

        @Override
        public void markIdle() {
            said.add("idle");
        }

        @Override
        public void markActive() {
            said.add("active");
        }

        String last() {
            return said.get(said.size() - 1);
        }
    }

    private final ManualClock clock = new ManualClock();

    @AfterEach
    void forgetTheReader() {
        ReaderSplits.forgetOnThisThread();
    }

    private WatermarkGenerator<Click> generator() {
        return IdleWhenCaughtUp.<Click>strategy(
                        context -> new BoundedOutOfOrdernessWatermarks<>(Duration.ofMillis(100)),
                        (click, ignored) -> click.time(),
                        click -> SourcePosition.kafka("clicks", 0, click.offset()),
                        Duration.ofSeconds(5),
                        () -> (topic, partition, next) -> CAUGHT_UP.get() && next == 3)
                .createWatermarkGenerator(
                        new WatermarkGeneratorSupplier.Context() {
                            @Override
                            public MetricGroup getMetricGroup() {
                                return new UnregisteredMetricsGroup();
                            }

                            @Override
                            public RelativeClock getInputActivityClock() {
                                return clock;
                            }
                        });
    }

    @Test
    void aQuietPartitionIsIdleOnlyOnceItIsReadToItsEnd() {
        WatermarkGenerator<Click> generator = generator();
        Output output = new Output();
        CAUGHT_UP.set(false);
        generator.onEvent(new Click(1_000, 1), 1_000, output);
        generator.onEvent(new Click(2_000, 2), 2_000, output);

        clock.advanceTime(Duration.ofSeconds(4));
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo("1899");

        // Quiet for longer than the timeout, but behind its end: it keeps holding event time.
        clock.advanceTime(Duration.ofSeconds(60));
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo("1899");

        // Read to its end: idle.
        CAUGHT_UP.set(true);
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo("idle");

        // The end moves on (or the broker stops answering): it holds event time again, where it
        // was, until its reader hands on the rest.
        CAUGHT_UP.set(false);
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo("1899");
    }

    @Test
    void aReadersMainOutputHoldsEventTimeWhileASplitHasNotFetchedItsFirstRecords() {
        // As NotingKafkaSource's reader does on the task thread: partition 0 starts at offset 3.
        ReaderSplits splits = ReaderSplits.startOnThisThread();
        splits.added("clicks-0", "clicks", 0, 3);
        splits.added("clicks-1", "clicks", 1, 40);
        splits.handingOn("clicks-1"); // has its own output, with its own generator
        WatermarkGenerator<Click> main = generator(); // sees no record itself
        Output output = new Output();
        CAUGHT_UP.set(false);

        clock.advanceTime(Duration.ofSeconds(60));
        main.onPeriodicEmit(output);
        assertThat(output.said).doesNotContain("idle");

        // Partition 0 holds nothing past offset 3: read to its end from where it starts.
        CAUGHT_UP.set(true);
        main.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo("idle");
    }

    @Test
    void aReaderThatHandedOnNothingIsIdleAfterTheTimeoutAsBefore() {
        WatermarkGenerator<Click> generator = generator();
        Output output = new Output();
        CAUGHT_UP.set(false);
        clock.advanceTime(Duration.ofSeconds(4));
        generator.onPeriodicEmit(output);
        assertThat(output.said).doesNotContain("idle");

        clock.advanceTime(Duration.ofSeconds(1));
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo("idle");
    }
}
