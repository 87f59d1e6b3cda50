package io.cartrecovery.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Lists kept in time order, for what a keyed operator holds until the watermark passes it: insert
 * in order (after the ones of the same time, so arrival order breaks ties), then take the prefix
 * the watermark has passed. Inputs arrive nearly in order, so an insert looks from the end.
 */
final class TimeOrder {
    private TimeOrder() {}

    /**
     * Inserts {@code element} after every element of the same or an earlier time.
     *
     * @return the index it was inserted at: 0 when it is the new first
     */
    static <T> int insert(List<T> list, T element, ToLongFunction<T> time) {
        long at = time.applyAsLong(element);
        int index = list.size();
        while (index > 0 && time.applyAsLong(list.get(index - 1)) > at) {
            index--;
        }
        list.add(index, element);
        return index;
    }

    /** The first element's time, or {@link Long#MAX_VALUE} for none. */
    static <T> long first(List<T> list, ToLongFunction<T> time) {
        return list == null || list.isEmpty() ? Long.MAX_VALUE : time.applyAsLong(list.get(0));
    }

    /** The last element's time, or {@link Long#MIN_VALUE} for none. */
    static <T> long last(List<T> list, ToLongFunction<T> time) {
        return list == null || list.isEmpty()
                ? Long.MIN_VALUE
                : time.applyAsLong(list.get(list.size() - 1));
    }

    /** How many elements, from the first, have a time at or before {@code upTo}. */
    static <T> int countUpTo(List<T> list, long upTo, ToLongFunction<T> time) {
        int count = 0;
        while (count < list.size() && time.applyAsLong(list.get(count)) <= upTo) {
            count++;
        }
        return count;
    }

    /** Whether an element has exactly this time. */
    static <T> boolean contains(List<T> list, long at, ToLongFunction<T> time) {
        if (list != null) {
            for (T element : list) {
                if (time.applyAsLong(element) == at) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The elements after the first {@code taken}, as a new list, or {@code null} for none. */
    static <T> List<T> rest(List<T> list, int taken) {
        return taken >= list.size() ? null : new ArrayList<>(list.subList(taken, list.size()));
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
