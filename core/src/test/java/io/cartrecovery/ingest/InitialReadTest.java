package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitialReadTest {

    /** Answers as a broker would: caught up when the reader is at or past the partition's end. */
    private static final class Ends implements CatchUp {
        final Map<Integer, Long> ends = new HashMap<>();
        boolean answers = true;
        int asked;

        @Override
        public boolean caughtUp(String source, int partition, long nextOffset) {
            asked++;
            return answers && nextOffset >= ends.getOrDefault(partition, 0L);
        }
    }

    @Test
    void aReaderGivenNoPartitionYetHasNotRead() {
        assertThat(new InitialRead().read(new Ends())).isFalse();
    }

    @Test
    void aReaderHasReadOnceItsLastRecordIsTheLastOfItsPartition() {
        Ends ends = new Ends();
        ends.ends.put(0, 3L);
        InitialRead reader = new InitialRead();
        reader.started("profiles", 0, 0);
        assertThat(reader.read(ends)).isFalse();

        reader.seen(SourcePosition.kafka("profiles", 0, 0));
        reader.seen(SourcePosition.kafka("profiles", 0, 1));
        assertThat(reader.read(ends)).isFalse();
        reader.seen(SourcePosition.kafka("profiles", 0, 2));
        assertThat(reader.read(ends)).isTrue();
    }

    @Test
    void everyPartitionMustBeReadEmptyOnesIncluded() {
        Ends ends = new Ends();
        ends.ends.put(0, 0L);
        ends.ends.put(1, 7L);
        InitialRead reader = new InitialRead();
        reader.started("agents", 0, 0);
        reader.started("agents", 1, 0);
        assertThat(reader.read(ends)).isFalse();

        reader.seen(SourcePosition.kafka("agents", 1, 5));
        assertThat(reader.read(ends)).isFalse();
        reader.seen(SourcePosition.kafka("agents", 1, 6));
        assertThat(reader.read(ends)).isTrue();
    }

    @Test
    void aRestoredReaderReadsFromItsCheckpointedOffset() {
        Ends ends = new Ends();
        ends.ends.put(0, 40L);
        InitialRead reader = new InitialRead();
        reader.started("profiles", 0, 40);
        assertThat(reader.read(ends)).isTrue();
    }

    @Test
    void onceReadItStaysReadHoweverTheTopicGrows() {
        Ends ends = new Ends();
        ends.ends.put(0, 1L);
        InitialRead reader = new InitialRead();
        reader.started("profiles", 0, 0);
        reader.seen(SourcePosition.kafka("profiles", 0, 0));
        assertThat(reader.read(ends)).isTrue();

        ends.ends.put(0, 1_000L);
        ends.answers = false;
        reader.started("profiles", 1, 0);
        reader.seen(SourcePosition.kafka("profiles", 0, 1));
        int asked = ends.asked;
        assertThat(reader.read(ends)).isTrue();
        assertThat(ends.asked).as("no broker asked once read").isEqualTo(asked);
    }

    @Test
    void aBrokerThatDoesNotAnswerKeepsTheHold() {
        Ends ends = new Ends();
        ends.answers = false;
        InitialRead reader = new InitialRead();
        reader.started("profiles", 0, 0);
        assertThat(reader.read(ends)).isFalse();
        ends.answers = true;
        assertThat(reader.read(ends)).isTrue();
    }

    @Test
    void aPartitionStartingWhereTheReaderResolvesItIsTakenAsRead() {
        Ends ends = new Ends();
        ends.ends.put(0, 9L);
        InitialRead reader = new InitialRead();
        reader.started("agents", 0, -2);
        assertThat(reader.read(ends)).isTrue();
    }

    @Test
    void aReleasedPartitionHoldsNothing() {
        Ends ends = new Ends();
        ends.ends.put(1, 9L);
        InitialRead reader = new InitialRead();
        reader.started("agents", 0, 0);
        reader.started("agents", 1, 0);
        reader.released("agents", 1);
        assertThat(reader.read(ends)).isTrue();
    }

    @Test
    void fileLinesAndStagesAreNotOffsets() {
        Ends ends = new Ends();
        ends.ends.put(0, 1L);
        InitialRead reader = new InitialRead();
        reader.started("profiles", 0, 0);
        reader.seen(SourcePosition.fileLine("profiles.jsonl", 3));
        reader.seen(SourcePosition.stage("enrich", 5));
        assertThat(reader.read(ends)).isFalse();
    }
}
