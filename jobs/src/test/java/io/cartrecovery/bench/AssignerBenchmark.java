package io.cartrecovery.bench;

import io.cartrecovery.assignment.Agent;
import io.cartrecovery.assignment.AgentRelease;
import io.cartrecovery.assignment.Assigner;
import io.cartrecovery.assignment.AssignmentInput;
import io.cartrecovery.assignment.AssignmentSettings;
import io.cartrecovery.assignment.ShiftWindow;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.Stage;
import io.cartrecovery.keys.ContactCentreKey;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.Tier;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Calls per second through the assignment operator ({@link Assigner}) alone, on its one key, in an
 * operator harness (no network, no serialization between operators): the ceiling of what one key
 * carries. Each scenario feeds seeded calls in event-time order with their releases (the call's
 * outcome a few minutes later) and a watermark per call, as the job does; it reports the median of
 * several runs and the ratios between scenarios, never a pass/fail on speed (docs/assignment.md,
 * "Scale"). Tag {@code benchmark}: excluded from normal builds.
 *
 * <pre>
 * mvn -B -pl jobs -am test -Dtest=AssignerBenchmark -Dtest.excludedGroups= -Dgroups=benchmark \
 *   -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.calls=5000] [-Dbench.runs=3]
 * </pre>
 *
 * Writes {@code jobs/target/benchmark/assigner.md}.
 */
@Tag("benchmark")
class AssignerBenchmark {
    private static final long MINUTE = 60_000L;
    private static final long T0 = Instant.parse("2026-11-26T00:00:00Z").toEpochMilli();
    private static final int CALLS = Integer.getInteger("bench.calls", 5_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);

    /**
     * @param agents agents on the roster, every store, around the clock
     * @param callsPerMinute event-time arrival rate of calls
     * @param releaseAfterMinutes when each call's outcome frees its agent; 0: never (understaffed,
     *     the queue grows)
     * @param rocksDb RocksDB state as in production, else heap state
     */
    record Scenario(
            String name,
            int agents,
            double callsPerMinute,
            int releaseAfterMinutes,
            boolean rocksDb) {}

    private static final List<Scenario> SCENARIOS =
            List.of(
                    new Scenario("staffed, heap", 200, 20, 8, false),
                    new Scenario("staffed, RocksDB", 200, 20, 8, true),
                    new Scenario("1,000 agents, RocksDB", 1000, 100, 8, true),
                    new Scenario("understaffed: queue grows, RocksDB", 20, 20, 8, true));

