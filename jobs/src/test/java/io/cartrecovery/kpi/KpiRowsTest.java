package io.cartrecovery.kpi;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** Rows keep their own time; those the windows' watermark already passed are counted. */
class KpiRowsTest {
    private static final long START = T0.toEpochMilli();

    private static LocalDateTime utc(long millis) {
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(millis, 1000),
                Math.floorMod(millis, 1000) * 1_000_000,
                ZoneOffset.UTC);
    }

    @Test
    void lateRowsKeepTheirTimeAndAreCounted() throws Exception {
        KpiRows<Long> rows = new KpiRows<>("test", at -> Row.of("shop-1", utc(at)));
        OneInputStreamOperatorTestHarness<Long, Row> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(rows));
        try {
            harness.open();
            // Before any watermark, every time is open.
            harness.processElement(new StreamRecord<>(START - 60_000L));
            harness.processWatermark(START);
            harness.processElement(new StreamRecord<>(START + 1));
            harness.processElement(new StreamRecord<>(START));
            harness.processElement(new StreamRecord<>(START - 600_000L));

            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            Row.of("shop-1", utc(START - 60_000L)),
                            Row.of("shop-1", utc(START + 1)),
                            Row.of("shop-1", utc(START)),
                            Row.of("shop-1", utc(START - 600_000L)));
            assertThat(rows.lateRows()).isEqualTo(2);
        } finally {
            harness.close();
        }
    }
}
