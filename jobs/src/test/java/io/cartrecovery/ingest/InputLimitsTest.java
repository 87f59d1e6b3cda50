package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.assignment.AgentIngestion;
import io.cartrecovery.outcomes.OutcomeIngestion;
import io.cartrecovery.profiles.ProfileIngestion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Absurd profiles, agents and outcomes are dead letters naming the limit (docs/limits.md). */
class InputLimitsTest {
    private static final SourcePosition AT = SourcePosition.fileLine("side.jsonl", 3);

    private static final String PROFILE =
            "{\"store_id\":\"shop-1\",\"customer_id\":\"u-1\",\"phone\":\"+4930123456\"}";

    private static final String AGENT =
            "{\"agent_id\":\"ana\",\"stores\":\"*\",\"time_zone\":\"UTC\","
                    + "\"shift\":{\"mon\":\"09:00-17:00\"},\"max_open_tasks\":5,"
                    + "\"max_tasks_per_day\":50}";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String profileReason(String json) {
        DeadLetter letter = ProfileIngestion.parse(bytes(json), AT, 1L).deadLetter();
        assertThat(letter).as(json).isNotNull();
        return letter.reason();
    }

    private static String agentReason(String json) {
        DeadLetter letter = AgentIngestion.parse(bytes(json), AT, 1L).deadLetter();
        assertThat(letter).as(json).isNotNull();
        return letter.reason();
    }

    @Test
    void goodRecordsPass() {
        assertThat(ProfileIngestion.parse(bytes(PROFILE), AT, 1L).profile()).isNotNull();
        assertThat(AgentIngestion.parse(bytes(AGENT), AT, 1L).agent()).isNotNull();
    }

    @Test
    void aHundredKilobyteProfileNameIsOversized() {
        String big = PROFILE.replace("}", ",\"name\":\"" + "n".repeat(100 * 1024) + "\"}");
        assertThat(profileReason(big))
                .isEqualTo("oversized payload: " + big.length() + " bytes, limit 16384");
        DeadLetter letter = ProfileIngestion.parse(bytes(big), AT, 1L).deadLetter();
        assertThat(letter.truncated()).isTrue();
        assertThat(letter.payload()).hasSize(DeadLetter.MAX_PREFIX_BYTES);
    }

    @Test
    void aProfileNameWithinTheRecordLimitIsStillBounded() {
        assertThat(profileReason(PROFILE.replace("}", ",\"name\":\"" + "n".repeat(600) + "\"}")))
                .isEqualTo("name longer than 500 characters");
    }

    @Test
    void aProfileIdWithANewlineIsRejected() {
        assertThat(profileReason(PROFILE.replace("u-1", "u-1\\nINFO forged")))
                .isEqualTo("customer_id contains a control character");
    }

    @Test
    void anAbsurdLifetimeValueIsRejectedWithoutEchoingIt() {
        assertThat(profileReason(PROFILE.replace("}", ",\"lifetime_value\":\"1e20\"}")))
                .isEqualTo(
                        "lifetime_value out of range: money is below 100000000000000 with at"
                                + " most 4 decimals");
    }

    @Test
    void anAgentWithFiveThousandShiftStretchesIsOversized() {
        String stretches = String.join(",", java.util.Collections.nCopies(5000, "09:00-09:01"));
        String agent = AGENT.replace("09:00-17:00", stretches);
        assertThat(agentReason(agent))
                .isEqualTo("oversized payload: " + agent.length() + " bytes, limit 16384");
    }

    @Test
    void anAgentDayWithMoreStretchesThanTheLimitIsRejected() {
        String stretches = String.join(",", java.util.Collections.nCopies(9, "09:00-09:01"));
        assertThat(agentReason(AGENT.replace("09:00-17:00", stretches)))
                .isEqualTo("shift.mon has 9 stretches, above the limit of 8");
    }

    @Test
    void anOverlongAgentIdIsRejected() {
        assertThat(agentReason(AGENT.replace("ana", "a".repeat(201))))
                .isEqualTo("agent_id longer than 200 characters");
    }

    @Test
    void anOversizedOutcomeIsADeadLetterWithAPrefix() {
        String outcome = "{\"task_id\":\"x\",\"notes\":\"" + "n".repeat(40_000) + "\"}";
        DeadLetter letter = OutcomeIngestion.parse(bytes(outcome), AT, 1L).deadLetter();
        assertThat(letter.reason())
                .isEqualTo("oversized payload: " + outcome.length() + " bytes, limit 32768");
        assertThat(letter.truncated()).isTrue();
    }

    @Test
    void anOutcomeWithAControlCharacterInAnIdIsRejected() {
        String outcome =
                "{\"task_id\":\"2cd5c753-f931-3999-b073-8f56315ed29d\",\"store_id\":\"s\\r1\"}";
        assertThat(OutcomeIngestion.parse(bytes(outcome), AT, 1L).deadLetter().reason())
                .isEqualTo("store_id contains a control character");
    }
}
