package io.cartrecovery.replay;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile corpus through the real job (a replay on a MiniCluster): for each input (the
 * clickstream in every format the job decodes, profiles, outcomes, agents) more than 10,000 bad
 * records from a seeded generator plus hand-picked ones, mixed with good records. The replay must
 * end (no crash, no stall), every bad record must be a dead letter with a reason, naming its file
 * and line, and no good record may be one; the good records give their tasks.
 *
 * <p>Each generated bad record is a good record with one thing broken, so a record that slips
 * through shows which check is missing. {@code -Dcart-recovery.corpus-seed=N} repeats another run.
 */
class HostileCorpusTest {
    private static final int BAD_PER_INPUT = 10_000;
    private static final int GOOD_CARTS = 300;
    private static final int GOOD_PER_FORMAT = 20;
    private static final String STORE = "shop-1";

    @TempDir Path dir;

    private final long seed = Long.getLong("cart-recovery.corpus-seed", 15L);
    private final Random random = new Random(seed);

    /** One file being written: its lines and which of them are bad. */
    private static final class Corpus {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Set<Integer> bad = new TreeSet<>();
        final Set<Integer> good = new TreeSet<>();
        final List<byte[]> text = new ArrayList<>();
        int lines;

        /** Lines as a failure shows them, cut. */
        List<String> show(Set<Integer> numbers) {
            return numbers.stream()
                    .limit(5)
                    .map(n -> n + ": " + new String(text.get(n - 1), StandardCharsets.UTF_8))
                    .map(t -> t.length() > 300 ? t.substring(0, 300) : t)
                    .toList();
        }

        void good(String line) {
            add(line.getBytes(StandardCharsets.UTF_8));
            good.add(lines);
        }

        void bad(byte[] line) {
            add(line);
            bad.add(lines);
        }

        void bad(String line) {
            bad(line.getBytes(StandardCharsets.UTF_8));
        }

        private void add(byte[] line) {
            text.add(line);
            bytes.writeBytes(line);
            bytes.write('\n');
            lines++;
        }

        Path write(Path file) throws Exception {
            Files.write(file, bytes.toByteArray());
            return file;
        }
    }

    // ---- templates: a good record of each kind, with holes the generator fills or breaks ----

    private static final String CANONICAL =
            "{\"event_id\":\"%E%\",\"type\":\"add_to_cart\",\"store_id\":\"%S%\","
                    + "\"event_time\":\"%T%\",\"cart_id\":\"%U%\",\"customer_id\":\"%U%\","
                    + "\"currency\":\"%C%\",\"items\":[{\"product_id\":\"p-1\",\"name\":\"%N%\","
                    + "\"quantity\":%Q%,\"price\":%P%}]}";

    private static final String GA4 =
            "{\"client_id\":\"%U%.1\",\"user_id\":\"%U%\",\"timestamp_micros\":%M%,"
                    + "\"events\":[{\"name\":\"add_to_cart\",\"params\":{\"currency\":\"%C%\","
                    + "\"items\":[{\"item_id\":\"sku-1\",\"item_name\":\"%N%\",\"price\":%P%,"
                    + "\"quantity\":%Q%}]}}]}";

    private static final String GA4_EXPORT =
            "{\"event_date\":\"20261126\",\"event_timestamp\":\"%M%\",\"event_name\":\"add_to_cart\","
                    + "\"event_params\":[{\"key\":\"currency\",\"value\":{\"string_value\":\"%C%\"}}],"
                    + "\"user_id\":\"%U%\",\"user_pseudo_id\":\"%U%.1\",\"items\":[{\"item_id\":"
                    + "\"sku-1\",\"item_name\":\"%N%\",\"price\":%P%,\"quantity\":%Q%}]}";

    private static final String SEGMENT =
            "{\"type\":\"track\",\"event\":\"Product Added\",\"messageId\":\"%E%\","
                    + "\"userId\":\"%U%\",\"timestamp\":\"%T%\",\"properties\":{\"cart_id\":\"%U%\","
                    + "\"product_id\":\"p-1\",\"name\":\"%N%\",\"price\":%P%,\"quantity\":%Q%,"
                    + "\"currency\":\"%C%\"}}";

