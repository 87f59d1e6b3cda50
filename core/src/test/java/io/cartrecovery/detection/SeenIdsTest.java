package io.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenIdsTest {
    @Test
    void anEmptySetIsNullAndKnowsNothing() {
        assertThat(SeenIds.contains(null, 7)).isFalse();
        assertThat(SeenIds.forgetDue(null, Long.MAX_VALUE)).isNull();
        assertThat(SeenIds.lastForgetAt(null)).isEqualTo(Long.MAX_VALUE);
        assertThat(SeenIds.full(null)).isFalse();
    }

    @Test
    void addedIdsAreKnownUntilTheirExpiry() {
        long[] seen = SeenIds.add(SeenIds.add(null, 7, 100), 8, 200);
        assertThat(SeenIds.contains(seen, 7)).isTrue();
        assertThat(SeenIds.contains(seen, 8)).isTrue();
        assertThat(SeenIds.contains(seen, 9)).isFalse();
        assertThat(SeenIds.lastForgetAt(seen)).isEqualTo(200);

        assertThat(SeenIds.forgetDue(seen, 99)).isSameAs(seen);
        long[] rest = SeenIds.forgetDue(seen, 100);
        assertThat(SeenIds.contains(rest, 7)).isFalse();
        assertThat(SeenIds.contains(rest, 8)).isTrue();
        assertThat(SeenIds.forgetDue(rest, 200)).isNull();
    }

    @Test
    void aFingerprintEqualToAnExpiryIsNotMistakenForAnId() {
        long[] seen = SeenIds.add(null, 7, 100);
        assertThat(SeenIds.contains(seen, 100)).isFalse();
    }

    @Test
    void atTheCapTheIdNearestItsExpiryMakesRoom() {
        long[] seen = null;
        for (int i = 0; i < SeenIds.MAX_IDS; i++) {
            // Expiries 1000, 999, ...: the last one added expires first.
            seen = SeenIds.add(seen, i, 1000 - i);
        }
        assertThat(SeenIds.full(seen)).isTrue();
        long nearest = SeenIds.MAX_IDS - 1;
        long[] after = SeenIds.add(seen, -1, 5000);
        assertThat(after).hasSize(2 * SeenIds.MAX_IDS);
        assertThat(SeenIds.contains(after, -1)).isTrue();
        assertThat(SeenIds.contains(after, nearest)).isFalse();
        assertThat(SeenIds.contains(after, 0)).isTrue();
        // The set added to is unchanged: values in state are replaced, never changed in place.
        assertThat(SeenIds.contains(seen, nearest)).isTrue();
    }
}
