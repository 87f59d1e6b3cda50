package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class FrontierWatermarksTest {
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output =
            new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark watermark) {
                    emitted.add(watermark.getTimestamp());
                }

                @Override
                public void markIdle() {}

                @Override
                public void markActive() {}
            };

    @Test
    void oneDeviceAnHourAheadDoesNotMoveThePartitionsWatermark() throws Exception {
        FrontierWatermarks watermarks =
                new FrontierWatermarks(Duration.ofMinutes(5).toMillis(), 5_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).as("nothing before the first event").isEmpty();
        watermarks.onEvent(event("visitor-a", 10 * MINUTE), 0, output);
        watermarks.onEvent(event("visitor-bad-clock", 70 * MINUTE), 0, output);
        watermarks.onEvent(new Ingested(null, deadLetter()), 0, output);
        watermarks.onEvent(event("visitor-b", 11 * MINUTE), 0, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(11 * MINUTE - 5_000 - 1);
    }

    private static Ingested event(String visitor, long time) throws Exception {
        String json =
                "{\"event_id\":\"e-"
                        + visitor
                        + time
                        + "\",\"type\":\"page_view\",\"store_id\":\"shop-1\","
                        + "\"anonymous_id\":\""
                        + visitor
                        + "\",\"event_time\":\""
                        + java.time.Instant.ofEpochMilli(time)
                        + "\"}";
        ClickEvent event =
                ClickEventJson.read(
                        ClickEventJson.readObject(json.getBytes(StandardCharsets.UTF_8)));
        return new Ingested(event, null);
    }

    private static DeadLetter deadLetter() {
        return new DeadLetter("broken", new byte[] {'{'}, SourcePosition.stage("test", 0), 0);
    }
}
