package io.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeOrderTest {
    private record Held(long time, String name) {}

    private static List<String> names(List<Held> list) {
        return list.stream().map(Held::name).toList();
    }

    @Test
    void insertKeepsTimeOrderAndArrivalOrderWithinATime() {
        List<Held> list = new ArrayList<>();
        assertThat(TimeOrder.insert(list, new Held(20, "b"), Held::time)).isZero();
        assertThat(TimeOrder.insert(list, new Held(30, "c"), Held::time)).isEqualTo(1);
        assertThat(TimeOrder.insert(list, new Held(20, "b2"), Held::time)).isEqualTo(1);
        assertThat(TimeOrder.insert(list, new Held(10, "a"), Held::time)).isZero();
        assertThat(names(list)).containsExactly("a", "b", "b2", "c");
    }

    @Test
    void theWatermarkTakesAPrefixAndTheRestStaysInOrder() {
        List<Held> list =
                new ArrayList<>(List.of(new Held(10, "a"), new Held(20, "b"), new Held(30, "c")));
        assertThat(TimeOrder.countUpTo(list, 9, Held::time)).isZero();
        assertThat(TimeOrder.countUpTo(list, 20, Held::time)).isEqualTo(2);
        assertThat(names(TimeOrder.rest(list, 2))).containsExactly("c");
        assertThat(TimeOrder.rest(list, 3)).isNull();
        assertThat(TimeOrder.first(list, Held::time)).isEqualTo(10);
        assertThat(TimeOrder.first(null, Held::time)).isEqualTo(Long.MAX_VALUE);
        assertThat(TimeOrder.contains(list, 20, Held::time)).isTrue();
        assertThat(TimeOrder.contains(list, 21, Held::time)).isFalse();
        assertThat(TimeOrder.contains(null, 20, Held::time)).isFalse();
    }
}
