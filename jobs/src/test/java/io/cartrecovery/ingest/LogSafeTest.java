package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {
    @Test
    void aNewlineCannotStartAForgedLogLine() {
        assertThat(LogSafe.of("shop-1\n04:00:00,000 INFO  Admin - password reset"))
                .isEqualTo("shop-1\\n04:00:00,000 INFO  Admin - password reset")
                .doesNotContain("\n");
    }

    @Test
    void otherControlCharactersAndSeparatorsAreEscaped() {
        assertThat(LogSafe.of("a\r\t\u001b[31m\u2028\u0000b"))
                .isEqualTo("a\\r\\t\\u001b[31m\\u2028\\u0000b");
    }

    @Test
    void longValuesAreCut() {
        assertThat(LogSafe.of("x".repeat(10_000))).hasSize(LogSafe.MAX_CHARS + 3);
    }

    @Test
    void plainValuesStayAsTheyAre() {
        assertThat(LogSafe.of("shop-1 Café")).isEqualTo("shop-1 Café");
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }
}
