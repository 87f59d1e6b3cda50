package io.cartrecovery.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.Ingestion;
import io.cartrecovery.ingest.SourcePosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClickstreamMixTest {
    private static final int EVENTS = 50_000;

    private static byte[] bytes;
    private static ClickstreamMix.Mix mix;

    @BeforeAll
    static void generate() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mix = ClickstreamMix.write(out, EVENTS, 42);
        bytes = out.toByteArray();
    }

    @Test
    void theSameSeedGivesTheSameBytes() throws IOException {
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        ClickstreamMix.write(again, EVENTS, 42);
        assertThat(again.toByteArray()).isEqualTo(bytes);

        ByteArrayOutputStream other = new ByteArrayOutputStream();
        ClickstreamMix.write(other, EVENTS, 43);
        assertThat(other.toByteArray()).isNotEqualTo(bytes);
    }

    @Test
    void hasTheRealMix() throws IOException {
        assertThat(mix.events()).isEqualTo(EVENTS);
        assertThat(mix.bytes()).isEqualTo(bytes.length);
        // Enough events for the shares to settle: carts still open at the end of the file, and the
        // shoppers who come back hours later, weigh on a short one.
        ClickstreamMix.Mix large =
                ClickstreamMix.write(OutputStream.nullOutputStream(), 500_000, 7);
        // The reference file: ~417 B an event, 60 stores, ~11 events per cart, 29% bought,
        // 0.2% duplicates, visitors who only browse.
        assertThat(large.bytesPerEvent()).isBetween(380.0, 460.0);
        assertThat(large.stores()).isEqualTo(ClickstreamMix.STORES);
        assertThat((double) large.events() / large.carts()).isBetween(10.0, 13.0);
        assertThat(large.boughtShare()).isBetween(0.25, 0.31);
        assertThat(large.duplicateShare()).isBetween(0.0015, 0.0025);
        assertThat((double) large.browseOnlyVisitors() / large.visitors()).isBetween(0.4, 0.6);
    }

    @Test
    void isTimeOrderedWithinASecond() {
        long newest = 0;
        for (String line : lines()) {
            long time = time(line);
            assertThat(time).isGreaterThan(newest - 2 * ClickstreamMix.JITTER_MILLIS - 1);
            newest = Math.max(newest, time);
        }
        // Hours of event time, not a burst.
        assertThat(mix.lastEventTime() - mix.firstEventTime()).isGreaterThan(600_000L);
    }

    @Test
    void everyLineIsAValidCanonicalEvent() {
        Ingestion ingestion = Ingestion.from(JobSettings.from(new Configuration()));
        List<Ingested> out = new ArrayList<>();
        long line = 0;
        for (String text : lines()) {
            line++;
            ingestion.ingest(
                    text.getBytes(StandardCharsets.UTF_8),
                    SourcePosition.fileLine("mix", line),
                    System.currentTimeMillis(),
                    out::add,
                    skipped -> {});
        }
        assertThat(out).hasSize(EVENTS);
        assertThat(out).allSatisfy(ingested -> assertThat(ingested.deadLetter()).isNull());
    }

    private static List<String> lines() {
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }

    private static long time(String line) {
        try {
            return Instant.parse(ClickEventJson.MAPPER.readTree(line).get("event_time").asText())
                    .toEpochMilli();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
