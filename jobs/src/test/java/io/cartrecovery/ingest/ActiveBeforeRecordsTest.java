package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The order a source's output takes after an idle spell, as every operator downstream sees it: the
 * records of the next poll come before the watermark after them, and "active" before both.
 */
class ActiveBeforeRecordsTest {

    /** What the operator passes on, in order: records as their values, the rest as they are. */
    private static List<Object> sent(OneInputStreamOperatorTestHarness<String, String> harness) {
        List<Object> sent = new ArrayList<>();
        for (Object out : harness.getOutput()) {
            sent.add(out instanceof StreamRecord<?> record ? record.getValue() : out);
        }
        return sent;
    }

    @Test
    void aRecordAfterAnIdleSpellIsPrecededByActive() throws Exception {
        OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new ActiveBeforeRecords<>());
        try {
            harness.open();
            harness.processElement(new StreamRecord<>("before", 1_000L));
            harness.processWatermark(new Watermark(999L));
            // The source goes quiet, then polls a burst and only then emits its watermark, with
            // the "active" that Flink sends along with it.
            harness.processWatermarkStatus(WatermarkStatus.IDLE);
            harness.processElement(new StreamRecord<>("first", 60_000L));
            harness.processElement(new StreamRecord<>("second", 90_000L));
            harness.processWatermarkStatus(WatermarkStatus.ACTIVE);
            harness.processWatermark(new Watermark(89_999L));
            harness.processWatermarkStatus(WatermarkStatus.IDLE);

            assertThat(sent(harness))
                    .containsExactly(
                            "before",
                            new Watermark(999L),
                            WatermarkStatus.IDLE,
                            WatermarkStatus.ACTIVE,
                            "first",
                            "second",
                            new Watermark(89_999L),
                            WatermarkStatus.IDLE);
        } finally {
            harness.close();
        }
    }
}
