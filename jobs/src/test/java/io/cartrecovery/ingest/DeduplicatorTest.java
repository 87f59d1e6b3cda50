package io.cartrecovery.ingest;

import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.Events.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.keys.TrackedCartKey;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.testing.Events;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The de-duplicator alone, with its timers and keyed state in view. */
class DeduplicatorTest {
    private static final Duration RETENTION = Duration.ofHours(1);

    private KeyedOneInputStreamOperatorTestHarness<TrackedCartKey, ClickEvent, ClickEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Deduplicator(RETENTION)),
                        ClickEvent::trackedCart,
                        KeyTypes.TRACKED_CART);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(String id, double minute) throws Exception {
        ClickEvent e = event(EventType.PAGE_VIEW).id(id).atMinute(minute).build();
        harness.processElement(new StreamRecord<>(e, e.eventTime()));
    }

    private List<String> passed() {
        return harness.extractOutputValues().stream().map(ClickEvent::eventId).toList();
    }

    @Test
    void dropsARepeatWithinTheRetention() throws Exception {
        send("a", 0);
        send("b", 1);
        harness.processWatermark(new Watermark(minutes(59)));
        send("a", 59);
        send("b", 60);

        assertThat(passed()).containsExactly("a", "b");
    }

    @Test
    void forgetsAnIdOnceItsBucketIsOverAndLeavesNothingBehind() throws Exception {
        send("a", 0);
        // The repeat comes after the retention and its rounding up: a new event.
        harness.processWatermark(new Watermark(minutes(75)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        send("a", 76);

        assertThat(passed()).containsExactly("a", "a");
    }

    @Test
    void eventsOfACartInOneBucketShareOneTimer() throws Exception {
        // 10:00:30 to 10:14:30: all expire in the bucket ending at 11:15.
        for (int minute = 0; minute < 15; minute++) {
            send("e" + minute, minute + 0.5);
        }
        assertThat(harness.numEventTimeTimers()).isOne();

        harness.processWatermark(new Watermark(minutes(75)));

        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anIdIsRememberedFromTheWatermarkWhenItsEventIsBehindIt() throws Exception {
        harness.processWatermark(new Watermark(minutes(120)));
        send("late", 0);
        harness.processWatermark(new Watermark(minutes(170)));
        send("late", 1);

        assertThat(passed()).containsExactly("late");
    }

    @Test
    void expiryIsRoundedUpToAQuarterOfTheRetention() {
        DedupExpiry expiry = new DedupExpiry(RETENTION.toMillis());
        long quarter = RETENTION.toMillis() / 4;
        long t0 = Events.T0.toEpochMilli();

        assertThat(expiry.forgetAt(t0, Long.MIN_VALUE) % quarter).isZero();
        assertThat(expiry.forgetAt(t0, Long.MIN_VALUE))
                .isGreaterThanOrEqualTo(t0 + RETENTION.toMillis())
                .isLessThan(t0 + RETENTION.toMillis() + quarter);
        assertThat(expiry.forgetAt(t0 + 1, Long.MIN_VALUE))
                .isEqualTo(expiry.forgetAt(t0 + quarter - 1, Long.MIN_VALUE));
        assertThat(expiry.forgetAt(t0, t0 + quarter)).isEqualTo(expiry.forgetAt(t0 + quarter, 0));
    }
}
