package io.cartrecovery.assignment;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.ingest.SourcePosition;
import io.cartrecovery.testing.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentJsonTest {
    static final String FULL =
            """
            {"agent_id":"ag-7","stores":["shop-1","shop-2"],"languages":["es","en"],
             "time_zone":"Europe/Madrid",
             "shift":{"mon":"09:00-17:00","tue":"09:00-13:00, 14:00-18:00","sat":"22:00-06:00"},
             "max_open_tasks":3,"max_tasks_per_day":40,"active":true}
            """;

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void demoRosterIsValidAndCoversTheDemoLanguages() throws Exception {
        List<Agent> agents = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("../conf/demo-agents.jsonl"))) {
            Schemas.assertValid("agent.schema.json", ClickEventJson.MAPPER.readTree(line));
            agents.add(AgentJson.parse(line.getBytes(UTF_8)));
        }
        // The simulated stores' customers speak German and English (demo.CustomerBase).
        assertThat(agents).anyMatch(a -> a.speaks("de")).anyMatch(a -> a.speaks("en"));
        assertThat(agents).extracting(Agent::agentId).doesNotHaveDuplicates();
    }

    @Test
    void readsEveryDocumentedField() throws Exception {
        Agent a = AgentJson.parse(FULL.getBytes(UTF_8));

        assertThat(a.agentId()).isEqualTo("ag-7");
        assertThat(a.stores()).containsExactly("shop-1", "shop-2");
        assertThat(a.languages()).containsExactly("es", "en");
        assertThat(a.timeZone()).isEqualTo("Europe/Madrid");
        assertThat(a.shift())
                .containsExactly(
                        new ShiftWindow(DayOfWeek.MONDAY, 9 * 60, 17 * 60),
                        new ShiftWindow(DayOfWeek.TUESDAY, 9 * 60, 13 * 60),
                        new ShiftWindow(DayOfWeek.TUESDAY, 14 * 60, 18 * 60),
                        new ShiftWindow(DayOfWeek.SATURDAY, 22 * 60, 6 * 60));
        assertThat(a.maxOpenTasks()).isEqualTo(3);
        assertThat(a.maxTasksPerDay()).isEqualTo(40);
        assertThat(a.active()).isTrue();
    }

    @Test
    void documentedExampleMatchesTheSchema() throws Exception {
        Schemas.assertValid("agent.schema.json", ClickEventJson.MAPPER.readTree(FULL));
    }

    @Test
    void everyStoreAnyLanguageAndActiveByDefault() throws Exception {
        Agent a =
                AgentJson.parse(
                        ("{\"agent_id\":7,\"stores\":\"*\",\"time_zone\":\"UTC\","
                                        + "\"shift\":{\"thu\":\"00:00-24:00\",\"fri\":null},"
                                        + "\"max_open_tasks\":1,\"max_tasks_per_day\":0}")
                                .getBytes(UTF_8));

        assertThat(a.agentId()).isEqualTo("7");
        assertThat(a.servesStore("any-shop")).isTrue();
        assertThat(a.speaks("de")).isTrue();
        assertThat(a.active()).isTrue();
        // Thursday the whole day, Friday off.
        assertThat(a.onShift(at("2026-11-26T00:00:00Z"))).isTrue();
        assertThat(a.onShift(at("2026-11-26T23:59:59Z"))).isTrue();
        assertThat(a.onShift(at("2026-11-27T00:00:00Z"))).isFalse();
        assertThat(a.onShift(at("2026-11-25T23:59:59Z"))).isFalse();
    }

    @Test
    void shiftHoursAreTheAgentsLocalTimeAndAnOvernightStretchRunsIntoSunday() throws Exception {
        Agent a = AgentJson.parse(FULL.getBytes(UTF_8));

        // Monday 30 November 2026: Madrid is UTC+1.
        assertThat(a.onShift(at("2026-11-30T07:59:59Z"))).isFalse();
        assertThat(a.onShift(at("2026-11-30T08:00:00Z"))).isTrue();
        assertThat(a.onShift(at("2026-11-30T15:59:59Z"))).isTrue();
        assertThat(a.onShift(at("2026-11-30T16:00:00Z"))).isFalse();
        // Tuesday's lunch break.
        assertThat(a.onShift(at("2026-12-01T12:30:00Z"))).isFalse();
        // Saturday 22:00 to Sunday 06:00 local.
        assertThat(a.onShift(at("2026-11-28T20:59:00Z"))).isFalse();
        assertThat(a.onShift(at("2026-11-28T21:00:00Z"))).isTrue();
        assertThat(a.onShift(at("2026-11-29T04:59:00Z"))).isTrue();
        assertThat(a.onShift(at("2026-11-29T05:00:00Z"))).isFalse();
        assertThat(a.nextChange(at("2026-11-28T12:00:00Z"))).isEqualTo(at("2026-11-28T21:00:00Z"));
        // After Saturday's start, the next change is the agent's midnight (a new day's count).
        assertThat(a.nextChange(at("2026-11-28T22:00:00Z"))).isEqualTo(at("2026-11-28T23:00:00Z"));
    }

    @Test
    void languagesMatchOnThePrimarySubtag() throws Exception {
        Agent a = AgentJson.parse(FULL.getBytes(UTF_8));
        assertThat(a.speaks("en-GB")).isTrue();
        assertThat(a.speaks("ES")).isTrue();
        assertThat(a.speaks("pt-BR")).isFalse();
        assertThat(a.speaks(null)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"stores\":[\"s\"],\"time_zone\":\"UTC\",\"shift\":{},\"max_open_tasks\":1,\"max_tasks_per_day\":1}"
                        + "|missing agent_id",
                "{\"agent_id\":\"a\",\"stores\":[],\"time_zone\":\"UTC\",\"shift\":{},\"max_open_tasks\":1,\"max_tasks_per_day\":1}"
                        + "|stores must not be empty",
                "{\"agent_id\":\"a\",\"stores\":\"shop-1\",\"time_zone\":\"UTC\",\"shift\":{},\"max_open_tasks\":1,\"max_tasks_per_day\":1}"
                        + "|stores must be a list of strings",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"languages\":[{}],\"time_zone\":\"UTC\",\"shift\":{},\"max_open_tasks\":1,\"max_tasks_per_day\":1}"
                        + "|languages[0] must be a string",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"time_zone\":\"Mars/Base\",\"shift\":{},\"max_open_tasks\":1,\"max_tasks_per_day\":1}"
                        + "|time_zone is not an IANA zone id",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"time_zone\":\"UTC\",\"max_open_tasks\":1,\"max_tasks_per_day\":1}"
                        + "|missing shift",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"time_zone\":\"UTC\",\"shift\":{\"monday\":\"09:00-17:00\"},\"max_open_tasks\":1,\"max_tasks_per_day\":1}"
                        + "|shift.monday is not a weekday (mon..sun)",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"time_zone\":\"UTC\",\"shift\":{\"mon\":\"9-17\"},\"max_open_tasks\":1,\"max_tasks_per_day\":1}"
                        + "|shift.mon must be HH:MM-HH:MM[,HH:MM-HH:MM...]",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"time_zone\":\"UTC\",\"shift\":{\"mon\":\"09:00-09:00\"},\"max_open_tasks\":1,\"max_tasks_per_day\":1}"
                        + "|shift.mon starts and ends at the same time (use 00:00-24:00 for a whole day)",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"time_zone\":\"UTC\",\"shift\":{},\"max_tasks_per_day\":1}"
                        + "|missing max_open_tasks",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"time_zone\":\"UTC\",\"shift\":{},\"max_open_tasks\":-1,\"max_tasks_per_day\":1}"
                        + "|max_open_tasks must be a whole number, not negative",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"time_zone\":\"UTC\",\"shift\":{},\"max_open_tasks\":1,\"max_tasks_per_day\":2.5}"
                        + "|max_tasks_per_day must be a whole number, not negative",
                "{\"agent_id\":\"a\",\"stores\":[\"s\"],\"time_zone\":\"UTC\",\"shift\":{},\"max_open_tasks\":1,\"max_tasks_per_day\":1,\"active\":\"yes\"}"
                        + "|active must be true or false",
                "[1,2]|not a JSON object",
                "{nope|not valid JSON"
            })
    void badRecordsGetAOneLineReasonNamingTheField(String json, String reason) {
        assertThatThrownBy(() -> AgentJson.parse(json.getBytes(UTF_8)))
                .isInstanceOf(InvalidAgentException.class)
                .hasMessage(reason);
    }

    @Test
    void aBadRecordBecomesADeadLetterWithItsPositionAndATombstoneCarriesOnlyItsPosition() {
        byte[] payload = "{\"agent_id\":\"a\"}".getBytes(UTF_8);
        ParsedAgent parsed =
                AgentIngestion.parse(payload, SourcePosition.kafka("agents", 0, 3), 1L);

        assertThat(parsed.agent()).isNull();
        assertThat(parsed.deadLetter().reason()).isEqualTo("missing stores");
        assertThat(parsed.deadLetter().payload()).isEqualTo(payload);
        assertThat(parsed.deadLetter().position().toString()).isEqualTo("agents-0@3");
        assertThat(AgentIngestion.parse(null, SourcePosition.kafka("agents", 0, 4), 1L))
                .isEqualTo(new ParsedAgent(null, null, SourcePosition.kafka("agents", 0, 4)));
    }
}
