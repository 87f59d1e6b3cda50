package io.cartrecovery.followup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Records pass with their times; the input says idle once and never carries a watermark. */
class WithoutWatermarksTest {

    @Test
    void recordsPassAndNoWatermarkOrActiveDoes() throws Exception {
        OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new WithoutWatermarks<>());
        try {
            harness.open();
            harness.processElement(new StreamRecord<>("purchase", 60_000L));
            harness.processWatermark(new Watermark(59_999L));
            harness.processWatermarkStatus(WatermarkStatus.IDLE);
            harness.processWatermarkStatus(WatermarkStatus.ACTIVE);
            harness.processElement(new StreamRecord<>("later", 120_000L));
            harness.processWatermark(new Watermark(Long.MAX_VALUE));

            List<Object> sent = new ArrayList<>();
            for (Object out : harness.getOutput()) {
                sent.add(
                        out instanceof StreamRecord<?> record
                                ? record.getValue() + "@" + record.getTimestamp()
                                : out);
            }
            assertThat(sent)
                    .containsExactly(WatermarkStatus.IDLE, "purchase@60000", "later@120000");
        } finally {
            harness.close();
        }
    }
}
