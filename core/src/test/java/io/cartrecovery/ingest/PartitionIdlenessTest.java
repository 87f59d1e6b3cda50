package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionIdlenessTest {
    private static final long TIMEOUT = 30_000;

    /** Answers as a broker would: caught up when the reader is at or past the partition's end. */
    private static final class Ends implements CatchUp {
        final List<String> asked = new ArrayList<>();
        long end;
        boolean answers = true;

        @Override
        public boolean caughtUp(String source, int partition, long nextOffset) {
            asked.add(source + "-" + partition + "@" + nextOffset);
            return answers && nextOffset >= end;
        }
    }

    @Test
    void aBusyPartitionIsNeverIdleAndAsksNobody() {
        PartitionIdleness idleness = new PartitionIdleness(TIMEOUT, 0);
        Ends ends = new Ends();
        for (long t = 0; t < 100_000; t += 10_000) {
            idleness.recordSeen(SourcePosition.kafka("clicks", 1, t), t);
            assertThat(idleness.idle(t + 5_000, ends)).isFalse();
        }
        assertThat(ends.asked).isEmpty();
    }

    @Test
    void aQuietPartitionReadToItsEndIsIdleAfterTheTimeout() {
        PartitionIdleness idleness = new PartitionIdleness(TIMEOUT, 0);
        Ends ends = new Ends();
        ends.end = 42;
        idleness.recordSeen(SourcePosition.kafka("clicks", 1, 41), 1_000);

        assertThat(idleness.idle(1_000 + TIMEOUT - 1, ends)).isFalse();
        assertThat(idleness.idle(1_000 + TIMEOUT, ends)).isTrue();
        assertThat(ends.asked).containsExactly("clicks-1@42");
    }

    @Test
    void aQuietPartitionWithUnreadRecordsHoldsEventTime() {
        PartitionIdleness idleness = new PartitionIdleness(TIMEOUT, 0);
        Ends ends = new Ends();
        ends.end = 50;
        idleness.recordSeen(SourcePosition.kafka("clicks", 1, 41), 0);

        assertThat(idleness.idle(10 * TIMEOUT, ends)).isFalse();

        // Once its reader hands on the rest, it can be idle again.
        idleness.recordSeen(SourcePosition.kafka("clicks", 1, 49), 10 * TIMEOUT);
        assertThat(idleness.idle(11 * TIMEOUT, ends)).isTrue();
    }

    @Test
    void aPartitionWhoseBrokerDoesNotAnswerIsNotIdle() {
        PartitionIdleness idleness = new PartitionIdleness(TIMEOUT, 0);
        Ends ends = new Ends();
        ends.answers = false;
        idleness.recordSeen(SourcePosition.kafka("clicks", 0, 7), 0);

        assertThat(idleness.idle(100 * TIMEOUT, ends)).isFalse();
    }

    @Test
    void aFreshRecordEndsAnIdleSpell() {
        PartitionIdleness idleness = new PartitionIdleness(TIMEOUT, 0);
        Ends ends = new Ends();
        ends.end = 8;
        idleness.recordSeen(SourcePosition.kafka("clicks", 0, 7), 0);
        assertThat(idleness.idle(TIMEOUT, ends)).isTrue();

        ends.end = 9;
        idleness.recordSeen(SourcePosition.kafka("clicks", 0, 8), TIMEOUT + 1);
        assertThat(idleness.idle(TIMEOUT + 2, ends)).isFalse();
    }

    @Test
    void fileLinesAndReadersWithNothingHandedOnAreIdleAfterTheTimeoutAlone() {
        CatchUp never = CatchUp.UNKNOWN;
        PartitionIdleness nothingYet = new PartitionIdleness(TIMEOUT, 5_000);
        assertThat(nothingYet.idle(5_000 + TIMEOUT - 1, never)).isFalse();
        assertThat(nothingYet.idle(5_000 + TIMEOUT, never)).isTrue();

        PartitionIdleness file = new PartitionIdleness(TIMEOUT, 0);
        file.recordSeen(SourcePosition.fileLine("events.jsonl", 12), 0);
        assertThat(file.idle(TIMEOUT, never)).isTrue();
    }

    @Test
    void aMainOutputWaitsForEverySplitThatHandedOnNothingToBeReadFromItsStart() {
        PartitionIdleness main = new PartitionIdleness(TIMEOUT, 0);
        Ends ends = new Ends();
        ends.end = 10;
        List<SourcePosition> unstarted =
                List.of(
                        SourcePosition.kafka("clicks", 0, 10),
                        SourcePosition.kafka("clicks", 1, 4),
                        SourcePosition.kafka("clicks", 2, -3)); // committed: resolved later

        assertThat(main.idle(TIMEOUT - 1, ends, unstarted)).isFalse();
        assertThat(main.idle(TIMEOUT, ends, unstarted)).as("partition 1 from 4, end 10").isFalse();
        assertThat(ends.asked).containsExactly("clicks-0@10", "clicks-1@4");

        ends.end = 4;
        assertThat(main.idle(TIMEOUT, ends, unstarted)).isTrue();
        assertThat(main.idle(TIMEOUT, ends, List.of())).isTrue();
    }

    @Test
    void aStageRejectionDoesNotHideTheKafkaPosition() {
        PartitionIdleness idleness = new PartitionIdleness(TIMEOUT, 0);
        Ends ends = new Ends();
        ends.end = 100;
        idleness.recordSeen(SourcePosition.kafka("clicks", 0, 7), 0);
        idleness.recordSeen(SourcePosition.stage("validate", 123L), 1);

        assertThat(idleness.idle(TIMEOUT + 1, ends)).isFalse();
        assertThat(ends.asked).containsExactly("clicks-0@8");
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThatThrownBy(() -> new PartitionIdleness(0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
    }
}
