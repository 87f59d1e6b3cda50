package io.cartrecovery.clickhouse;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.EventType;
import io.cartrecovery.testing.ClickHouseServer;
import io.cartrecovery.testing.CollectingMetricReporter;
import io.cartrecovery.testing.LogCapture;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal data stays out of what the job writes for counting and operating: after a replay with
 * customer profiles (names, e-mail addresses, phone numbers), identify events carrying the same,
 * and bad profiles and outcomes, no name, e-mail address or phone number of those customers is in
 * any column of any table of ClickHouse 18.16, in anything the job logged at INFO, or in any metric
 * (names, scope variables, values). The dead letters hold them by design (docs/security.md), unless
 * {@code dead-letters.mask-personal-data} masks them.
 */
class PrivacyScanTest {
    @RegisterExtension static final ClickHouseServer CLICKHOUSE = new ClickHouseServer();

    private static final int CUSTOMERS = 12;

    @TempDir Path dir;

    private static String name(int i) {
        return "Zoë Privatova-" + i;
    }

    private static String email(int i) {
        return "zoe.privatova." + i + "@example.com";
    }

    private static String phone(int i) {
        return "+3461177" + String.format("%04d", i);
    }

    /** What must not leak, as the inputs spell it and as ClickHouse or a log might print it. */
    private static List<String> personalData() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            values.add(name(i));
            values.add("Privatova-" + i);
            values.add(email(i));
            values.add("zoe.privatova." + i);
            values.add(phone(i));
            values.add(phone(i).substring(1));
        }
        values.add("Bad Profile Person");
        values.add("bad.profile@example.com");
        values.add("+34699000111");
        values.add("called Zoë at home");
        return values;
    }

    private static List<String> profiles() {
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            profiles.add(
                    "{\"store_id\":\"shop-1\",\"customer_id\":\"c-"
                            + i
                            + "\",\"name\":\""
                            + name(i)
                            + "\",\"phone\":\""
                            + phone(i)
                            + "\",\"email\":\""
                            + email(i)
                            + "\",\"consent\":{\"call\":{\"granted\":true},"
                            + "\"sms\":{\"granted\":true},\"email\":{\"granted\":true}}}");
        }
        // Rejected: a lifetime value out of the money range; its personal fields are in the line.
        profiles.add(
                "{\"store_id\":\"shop-1\",\"customer_id\":\"c-bad\",\"name\":\"Bad Profile"
                        + " Person\",\"email\":\"bad.profile@example.com\",\"phone\":\"+34699000111\","
                        + "\"lifetime_value\":-5}");
        return profiles;
    }

    private static List<String> events() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            lines.add(
                    event(EventType.IDENTIFY)
                            .customer("c-" + i)
                            .contact(name(i), email(i), phone(i))
                            .atMinute(i * 0.1)
                            .json());
            lines.add(add("p" + i, 1, "12.50").customer("c-" + i).atMinute(i * 0.1 + 0.05).json());
        }
        lines.add(clockAt(60));
        return lines;
    }

    /** An outcome for a task the job never made: a dead letter, its notes personal. */
    private static List<String> outcomes() {
        return List.of(
                "{\"store_id\":\"shop-1\",\"task_id\":\"00000000-0000-0000-0000-000000000001\","
                        + "\"attempt\":1,\"channel\":\"call\",\"outcome\":\"no_answer\","
                        + "\"time\":\"2026-11-26T10:20:00Z\",\"notes\":\"called Zoë at home\"}");
    }

    private ReplayRun replay(String database, boolean mask) throws Exception {
        Map<String, String> settings = new HashMap<>(CLICKHOUSE.settings(database));
        settings.put(
                "metrics.reporter.collect.factory.class",
                CollectingMetricReporter.Factory.class.getName());
        settings.put("dead-letters.mask-personal-data", String.valueOf(mask));
        new SchemaMigrator(new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database)
                .apply(Migrations.bundled());
        Path run = Files.createDirectories(dir.resolve(database));
        return ReplayRun.withOutcomes(run, events(), profiles(), outcomes(), settings);
    }

    @Test
    void noNameEmailOrPhoneInClickHouseLogsOrMetrics() throws Exception {
        String database = CLICKHOUSE.newDatabase();
        CollectingMetricReporter.clear();
        ReplayRun run;
        String logs;
        try (LogCapture capture = LogCapture.start()) {
            run = replay(database, false);
            logs = capture.text();
        }
        String metrics = CollectingMetricReporter.text();

        assertThat(run.tasks)
                .as("the customers' carts made tasks")
                .hasSizeGreaterThanOrEqualTo(CUSTOMERS);
        assertThat(run.abandoned).hasSize(CUSTOMERS);

        // Every table (and view) of the database, every column, as text.
        StringBuilder clickhouse = new StringBuilder();
        List<String> tables =
                CLICKHOUSE
                        .rows(
                                database,
                                "SELECT name FROM system.tables WHERE database = '"
                                        + database
                                        + "' ORDER BY name")
                        .stream()
                        .map(row -> row.get("name"))
                        .toList();
        assertThat(tables)
                .contains("abandoned_carts", "contact_tasks", "contact_attempts", "holdout");
        long cells = 0;
        for (String table : tables) {
            for (Map<String, String> row : CLICKHOUSE.rows(database, "SELECT * FROM " + table)) {
                for (Map.Entry<String, String> cell : row.entrySet()) {
                    clickhouse
                            .append(table)
                            .append('.')
                            .append(cell.getKey())
                            .append('=')
                            .append(cell.getValue())
                            .append('\n');
                    cells++;
                }
            }
        }
        assertThat(cells).as("cells scanned").isGreaterThan(100);
        assertThat(clickhouse.toString()).as("the customer ids are there").contains("c-3");
        assertThat(metrics).as("metrics were collected").contains("numRecordsIn");
        assertThat(logs).as("the job logged at INFO").isNotBlank();
        for (String personal : personalData()) {
            assertThat(clickhouse.toString()).as("ClickHouse").doesNotContain(personal);
            assertThat(logs).as("the job's logs").doesNotContain(personal);
            assertThat(metrics).as("the job's metrics").doesNotContain(personal);
        }

        // The dead letters keep the rejected records whole: who reads them sees the data.
        List<JsonNode> letters = run.deadLetters;
        assertThat(letters).hasSize(2);
        assertThat(letters.toString())
                .contains("Bad Profile Person", "called Zoë at home")
                .doesNotContain("payload_masked");
    }

    @Test
    void maskedDeadLettersHoldNoPersonalFields() throws Exception {
        ReplayRun run = replay(CLICKHOUSE.newDatabase(), true);
        List<JsonNode> letters = run.deadLetters;
        assertThat(letters).hasSize(2);
        for (JsonNode letter : letters) {
            Schemas.assertValid("dead-letter.schema.json", letter);
            assertThat(letter.path("payload_masked").asBoolean()).isTrue();
            assertThat(letter.path("payload_bytes").asLong()).isPositive();
            assertThat(letter.has("payload_base64")).isFalse();
            for (String personal : personalData()) {
                assertThat(letter.toString()).doesNotContain(personal);
            }
        }
        assertThat(letters.toString())
                .as("the rest of each record stays, to see what was wrong")
                .contains("c-bad", "lifetime_value", "no_answer", "\\\"notes\\\":\\\"***\\\"");
        assertThat(run.tasks).as("masking changes dead letters only").isNotEmpty();
    }
}
