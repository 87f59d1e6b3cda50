package io.cartrecovery.kpi;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cartrecovery.keys.KpiMinuteKey;
import io.cartrecovery.serialization.KeyTypes;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running totals of KPI minutes: every row corrects its minute, however far behind the
 * watermark, until the minute's retention is over; then its state is gone and a row that late is
 * counted, not added to a fresh zero.
 */
class MinuteTotalsTest {
    private static final long MINUTE_0 = T0.toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final Duration RETENTION = Duration.ofHours(2);
    private static final long RETENTION_MILLIS = RETENTION.toMillis();

    private MinuteTotals<KpiMinute> function;
    private KeyedOneInputStreamOperatorTestHarness<KpiMinuteKey, KpiMinute, KpiMinute> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(null);
    }

    private KeyedOneInputStreamOperatorTestHarness<KpiMinuteKey, KpiMinute, KpiMinute> harness(
            OperatorSubtaskState restored) throws Exception {
        function = new MinuteTotals<>("cart", TypeInformation.of(KpiMinute.class), RETENTION);
        KeyedOneInputStreamOperatorTestHarness<KpiMinuteKey, KpiMinute, KpiMinute> opened =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function), KpiMinute::key, KeyTypes.KPI_MINUTE);
        if (restored != null) {
            opened.initializeState(restored);
        }
        opened.open();
        return opened;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KpiMinute cart(String value, long at) {
        return Kpis.abandoned("shop-1", "checkout", "unknown", "EUR", new BigDecimal(value), at);
    }

    private void add(KpiMinute row) throws Exception {
        harness.processElement(new StreamRecord<>(row, row.minuteStart()));
    }

    private List<KpiMinute> out() {
        List<KpiMinute> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    @Test
    void everyRowSendsTheMinutesNewTotals() throws Exception {
        add(cart("10.00", MINUTE_0 + 1_000));
        add(cart("2.50", MINUTE_0 + 59_999));

        assertThat(out())
                .extracting(KpiMinute::cartsAbandoned, KpiMinute::abandonedValue)
                .containsExactly(
                        tuple(1L, new BigDecimal("10.0000")), tuple(2L, new BigDecimal("12.5000")));
    }

    @Test
    void aRowFarBehindTheWatermarkCorrectsItsMinute() throws Exception {
        add(cart("10.00", MINUTE_0 + 1_000));
        // An hour later in event time: a closing window would have dropped the next row.
        harness.processWatermark(MINUTE_0 + 60 * MINUTE);
        out();

        add(cart("5.00", MINUTE_0 + 2_000));

        assertThat(out())
                .singleElement()
                .satisfies(
                        kpi -> {
                            assertThat(kpi.minuteStart()).isEqualTo(MINUTE_0);
                            assertThat(kpi.cartsAbandoned()).isEqualTo(2);
                            assertThat(kpi.abandonedValue()).isEqualTo(new BigDecimal("15.0000"));
                        });
        assertThat(function.lateRows()).isZero();
    }

    @Test
    void aMinuteIsForgottenAfterItsRetentionAndALaterRowIsCountedNotRestarted() throws Exception {
        add(cart("10.00", MINUTE_0 + 1_000));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(MINUTE_0 + MINUTE + RETENTION_MILLIS - 1);
        assertThat(harness.numKeyedStateEntries()).as("kept until the end").isEqualTo(1);
        harness.processWatermark(MINUTE_0 + MINUTE + RETENTION_MILLIS);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        out();

        // A zero restarted here would overwrite the minute's row (one cart, 10.00) with 5.00.
        add(cart("5.00", MINUTE_0 + 2_000));

        assertThat(out()).isEmpty();
        assertThat(function.lateRows()).isOne();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRestoredMinuteGoesOnFromItsCheckpointedTotals() throws Exception {
        add(cart("10.00", MINUTE_0 + 1_000));
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        // Written after the checkpoint, then lost with the job.
        add(cart("1.00", MINUTE_0 + 3_000));
        harness.close();

        harness = harness(checkpoint);
        // The input after the checkpoint comes again, and more.
        add(cart("1.00", MINUTE_0 + 3_000));
        add(cart("2.00", MINUTE_0 + 4_000));

        assertThat(out())
                .last()
                .satisfies(
                        kpi -> {
                            assertThat(kpi.cartsAbandoned()).isEqualTo(3);
                            assertThat(kpi.abandonedValue()).isEqualTo(new BigDecimal("13.0000"));
                        });
        assertThat(harness.numEventTimeTimers()).as("the retention timer restored").isOne();
    }

    @Test
    void minutesAndDimensionsAreKeptApart() throws Exception {
        add(cart("10.00", MINUTE_0));
        add(cart("10.00", MINUTE_0 + MINUTE));
        add(Kpis.abandoned("shop-1", "checkout", "unknown", "USD", BigDecimal.ONE, MINUTE_0));

        assertThat(out()).extracting(KpiMinute::cartsAbandoned).containsExactly(1L, 1L, 1L);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
    }
}
