package io.cartrecovery.compliance;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.util.TimeUtils;

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
     * @param text {@code N/DURATION}, e.g. {@code 1/24h}
     * @throws IllegalArgumentException with a one-line reason
     */
    public static FrequencyCap parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + s + "' is not N/DURATION, e.g. 1/24h");
        }
        int max;
        Duration period;
        try {
            max = Integer.parseInt(s.substring(0, slash).strip());
            period = TimeUtils.parseDuration(s.substring(slash + 1).strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + s + "' is not N/DURATION, e.g. 1/24h");
        }
        if (max < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(
                    "'" + s + "' needs at least 1 contact and a positive period");
        }
        return new FrequencyCap(max, period.toMillis());
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
        return max + "/" + TimeUtils.formatWithHighestUnit(Duration.ofMillis(periodMillis));
    }
}