    @Test
    void callsPerSecondOnOneKey() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("# Assigner: calls/s on one key");
        lines.add("");
        lines.add(
                "`AssignerBenchmark`, "
                        + CALLS
                        + " calls per run, median of "
                        + RUNS
                        + " runs (interleaved), "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores.");
        lines.add("");
        lines.add(
                "| scenario | agents | calls/min (event time) | calls/s (median) | runs | vs first |");
        lines.add("|---|---|---|---|---|---|");
        double[][] rates = new double[SCENARIOS.size()][RUNS];
        run(SCENARIOS.get(0), Math.min(CALLS, 2_000)); // warm-up, not counted
        for (int r = 0; r < RUNS; r++) {
            for (int s = 0; s < SCENARIOS.size(); s++) {
                rates[s][r] = run(SCENARIOS.get(s), CALLS);
                System.out.printf(
                        Locale.ROOT,
                        "run %d, %s: %.0f calls/s%n",
                        r + 1,
                        SCENARIOS.get(s).name(),
                        rates[s][r]);
            }
        }
        double first = median(rates[0]);
        for (int s = 0; s < SCENARIOS.size(); s++) {
            Scenario scenario = SCENARIOS.get(s);
            double median = median(rates[s]);
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %.0f | %.0f | %s | %.2f |",
                            scenario.name(),
                            scenario.agents(),
                            scenario.callsPerMinute(),
                            median,
                            Arrays.toString(
                                    Arrays.stream(rates[s]).mapToLong(Math::round).toArray()),
                            median / first));
        }
        write(lines);
        lines.forEach(System.out::println);
    }

    /** Calls per second of wall-clock time for {@code calls} calls and their releases. */
    private static double run(Scenario scenario, int calls) throws Exception {
        List<Agent> roster = new ArrayList<>();
        List<ShiftWindow> always = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            always.add(new ShiftWindow(day, 0, 24 * 60));
        }
        for (int i = 0; i < scenario.agents(); i++) {
            roster.add(
                    new Agent(
                            String.format(Locale.ROOT, "agent-%04d", i),
                            List.of(Agent.ALL_STORES),
                            List.of(),
                            "UTC",
                            always,
                            5,
                            1_000_000,
                            true));
        }
        Assigner assigner =
                new Assigner(
                        new AssignmentSettings(Duration.ofMinutes(10), 20, Duration.ofHours(24)),
                        roster);
        KeyedOneInputStreamOperatorTestHarness<ContactCentreKey, AssignmentInput, ContactTask>
                harness =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                new KeyedProcessOperator<>(assigner),
                                AssignmentInput::contactCentre,
                                KeyTypes.CONTACT_CENTRE);
        try {
            if (scenario.rocksDb()) {
                harness.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
            harness.open();
            SplittableRandom random = new SplittableRandom(42);
            long spacing = (long) (MINUTE / scenario.callsPerMinute());
            List<AgentRelease> releases = new ArrayList<>();
            int nextRelease = 0;
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long detectedAt = T0 + i * spacing;
                while (nextRelease < releases.size()
                        && releases.get(nextRelease).time() <= detectedAt) {
                    AgentRelease release = releases.get(nextRelease++);
                    harness.processElement(
                            new StreamRecord<>(AssignmentInput.of(release), release.time()));
                }
                ContactTask call = call(i, detectedAt, random);
                harness.processElement(new StreamRecord<>(AssignmentInput.of(call), detectedAt));
                if (scenario.releaseAfterMinutes() > 0) {
                    releases.add(
                            new AgentRelease(
                                    call.taskId(),
                                    detectedAt + scenario.releaseAfterMinutes() * MINUTE,
                                    "no_answer"));
                }
                harness.processWatermark(detectedAt);
                if (i % 1_000 == 0) {
                    harness.getOutput().clear();
                }
            }
            long nanos = System.nanoTime() - start;
            return calls / (nanos / 1e9);
        } finally {
            harness.close();
        }
    }

    private static ContactTask call(int i, long detectedAt, SplittableRandom random) {
        long lastActivity = detectedAt - 10 * MINUTE;
        String store = "shop-" + random.nextInt(60);
        String cartId = "cart-" + i;
        AbandonedCart cart =
                new AbandonedCart(
                        cartId,
                        store,
                        "cust-" + i,
                        null,
                        List.of(new CartLine("p1", "Product", 1, new BigDecimal("120.00"))),
                        new BigDecimal("120.00"),
                        "EUR",
                        Stage.PAYMENT,
                        ReasonHint.PAYMENT_PROBLEM,
                        null,
                        lastActivity - 5 * MINUTE,
                        lastActivity,
                        10 * MINUTE,
                        detectedAt,
                        "contact");
        Priority priority =
                new Priority(
                        random.nextInt(100),
                        List.of(),
                        new BigDecimal("0.3000"),
                        new BigDecimal("36.00"),
                        Tier.HIGH);
        return new ContactTask(
                ContactTask.taskId(store, cartId, 1),
                TaskType.CREATE,
                1,
                lastActivity + 30 * MINUTE,
                cart,
                null,
                new Enrichment(null, "UTC", priority),
                Channel.CALL,
                null,
                null,
                null,
                detectedAt);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void write(List<String> lines) throws IOException {
        Path dir = Path.of("target", "benchmark");
        Files.createDirectories(dir);
        Files.write(dir.resolve("assigner.md"), lines);
    }
}
