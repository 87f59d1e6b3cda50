package io.cartrecovery.detection;

import java.util.Arrays;

/**
 * The event ids a cart key has seen, as {@code [fingerprint, forgetAt, fingerprint, forgetAt, ...]}
 * pairs in one {@code long[]} kept inside the key's {@link CartState}: the tracker reads and writes
 * one value per event, where a map state of its own cost a read and a write more, and a cleanup
 * timer per bucket (docs/detection.md, "Repeats").
 *
 * <p>Plain code on plain arrays: {@code null} is the empty set. A key keeps at most {@link
 * #MAX_IDS}; past it the id nearest its expiry is forgotten early, so a bot's key cannot make its
 * state (read and written whole on every event) grow without bound.
 */
final class SeenIds {
    /**
     * Ids a key remembers at once: a shopper's cart sees tens of events in the retention (1 h), a
     * crawler on one visitor id thousands.
     */
    static final int MAX_IDS = 256;

    private SeenIds() {}

    static boolean contains(long[] seen, long fingerprint) {
        if (seen != null) {
            for (int i = 0; i < seen.length; i += 2) {
                if (seen[i] == fingerprint) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The set with {@code fingerprint} added, to be forgotten at {@code forgetAt}; at {@link
     * #MAX_IDS} the id nearest its expiry makes room.
     */
    static long[] add(long[] seen, long fingerprint, long forgetAt) {
        if (seen == null) {
            return new long[] {fingerprint, forgetAt};
        }
        if (seen.length / 2 >= MAX_IDS) {
            int earliest = 0;
            for (int i = 2; i < seen.length; i += 2) {
                if (seen[i + 1] < seen[earliest + 1]) {
                    earliest = i;
                }
            }
            long[] replaced = seen.clone();
            replaced[earliest] = fingerprint;
            replaced[earliest + 1] = forgetAt;
            return replaced;
        }
        long[] grown = Arrays.copyOf(seen, seen.length + 2);
        grown[seen.length] = fingerprint;
        grown[seen.length + 1] = forgetAt;
        return grown;
    }

    /** Whether {@link #add} would forget an id early to make room. */
    static boolean full(long[] seen) {
        return seen != null && seen.length / 2 >= MAX_IDS;
    }

    /** The set without the ids due at or before {@code upTo}; {@code null} when none is left. */
    static long[] forgetDue(long[] seen, long upTo) {
        if (seen == null) {
            return null;
        }
        int kept = 0;
        for (int i = 0; i < seen.length; i += 2) {
            if (seen[i + 1] > upTo) {
                kept++;
            }
        }
        if (kept == seen.length / 2) {
            return seen;
        }
        if (kept == 0) {
            return null;
        }
        long[] rest = new long[2 * kept];
        int j = 0;
        for (int i = 0; i < seen.length; i += 2) {
            if (seen[i + 1] > upTo) {
                rest[j++] = seen[i];
                rest[j++] = seen[i + 1];
            }
        }
        return rest;
    }

    /** When the last id is forgotten, or {@link Long#MAX_VALUE} for none. */
    static long lastForgetAt(long[] seen) {
        if (seen == null) {
            return Long.MAX_VALUE;
        }
        long last = Long.MIN_VALUE;
        for (int i = 1; i < seen.length; i += 2) {
            last = Math.max(last, seen[i]);
        }
        return last;
    }
}
