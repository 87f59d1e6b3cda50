package io.cartrecovery.compliance;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * At most {@code max} contacts of one customer on one channel in any {@code periodMillis} long
 * stretch of time (a rolling window, not calendar days).
 *
 * @param max contacts allowed per period, at least 1
 * @param periodMillis length of the rolling window
 */
public record FrequencyCap(int max, long periodMillis) implements Serializable {
    public FrequencyCap {
        if (max < 1 || periodMillis <= 0) {
            throw new IllegalArgumentException("a cap needs max >= 1 and a positive period");
        }
    }

    /**
     * Whether one more contact at {@code at} keeps every window of the period at or below {@code
     * max}. The fullest window containing {@code at} starts at {@code at} or at a contact before
     * it, so only those starts are checked.
     *
     * @param planned moments of the contacts already planned on the channel
     */
    public boolean allows(List<Long> planned, long at) {
        if (count(planned, at) >= max) {
            return false;
        }
        for (long start : planned) {
            if (start > at - periodMillis && start <= at && count(planned, start) >= max) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first moment at or after {@code from} at which one more contact is allowed: {@code from}
     * itself or the moment a planned contact leaves the period (the only moments a full window can
     * free up).
     */
    public long nextFree(List<Long> planned, long from) {
        if (allows(planned, from)) {
            return from;
        }
        List<Long> frees = new ArrayList<>();
        for (long p : planned) {
            if (p + periodMillis > from) {
                frees.add(p + periodMillis);
            }
        }
        Collections.sort(frees);
        for (long candidate : frees) {
            if (allows(planned, candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cap never frees");
    }

    /** Planned contacts in {@code [start, start + period)}. */
    private int count(List<Long> planned, long start) {
        int n = 0;
        for (long p : planned) {
            if (p >= start && p < start + periodMillis) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return max + "/" + highestUnit(periodMillis);
    }

    /** As the settings write durations: the largest unit that divides it, e.g. {@code 1 d}. */
    private static String highestUnit(long millis) {
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "min", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return millis / sizes[i] + " " + units[i];
            }
        }
        return millis + " ms";
    }
}
