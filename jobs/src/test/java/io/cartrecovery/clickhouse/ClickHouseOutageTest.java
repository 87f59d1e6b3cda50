package io.cartrecovery.clickhouse;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.launch.LocalClickHouse;
import io.cartrecovery.testing.ReplayRun;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClickHouse goes away in the middle of a replay and comes back: the fact writers retry, and once
 * it is back every fact is there, none lost. The server is a ClickHouse of this test's own (the
 * shared test server must not stop under other tests), stopped and started again on the same data
 * and ports. The outage lasts {@code -Dcart-recovery.outage-seconds} (default 10 s; the issue saw
 * 45 s, which passes too but makes the test a minute longer): long enough for several failed
 * inserts and growing back-off, well inside {@code clickhouse.retry-timeout}.
 */
class ClickHouseOutageTest {
    private static final int CARTS = 1000;
    private static final String TOP_OF_THE_RANGE = "99999999999999.9999";

    @TempDir Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<String> input() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < CARTS; i++) {
            // The largest cart value the money range allows lands exactly in Decimal(18, 4).
            // In a currency of its own, so that its KPI minute holds it alone: a minute's sum
            // stays Decimal(18, 4) (docs/limits.md).
            String price = i == 0 ? TOP_OF_THE_RANGE : (1 + i % 90) + ".99";
            lines.add(
                    add("p" + i % 7, 1, price)
                            .currency(i == 0 ? "USD" : "EUR")
                            .cart("c-" + i)
                            .customer("u-" + i)
                            .atMinute(i * 0.02)
                            .json());
        }
        lines.add(clockAt(CARTS * 0.02 + 30));
        return lines;
    }

    /**
     * Every shopper has a profile with consent to every channel, so every cart is contactable and
     * its tasks are facts too.
     */
    private static List<String> profiles() {
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < CARTS; i++) {
            profiles.add(
                    "{\"store_id\":\"shop-1\",\"customer_id\":\"u-"
                            + i
                            + "\",\"phone\":\"+34612345678\",\"email\":\"u@example.com\","
                            + "\"consent\":{\"call\":{\"granted\":true},"
                            + "\"whatsapp\":{\"granted\":true},\"sms\":{\"granted\":true},"
                            + "\"email\":{\"granted\":true}}}");
        }
        return profiles;
    }

    @Test
    void anOutageMidReplayLosesNoFact() throws Exception {
        long outage = Long.getLong("cart-recovery.outage-seconds", 10);
        int http = freePort();
        int tcp = freePort();
        Path data = dir.resolve("clickhouse");
        LocalClickHouse server = LocalClickHouse.start(data, http, tcp);
        try {
            String database = "outage";
            Map<String, String> settings = new HashMap<>();
            settings.put(ClickHouseOptions.URL.key(), server.url());
            settings.put(ClickHouseOptions.DATABASE.key(), database);
            settings.put("clickhouse.batch-size", "10");
            settings.put("clickhouse.flush-interval", "50ms");
            settings.put(ClickHouseOptions.RETRY_BACKOFF.key(), "200ms");
            // Long enough for the outage; short enough that a failed test ends.
            settings.put(ClickHouseOptions.RETRY_TIMEOUT.key(), (outage + 60) + "s");
            ClickHouseSettings ch =
                    ClickHouseSettings.from(Configs.load(null, settings)).orElseThrow();
            ClickHouseHttp http1 = new ClickHouseHttp(ch);
            new SchemaMigrator(http1, database).apply(Migrations.bundled());

            CompletableFuture<ReplayRun> replay =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return ReplayRun.withProfiles(
                                            dir, input(), profiles(), settings);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            long written = 0;
            while (written == 0 && !replay.isDone()) {
                Thread.sleep(20);
                written = count(http1, database);
            }
            server.close();
            assertThat(written)
                    .as("ClickHouse stopped in the middle of the replay's writes")
                    .isPositive()
                    .isLessThan(CARTS);
            assertThat(replay).as("the replay waits for ClickHouse").isNotDone();

            Thread.sleep(TimeUnit.SECONDS.toMillis(outage));
            assertThat(replay).as("the replay waits for ClickHouse").isNotDone();
            try {
                server = LocalClickHouse.start(data, http, tcp);
            } catch (RuntimeException e) {
                System.err.println("RESTART FAILED " + e + "\n" + server.logTail());
                throw e;
            }
            ReplayRun run = replay.get(3, TimeUnit.MINUTES);

            Set<String> inFiles =
                    run.abandoned.stream()
                            .map(a -> a.get("cart_id").asText())
                            .collect(Collectors.toCollection(TreeSet::new));
            assertThat(inFiles).hasSize(CARTS);
            ClickHouseHttp http2 = new ClickHouseHttp(ch);
            Set<String> inClickHouse =
                    new TreeSet<>(
                            List.of(
                                    http2.execute(
                                                    database,
                                                    "SELECT DISTINCT cart_id FROM abandoned_carts"
                                                            + " FORMAT TabSeparated")
                                            .split("\n")));
            assertThat(inClickHouse).isEqualTo(inFiles);
            assertThat(
                            http2.execute(
                                            database,
                                            "SELECT toString(cart_value) FROM abandoned_carts"
                                                    + " WHERE cart_id = 'c-0' LIMIT 1")
                                    .strip())
                    .isEqualTo(TOP_OF_THE_RANGE);
            long tasks = run.tasks.stream().map(t -> t.get("task_id").asText()).distinct().count();
            assertThat(tasks).as("contact tasks").isPositive();
            assertThat(
                            Long.parseLong(
                                    http2.execute(
                                                    database,
                                                    "SELECT count(DISTINCT task_id) FROM"
                                                            + " contact_tasks")
                                            .strip()))
                    .isEqualTo(tasks);
        } finally {
            server.close();
        }
    }

    private static long count(ClickHouseHttp http, String database) {
        return Long.parseLong(
                http.execute(database, "SELECT count() FROM abandoned_carts").strip());
    }
}