    private static final String CSV =
            "%D%,cart,1002524,2053013555631882655,electronics.smartphone,apple,%P%,%U%,"
                    + "0b74a829-f9d7-4654-b5b0-35bc9822c238";

    private static final List<String> JSON_FORMATS = List.of(CANONICAL, GA4, GA4_EXPORT, SEGMENT);

    private static final String PROFILE =
            "{\"store_id\":\"shop-1\",\"customer_id\":\"%U%\",\"name\":\"%N%\","
                    + "\"phone\":\"%H%\",\"email\":\"c@example.com\",\"time_zone\":\"%Z%\","
                    + "\"consent\":{\"call\":{\"granted\":%G%},\"whatsapp\":{\"granted\":true},"
                    + "\"sms\":{\"granted\":true},\"email\":{\"granted\":true}},"
                    + "\"order_count\":%Q%,\"lifetime_value\":\"%L%\"}";

    private static final String AGENT =
            "{\"agent_id\":\"%U%\",\"stores\":\"*\",\"time_zone\":\"%Z%\","
                    + "\"shift\":{\"thu\":\"%H%\"},\"max_open_tasks\":%Q%,"
                    + "\"max_tasks_per_day\":500}";

    private static final String OUTCOME =
            "{\"task_id\":\"%I%\",\"store_id\":\"shop-1\",\"cart_id\":\"%U%\",\"attempt\":%Q%,"
                    + "\"channel\":\"call\",\"outcome\":\"%O%\",\"time\":\"%T%\"}";

