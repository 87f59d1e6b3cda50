package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SeenEventIdsTest {
    @Test
    void fingerprintsOfDistinctIdsDiffer() {
        Set<Long> fingerprints = new HashSet<>();
        int ids = 0;
        for (int i = 0; i < 50_000; i++, ids += 3) {
            fingerprints.add(SeenEventIds.fingerprint(UUID.randomUUID().toString()));
            fingerprints.add(SeenEventIds.fingerprint("evt-" + i));
            fingerprints.add(SeenEventIds.fingerprint("evt-" + i + "-retry"));
        }
        assertThat(fingerprints).hasSize(ids);
    }

    @Test
    void theSameIdHasTheSameFingerprint() {
        assertThat(SeenEventIds.fingerprint("a1b2")).isEqualTo(SeenEventIds.fingerprint("a1b2"));
        assertThat(SeenEventIds.fingerprint("a1b2")).isNotEqualTo(SeenEventIds.fingerprint("a1b3"));
    }
}
