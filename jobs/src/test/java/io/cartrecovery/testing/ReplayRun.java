package io.cartrecovery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.clickhouse.ClickHouseFacts;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.FollowUpOptions;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.EventType;
import io.cartrecovery.replay.ReplayJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the replay job on lines of events in the test MiniCluster and reads back its results; with
 * {@code clickhouse.*} settings it writes the facts into ClickHouse too, as the command does.
 * Unless a test sets {@code followup.holdout-share}, nothing is held out, so scenarios see every
 * task they expect.
 */
public final class ReplayRun {
    public final List<JsonNode> tasks;
    public final List<JsonNode> abandoned;
    public final List<JsonNode> deadLetters;
    public final List<JsonNode> alerts;
    public final List<JsonNode> taskEvents;

    private ReplayRun(Path out) throws IOException {
        tasks = read(out.resolve(ReplayJob.TASKS));
        abandoned = read(out.resolve(ReplayJob.ABANDONED));
        deadLetters = read(out.resolve(ReplayJob.DEAD_LETTERS));
        alerts = read(out.resolve(ReplayJob.ALERTS));
        taskEvents = read(out.resolve(ReplayJob.TASK_EVENTS));
    }

    /** An event of an unrelated visitor that moves event time forward. */
    public static String clockAt(double minute) {
        return Events.event(EventType.PAGE_VIEW).visitor("clock").atMinute(minute).json();
    }

    public static ReplayRun of(Path dir, List<String> lines) throws Exception {
        return of(dir, lines, Map.of());
    }

    public static ReplayRun of(Path dir, List<String> lines, Map<String, String> settings)
            throws Exception {
        Path input = Files.createTempFile(dir, "events", ".jsonl");
        Files.write(input, lines);
        return of(dir, input, settings);
    }

    /**
     * Replays an existing file (e.g. a real sample), read in place; results go under {@code dir}.
     */
    public static ReplayRun of(Path dir, Path input, Map<String, String> settings)
            throws Exception {
        return ofFiles(dir, input, null, null, null, settings);
    }

    /** A replay with a file of customer profiles, as {@code replay --profiles FILE}. */
    public static ReplayRun withProfiles(
            Path dir, List<String> lines, List<String> profiles, Map<String, String> settings)
            throws Exception {
        Path input = Files.createTempFile(dir, "events", ".jsonl");
        Files.write(input, lines);
        Path profileFile = Files.createTempFile(dir, "profiles", ".jsonl");
        Files.write(profileFile, profiles);
        return ofFiles(dir, input, profileFile, null, null, settings);
    }

    /** A replay with profiles and an agents roster, as {@code replay --profiles F --agents F}. */
    public static ReplayRun withAgents(
            Path dir,
            List<String> lines,
            List<String> profiles,
            List<String> agents,
            Map<String, String> settings)
            throws Exception {
        Path input = Files.createTempFile(dir, "events", ".jsonl");
        Files.write(input, lines);
        Path profileFile = Files.createTempFile(dir, "profiles", ".jsonl");
        Files.write(profileFile, profiles);
        Path agentFile = Files.createTempFile(dir, "agents", ".jsonl");
        Files.write(agentFile, agents);
        return ofFiles(dir, input, profileFile, agentFile, null, settings);
    }

    /** A replay with profiles and contact outcomes, as {@code replay --profiles --outcomes}. */
    public static ReplayRun withOutcomes(
            Path dir,
            List<String> lines,
            List<String> profiles,
            List<String> outcomes,
            Map<String, String> settings)
            throws Exception {
        Path input = Files.createTempFile(dir, "events", ".jsonl");
        Files.write(input, lines);
        Path profileFile = Files.createTempFile(dir, "profiles", ".jsonl");
        Files.write(profileFile, profiles);
        Path outcomeFile = Files.createTempFile(dir, "outcomes", ".jsonl");
        Files.write(outcomeFile, outcomes);
        return ofFiles(dir, input, profileFile, null, outcomeFile, settings);
    }

    /**
     * A replay of files as they are (any bytes), as {@code replay} with those options; null: none.
     */
    public static ReplayRun ofFiles(
            Path dir,
            Path input,
            Path profiles,
            Path agents,
            Path outcomes,
            Map<String, String> settings)
            throws Exception {
        return ofFiles(dir, input, profiles, agents, outcomes, settings, 2);
    }

    /** As {@link #ofFiles(Path, Path, Path, Path, Path, Map)}, at the given parallelism. */
    public static ReplayRun ofFiles(
            Path dir,
            Path input,
            Path profiles,
            Path agents,
            Path outcomes,
            Map<String, String> settings,
            int parallelism)
            throws Exception {
        Path out = Files.createTempDirectory(dir, "out");
        Map<String, String> withDefaults = new HashMap<>(settings);
        withDefaults.putIfAbsent(FollowUpOptions.HOLDOUT_SHARE.key(), "0");
        Configuration config = Configs.load(null, withDefaults);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        ReplayJob.run(
                env,
                input,
                profiles,
                agents,
                outcomes,
                out,
                JobSettings.from(config),
                ClickHouseSettings.from(config).map(ClickHouseFacts::sinks).orElse(null));
        return new ReplayRun(out);
    }

    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            nodes.add(ClickEventJson.MAPPER.readTree(line));
        }
        return nodes;
    }

    public List<JsonNode> tasksOfType(String type) {
        return tasks.stream().filter(t -> t.get("type").asText().equals(type)).toList();
    }

    public List<JsonNode> eventsOfType(String type) {
        return taskEvents.stream().filter(e -> e.get("type").asText().equals(type)).toList();
    }
}