    private static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("%" + e.getKey() + "%", e.getValue());
        }
        return out;
    }

    private static Instant at(double minutes) {
        return T0.plusMillis((long) (minutes * 60_000));
    }

    private static final DateTimeFormatter CSV_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** The good values of every hole, for a record of user {@code user} at {@code minutes}. */
    private static Map<String, String> good(String user, double minutes, String id) {
        Instant time = at(minutes);
        return new java.util.LinkedHashMap<>(
                Map.ofEntries(
                        Map.entry("E", id),
                        Map.entry("S", STORE),
                        Map.entry("T", time.toString()),
                        Map.entry("M", String.valueOf(time.toEpochMilli() * 1000)),
                        Map.entry("D", CSV_TIME.format(time)),
                        Map.entry("U", user),
                        Map.entry("C", "EUR"),
                        Map.entry("N", "Trail shoe"),
                        Map.entry("Q", "1"),
                        Map.entry("P", "\"900.00\""),
                        Map.entry("H", "+4930123456"),
                        Map.entry("Z", "Europe/Berlin"),
                        Map.entry("G", "true"),
                        Map.entry("L", "1500.00"),
                        Map.entry("O", "reached_interested"),
                        Map.entry("I", ContactTask.taskId(STORE, user, 1))));
    }

    // ---- breaking things ----

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static final List<String> BAD_PRICES =
            List.of(
                    "1e999999999",
                    "1e308",
                    "\"99999999999999999999.9999\"",
                    "1e-30",
                    "\"0.00001\"",
                    "-1",
                    "\"-0.01\"",
                    "\"abc\"",
                    "100000000000000",
                    "\"NaN\"",
                    "\"Infinity\"",
                    "1" + "0".repeat(900));
    private static final List<String> BAD_CSV_PRICES =
            List.of("1e999999999", "1e308", "-1", "abc", "1e-30", "100000000000000", "NaN");
    private static final List<String> BAD_QUANTITIES =
            List.of("2147483647", "-5", "1.5", "\"x\"", "99999999999", "1000001", "[1]");
    private static final List<String> BAD_CURRENCIES = List.of("QQQ", "ABC", "E", "eur1", "ZZZ");
    private static final List<String> BAD_IDS =
            List.of(
                    "shop\\nINFO forged log line",
                    "a\\u0000b",
                    "\\u001b[31mred",
                    "x".repeat(201),
                    "bad \\ud800 surrogate",
                    "tab\\there");

    /** Breaks one hole of a JSON template so the record must be rejected. */
    private String brokenJson(String template, String user, double minutes) {
        Map<String, String> values = good(user, minutes, "e-" + user);
        boolean canonical = template.equals(CANONICAL);
        switch (random.nextInt(canonical ? 6 : 5)) {
            case 0 -> values.put("P", pick(BAD_PRICES));
            case 1 -> values.put("Q", pick(BAD_QUANTITIES));
            case 2 -> values.put("C", pick(BAD_CURRENCIES));
            case 3 -> values.put("U", pick(BAD_IDS));
            case 4 -> values.put("N", "bad \\udc00 name");
            default -> values.put("S", pick(BAD_IDS));
        }
        return fill(template, values);
    }

    private String brokenCsv(String user, double minutes) {
        Map<String, String> values = good(user, minutes, user);
        switch (random.nextInt(3)) {
            case 0 -> values.put("P", pick(BAD_CSV_PRICES));
            case 1 -> values.put("U", user + "\u0007");
            default -> values.put("D", "2026-13-45 99:00:00 UTC");
        }
        return fill(CSV, values);
    }

    /** Damage any record can take: bad bytes, a cut, junk, nesting, size. */
    private byte[] damaged(String good, boolean json) {
        byte[] bytes = good.getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(5)) {
            case 0 -> {
                int at = random.nextInt(bytes.length);
                byte[] bad =
                        pick(
                                List.of(
                                        new byte[] {(byte) 0xC3, 0x28},
                                        new byte[] {(byte) 0xFF},
                                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(bytes, 0, at);
                out.writeBytes(bad);
                out.write(bytes, at, bytes.length - at);
                return out.toByteArray();
            }
            case 1 -> {
                // A cut record (never empty: a blank line is skipped, not a record): for JSON
                // anywhere before the closing brace; for CSV before the last column.
                int end = json ? bytes.length - 1 : good.lastIndexOf(',');
                return Arrays.copyOf(bytes, 1 + random.nextInt(end - 1));
            }
            case 2 -> {
                byte[] junk = new byte[1 + random.nextInt(300)];
                random.nextBytes(junk);
                junk[0] = (byte) 0xFF;
                for (int i = 0; i < junk.length; i++) {
                    if (junk[i] == '\n') {
                        junk[i] = 0;
                    }
                }
                return junk;
            }
            case 3 -> {
                return ("[".repeat(2000 + random.nextInt(5000))).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                // A record far over its limit: at most one in a hundred, so the corpus stays
                // small, else a control character a CSV row or JSON text cannot carry.
                if (random.nextInt(100) == 0) {
                    return (good.substring(0, 10) + "x".repeat(140_000))
                            .getBytes(StandardCharsets.UTF_8);
                }
                // In JSON anywhere (raw control characters are not JSON); in CSV into the user
                // id, as the columns the job does not read may hold anything.
                int at = json ? good.length() / 2 : nthComma(good, 7) + 1;
                return (good.substring(0, at) + "\u0000\u0001" + good.substring(at))
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static int nthComma(String text, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = text.indexOf(',', at + 1);
        }
        return at;
    }

    @Test
    void badRecordsOfEveryInputAreDeadLettersAndTheGoodOnesStillMakeTheirTasks() throws Exception {
        Corpus events = new Corpus();
        Corpus profiles = new Corpus();
        Corpus agents = new Corpus();
        Corpus outcomes = new Corpus();
        Set<String> goodCarts = new TreeSet<>();
        List<String> goodOutcomeCarts = new ArrayList<>();

        // Good: carts of known customers in the canonical format, spread over 30 minutes.
        for (int i = 0; i < GOOD_CARTS; i++) {
            String cart = "good-" + i;
            double minute = i * 30.0 / GOOD_CARTS;
            events.good(fill(CANONICAL, good(cart, minute, "e-" + cart)));
            profiles.good(fill(PROFILE, good(cart, minute, cart)));
            goodCarts.add(cart);
            if (i % 15 == 0) {
                // Answered two minutes after its task (the cart's gap is 10 minutes).
                goodOutcomeCarts.add(cart);
                outcomes.good(fill(OUTCOME, good(cart, minute + 12, cart)));
            }
        }
        // Good: carts in every other format, from users without a profile.
        int goodOther = 0;
        for (String template : List.of(GA4, GA4_EXPORT, SEGMENT, CSV)) {
            for (int i = 0; i < GOOD_PER_FORMAT; i++) {
                String user =
                        template.equals(CSV)
                                ? String.valueOf(7_000_000 + goodOther)
                                : "o-" + goodOther;
                events.good(fill(template, good(user, i, "m-" + user)));
                goodOther++;
            }
        }
        for (int i = 0; i < 3; i++) {
            agents.good(
                    fill(
                            AGENT,
                            good("agent-" + i, 0, "a").entrySet().stream()
                                    .collect(
                                            Collectors.toMap(
                                                    Map.Entry::getKey,
                                                    e ->
                                                            switch (e.getKey()) {
                                                                case "Z" -> "UTC";
                                                                case "H" -> "00:00-24:00";
                                                                case "Q" -> "500";
                                                                default -> e.getValue();
                                                            }))));
        }

        // Bad: hand-picked, then generated; users that no good record names.
        for (String line : handPickedEvents()) {
            events.bad(line);
        }
        for (int i = 0; i < BAD_PER_INPUT; i++) {
            String user = "bad-" + i;
            double minute = random.nextDouble() * 30;
            String template = i % 5 == 4 ? CSV : JSON_FORMATS.get(i % 5);
            boolean json = !template.equals(CSV);
            if (random.nextBoolean()) {
                events.bad(
                        json
                                ? brokenJson(template, user, minute)
                                : brokenCsv(String.valueOf(8_000_000 + i), minute));
            } else {
                events.bad(
                        damaged(
                                fill(
                                        template,
                                        good(
                                                json ? user : String.valueOf(8_000_000 + i),
                                                minute,
                                                "e-" + user)),
                                json));
            }
        }
        // The clock: moves event time past every gap.
        events.good(
                fill(CANONICAL, good("clock", 60, "e-clock")).replace("add_to_cart", "page_view"));

        for (String line : handPickedProfiles()) {
            profiles.bad(line);
        }
        for (int i = 0; i < BAD_PER_INPUT; i++) {
            Map<String, String> values = good("badp-" + i, 0, "x");
            if (random.nextBoolean()) {
                switch (random.nextInt(8)) {
                    case 0 -> values.put("H", pick(List.of("12345", "+1", "phone", "+49 30 123")));
                    case 1 -> values.put("Z", pick(List.of("Mars/Base", "UTC+25", "")));
                    case 2 -> values.put("G", pick(List.of("\"yes\"", "1", "null")));
                    case 3 -> values.put("Q", pick(List.of("-1", "1.5", "\"x\"", "99999999999")));
                    case 4 ->
                            values.put("L", pick(List.of("1e20", "-1", "abc", "1e-30", "0.00001")));
                    case 5 -> values.put("N", "n".repeat(501));
                    case 6 -> values.put("N", "bad \\ud800 name");
                    default -> values.put("U", pick(BAD_IDS));
                }
                String line = fill(PROFILE, values);
                if (values.get("Z").isEmpty()) {
                    line = line.replace("\"time_zone\":\"\"", "\"time_zone\":\"Nowhere/Zone\"");
                }
                profiles.bad(line);
            } else {
                profiles.bad(damaged(fill(PROFILE, values), true));
            }
        }

        for (String line : handPickedAgents()) {
            agents.bad(line);
        }
        for (int i = 0; i < BAD_PER_INPUT; i++) {
            Map<String, String> values = good("bada-" + i, 0, "x");
            values.put("Z", "UTC");
            values.put("H", "09:00-17:00");
            values.put("Q", "5");
            if (random.nextBoolean()) {
                switch (random.nextInt(5)) {
                    case 0 ->
                            values.put(
                                    "H",
                                    pick(
                                            List.of(
                                                    "25:00-26:00",
                                                    "9-5",
                                                    "09:00-09:00",
                                                    String.join(
                                                            ",",
                                                            Collections.nCopies(
                                                                    9, "09:00-09:30")))));
                    case 1 -> values.put("Z", "Nowhere/Zone");
                    case 2 -> values.put("Q", pick(List.of("-1", "1.5", "\"x\"", "99999999999")));
                    case 3 -> values.put("U", pick(BAD_IDS));
                    default ->
                            values.put(
                                    "H",
                                    String.join(",", Collections.nCopies(5000, "09:00-09:01")));
                }
                agents.bad(fill(AGENT, values));
            } else {
                agents.bad(damaged(fill(AGENT, values), true));
            }
        }

        for (String line : handPickedOutcomes()) {
            outcomes.bad(line);
        }
        for (int i = 0; i < BAD_PER_INPUT; i++) {
            Map<String, String> values = good("bado-" + i, 15, "x");
            if (random.nextBoolean()) {
                switch (random.nextInt(5)) {
                    case 0 -> values.put("I", pick(List.of("not-a-uuid", "", "42")));
                    case 1 -> values.put("O", pick(List.of("exploded", "delivered", "")));
                    case 2 -> values.put("Q", pick(List.of("0", "-1", "1.5", "\"x\"")));
                    case 3 -> values.put("U", pick(BAD_IDS));
                    default -> values.put("T", pick(List.of("yesterday", "2026-02-30T10:00:00Z")));
                }
                outcomes.bad(fill(OUTCOME, values));
            } else {
                outcomes.bad(damaged(fill(OUTCOME, values), true));
            }
        }

        Path eventFile = events.write(dir.resolve("events.jsonl"));
        Path profileFile = profiles.write(dir.resolve("profiles.jsonl"));
        Path agentFile = agents.write(dir.resolve("agents.jsonl"));
        Path outcomeFile = outcomes.write(dir.resolve("outcomes.jsonl"));

        CompletableFuture<ReplayRun> replay =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return ReplayRun.ofFiles(
                                        dir,
                                        eventFile,
                                        profileFile,
                                        agentFile,
                                        outcomeFile,
                                        Map.of("ingest.store-id", STORE));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        // No stall: a replay of this size takes seconds; minutes mean it hangs.
        ReplayRun run = replay.get(Duration.ofMinutes(4).toMillis(), TimeUnit.MILLISECONDS);

        assertThat(events.bad.size()).isGreaterThan(BAD_PER_INPUT);
        SoftAssertions softly = new SoftAssertions();
        for (Map.Entry<String, Corpus> input :
                Map.of(
                                "events.jsonl", events,
                                "profiles.jsonl", profiles,
                                "agents.jsonl", agents,
                                "outcomes.jsonl", outcomes)
                        .entrySet()) {
            List<JsonNode> letters =
                    run.deadLetters.stream()
                            .filter(
                                    d ->
                                            d.path("source")
                                                    .path("file")
                                                    .asText()
                                                    .endsWith("/" + input.getKey()))
                            .toList();
            Set<Integer> lines =
                    letters.stream()
                            .map(d -> d.get("source").get("line").asInt())
                            .collect(Collectors.toCollection(TreeSet::new));
            Set<Integer> missed = new TreeSet<>(input.getValue().bad);
            missed.removeAll(lines);
            softly.assertThat(missed)
                    .as(
                            input.getKey()
                                    + ": bad lines with no dead letter (seed "
                                    + seed
                                    + "): "
                                    + input.getValue().show(missed))
                    .isEmpty();
            Set<Integer> goodRejected = new TreeSet<>(lines);
            goodRejected.removeAll(input.getValue().bad);
            softly.assertThat(goodRejected)
                    .as(
                            input.getKey()
                                    + ": good lines dead-lettered: "
                                    + letters.stream()
                                            .filter(
                                                    d ->
                                                            goodRejected.contains(
                                                                    d.get("source")
                                                                            .get("line")
                                                                            .asInt()))
                                            .limit(3)
                                            .map(JsonNode::toString)
                                            .toList())
                    .isEmpty();
            assertThat(letters).allSatisfy(d -> assertThat(d.get("reason").asText()).isNotBlank());
        }
        softly.assertAll();
        assertThat(run.deadLetters)
                .as("every dead letter names the line it came from")
                .allSatisfy(d -> assertThat(d.get("source").has("line")).isTrue());
        for (int i = 0; i < run.deadLetters.size(); i += 97) {
            Schemas.assertValid("dead-letter.schema.json", run.deadLetters.get(i));
        }

        assertThat(run.abandoned).hasSize(GOOD_CARTS + goodOther);
        Set<String> created =
                run.tasksOfType("create").stream()
                        .map(t -> t.get("cart_id").asText())
                        .filter(c -> c.startsWith("good-"))
                        .collect(Collectors.toCollection(TreeSet::new));
        assertThat(created).isEqualTo(goodCarts);
        Function<JsonNode, String> cartOf = e -> e.get("cart_id").asText();
        assertThat(run.eventsOfType("attempted").stream().map(cartOf).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(goodOutcomeCarts);
    }

    /** The records the issue names, and their kin. */
    private static List<String> handPickedEvents() {
        String base = fill(CANONICAL, good("hand", 1, "e-hand"));
        return List.of(
                base.replace("\"900.00\"", "1e999999999"),
                base.replace("\"900.00\"", "1e308"),
                base.replace("\"900.00\"", "\"99999999999999999999.9999\""),
                base.replace("\"900.00\"", "1e-30"),
                base.replace("\"quantity\":1", "\"quantity\":2147483647"),
                base.replace("\"EUR\"", "\"QQQ\""),
                base.replace("\"shop-1\"", "\"shop-1\\n04:00:00,000 INFO  forged\""),
                base.replace("\"Trail shoe\"", "\"" + "n".repeat(100 * 1024) + "\""),
                "null",
                "[]",
                "{}",
                "\"just a string\"",
                "{\"type\":\"add_to_cart\",\"type\":\"purchase\"}",
                "{" + "\"a\":{".repeat(3000) + "}".repeat(3000) + "}");
    }

    private static List<String> handPickedProfiles() {
        String base = fill(PROFILE, good("handp", 0, "x"));
        return List.of(
                base.replace("\"Trail shoe\"", "\"" + "n".repeat(100 * 1024) + "\""),
                base.replace("\"1500.00\"", "\"1e999999999\""),
                base.replace("handp", "handp\\r\\nforged"),
                "not json",
                "{\"store_id\":\"shop-1\"}");
    }

    private static List<String> handPickedAgents() {
        String base =
                fill(AGENT, good("handa", 0, "x"))
                        .replace("Europe/Berlin", "UTC")
                        .replace("+4930123456", "09:00-17:00");
        return List.of(
                base.replace(
                        "09:00-17:00", String.join(",", Collections.nCopies(5000, "09:00-09:01"))),
                base.replace("\"max_open_tasks\":1", "\"max_open_tasks\":-1"),
                "{\"agent_id\":\"x\"}",
                "[]");
    }

    private static List<String> handPickedOutcomes() {
        String base = fill(OUTCOME, good("hando", 15, "x"));
        return List.of(
                base.replace("}", ",\"notes\":\"" + "n".repeat(40_000) + "\"}"),
                base.replace("}", ",\"notes\":\"" + "n".repeat(4001) + "\"}"),
                base,
                "{}");
    }
}
