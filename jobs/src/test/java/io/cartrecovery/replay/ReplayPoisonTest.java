package io.cartrecovery.replay;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison records in every file a replay reads: each is a dead letter with a reason and its exact
 * bytes (or, when oversized, a bounded prefix), the replay runs to the end, and the good records
 * around them still make their tasks (their customer has a profile with consent: only contactable
 * carts get tasks).
 */
class ReplayPoisonTest {
    @TempDir Path dir;

    private static final String PROFILE =
            "{\"store_id\":\"shop-1\",\"customer_id\":\"cust-1\",\"phone\":\"+4930123456\","
                    + "\"email\":\"c1@example.com\",\"consent\":{\"call\":{\"granted\":true},"
                    + "\"whatsapp\":{\"granted\":true},\"sms\":{\"granted\":true},"
                    + "\"email\":{\"granted\":true}}}";

    private static final String AGENT =
            "{\"agent_id\":\"ana\",\"stores\":\"*\",\"time_zone\":\"UTC\","
                    + "\"shift\":{\"thu\":\"00:00-24:00\"},\"max_open_tasks\":5,"
                    + "\"max_tasks_per_day\":50}";

    /** A line with a lead byte that has no continuation, inside a string. */
    private static final byte[] BAD_UTF8 =
            concat(
                    "{\"store_id\":\"shop-1\",\"customer_id\":\"x".getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) 0xC3, (byte) 0x28},
                    "\"}".getBytes(StandardCharsets.UTF_8));

    private static final byte[] JUNK = {(byte) 0xFF, 0, 1, 2, (byte) 0xFE, 'x', (byte) 0x80};

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] line(byte[] bytes) {
        return concat(bytes, new byte[] {'\n'});
    }

    private Path file(String name, byte[]... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, concat(lines));
        return file;
    }

    private static String goodCart() {
        return add("p1", 1, "900.00").cart("good").atMinute(0).json();
    }

    private static void assertOnlyTheGoodCartsTask(ReplayRun run) {
        assertThat(run.tasks)
                .singleElement()
                .satisfies(t -> assertThat(t.get("cart_id").asText()).isEqualTo("good"));
        run.deadLetters.forEach(d -> Schemas.assertValid("dead-letter.schema.json", d));
    }

    private static JsonNode atLine(ReplayRun run, int line) {
        return run.deadLetters.stream()
                .filter(d -> d.get("source").get("line").asInt() == line)
                .findFirst()
                .orElseThrow();
    }

    private static byte[] payloadBytes(JsonNode letter) {
        return Base64.getDecoder().decode(letter.get("payload_base64").asText());
    }

    @Test
    void aPriceOf1e999999999IsADeadLetterAndTheReplayGoesOn() throws Exception {
        String poison =
                "{\"event_id\":\"x\",\"type\":\"add_to_cart\",\"store_id\":\"shop-1\","
                        + "\"event_time\":\"2026-11-26T10:00:30Z\",\"cart_id\":\"bad\","
                        + "\"currency\":\"EUR\",\"items\":[{\"product_id\":\"p\","
                        + "\"price\":1e999999999}]}";
        ReplayRun run =
                ReplayRun.withProfiles(
                        dir, List.of(goodCart(), poison, clockAt(20)), List.of(PROFILE), Map.of());

        assertOnlyTheGoodCartsTask(run);
        assertThat(run.deadLetters)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.get("reason").asText())
                                    .startsWith("items[0].price out of range (1E+999999999)");
                            assertThat(d.get("payload").asText()).isEqualTo(poison);
                        });
    }

    @Test
    void aCartWhoseTotalWouldLeaveTheMoneyRangeDeadLettersTheEventThatWouldTakeItThere()
            throws Exception {
        ReplayRun run =
                ReplayRun.withProfiles(
                        dir,
                        List.of(
                                add("p1", 1, "60000000000000").cart("good").atMinute(0).json(),
                                add("p2", 1, "60000000000000").cart("good").atMinute(1).json(),
                                clockAt(20)),
                        List.of(PROFILE),
                        Map.of());

        assertOnlyTheGoodCartsTask(run);
        assertThat(run.abandoned)
                .singleElement()
                .satisfies(
                        a ->
                                assertThat(a.get("cart_value").decimalValue())
                                        .isEqualByComparingTo("60000000000000"));
        assertThat(run.deadLetters)
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(d.get("reason").asText())
                                        .isEqualTo(
                                                "cart total out of range (120000000000000):"
                                                        + " money must be below 100000000000000"));
    }

    @Test
    void invalidUtf8AndBinaryJunkAreDeadLettersWithTheirExactBytes() throws Exception {
        Path input =
                file(
                        "events.jsonl",
                        line(goodCart()),
                        line(BAD_UTF8),
                        line(JUNK),
                        line(clockAt(20)));

        Path profiles = file("profiles.jsonl", line(PROFILE));
        ReplayRun run = ReplayRun.ofFiles(dir, input, profiles, null, null, Map.of());

        assertOnlyTheGoodCartsTask(run);
        assertThat(run.deadLetters).hasSize(2);
        JsonNode utf8 = atLine(run, 2);
        assertThat(utf8.get("reason").asText()).isEqualTo("invalid UTF-8 at byte 37");
        assertThat(payloadBytes(utf8)).isEqualTo(BAD_UTF8);
        JsonNode junk = atLine(run, 3);
        assertThat(junk.get("reason").asText()).isEqualTo("invalid UTF-8 at byte 0");
        assertThat(payloadBytes(junk)).isEqualTo(JUNK);
    }

    @Test
    void aTenMegabyteLineIsADeadLetterWithABoundedPrefix() throws Exception {
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'a');
        huge[0] = '{';
        Path input = file("events.jsonl", line(goodCart()), line(huge), line(clockAt(20)));

        Path profiles = file("profiles.jsonl", line(PROFILE));
        ReplayRun run = ReplayRun.ofFiles(dir, input, profiles, null, null, Map.of());

        assertOnlyTheGoodCartsTask(run);
        assertThat(run.deadLetters)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.get("reason").asText())
                                    .isEqualTo("oversized payload: 10485760 bytes, limit 65536");
                            assertThat(d.get("source").get("line").asInt()).isEqualTo(2);
                            assertThat(d.get("payload").asText())
                                    .hasSize(DeadLetter.MAX_PREFIX_BYTES)
                                    .startsWith("{aaa");
                            assertThat(d.get("payload_truncated").asBoolean()).isTrue();
                            assertThat(d.get("payload_bytes").asLong()).isEqualTo(huge.length);
                        });
    }

    @Test
    void badBytesInProfilesAgentsAndOutcomesAreDeadLettersNamingFileAndLine() throws Exception {
        Path input = file("events.jsonl", line(goodCart()), line(clockAt(20)));
        Path profiles = file("profiles.jsonl", line(PROFILE), line(BAD_UTF8));
        Path agents = file("agents.jsonl", line(JUNK), line(AGENT));
        Path outcomes = file("outcomes.jsonl", line(BAD_UTF8));

        ReplayRun run = ReplayRun.ofFiles(dir, input, profiles, agents, outcomes, Map.of());

        assertOnlyTheGoodCartsTask(run);
        assertThat(run.tasks.get(0).get("assigned_agent").asText())
                .as("the good agent after the bad line is on the roster")
                .isEqualTo("ana");
        assertThat(run.deadLetters)
                .extracting(
                        d ->
                                Path.of(d.get("source").get("file").asText()).getFileName()
                                        + ":"
                                        + d.get("source").get("line").asInt()
                                        + " "
                                        + d.get("reason").asText())
                .containsExactlyInAnyOrder(
                        "profiles.jsonl:2 invalid UTF-8 at byte 37",
                        "agents.jsonl:1 invalid UTF-8 at byte 0",
                        "outcomes.jsonl:1 invalid UTF-8 at byte 37");
        assertThat(run.deadLetters).allSatisfy(d -> assertThat(d.has("payload_base64")).isTrue());
    }

    @Test
    void oversizedProfilesAgentsAndOutcomesAreDeadLettersWithAPrefix() throws Exception {
        Path input = file("events.jsonl", line(goodCart()), line(clockAt(20)));
        String bigName =
                PROFILE.replace(
                        "\"cust-1\"", "\"cust-2\",\"name\":\"" + "n".repeat(100 * 1024) + "\"");
        Path profiles = file("profiles.jsonl", line(PROFILE), line(bigName));
        StringBuilder stretches = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            stretches.append(i == 0 ? "" : ",").append("09:00-09:01");
        }
        String manyStretches =
                AGENT.replace("\"ana\"", "\"bob\"").replace("00:00-24:00", stretches.toString());
        Path agents = file("agents.jsonl", line(AGENT), line(manyStretches));
        String longNotes =
                "{\"task_id\":\"2cd5c753-f931-3999-b073-8f56315ed29d\",\"notes\":\""
                        + "n".repeat(40_000)
                        + "\"}";
        Path outcomes = file("outcomes.jsonl", line(longNotes));

        ReplayRun run = ReplayRun.ofFiles(dir, input, profiles, agents, outcomes, Map.of());

        assertOnlyTheGoodCartsTask(run);
        assertThat(run.deadLetters)
                .extracting(
                        d ->
                                Path.of(d.get("source").get("file").asText()).getFileName()
                                        + ":"
                                        + d.get("source").get("line").asInt()
                                        + " "
                                        + d.get("reason").asText())
                .containsExactlyInAnyOrder(
                        "profiles.jsonl:2 oversized payload: "
                                + (bigName.length() + 0)
                                + " bytes, limit 16384",
                        "agents.jsonl:2 oversized payload: "
                                + manyStretches.length()
                                + " bytes, limit 16384",
                        "outcomes.jsonl:1 oversized payload: "
                                + longNotes.length()
                                + " bytes, limit 32768");
        assertThat(run.deadLetters)
                .allSatisfy(
                        d -> {
                            assertThat(d.get("payload").asText())
                                    .hasSize(DeadLetter.MAX_PREFIX_BYTES);
                            assertThat(d.get("payload_truncated").asBoolean()).isTrue();
                        });
    }
}
