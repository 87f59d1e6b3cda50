package io.cartrecovery.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/cart-recovery bench}: see docs/bench.md. */
@Command(
        name = "cart-recovery bench",
        mixinStandardHelpOptions = true,
        description = {
            "Throughput of the pipeline on a seeded clickstream of the real mix, next to the keyed"
                    + " ceiling (the least a keyed Flink job can do), the limit (a plain Kafka"
                    + " consumer) and a Kafka Streams peer, run interleaved (A B C A B C ...).",
            "Writes OUT/bench.json and OUT/bench.md and prints the table. See docs/bench.md."
        })
public final class BenchCommand implements Callable<Integer> {
    /** Every measurement, in the order they run within a round. */
    static final List<String> ALL =
            List.of(
                    "ceiling",
                    "replay",
                    "ceiling-rocksdb",
                    "limit",
                    "alo",
                    "eo",
                    "peer",
                    "alo-latency",
                    "eo-latency",
                    OpenCarts.NAME);

    /** Run unless {@code --only} says otherwise: all but the minutes-long million carts. */
    static final List<String> DEFAULT =
            ALL.stream().filter(name -> !name.equals(OpenCarts.NAME)).toList();

    @Spec CommandSpec spec;

    @Option(
            names = "--events",
            paramLabel = "N",
            description = "Events to generate (default: ${DEFAULT-VALUE}).")
    long events = 2_000_000;

    @Option(
            names = "--seed",
            paramLabel = "SEED",
            description = "Seed of the generator (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(
            names = "--runs",
            paramLabel = "N",
            description =
                    "Measured runs of each measurement; the table shows the median"
                            + " (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Folder for the input, the results and bench.json / bench.md"
                            + " (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results");

    @Option(
            names = "--only",
            paramLabel = "NAME[,NAME...]",
            split = ",",
            description =
                    "Measurements to run, of ${DEFAULT-VALUE} and "
                            + OpenCarts.NAME
                            + " (not run unless named).")
    List<String> only = new ArrayList<>(DEFAULT);

    @Option(
            names = "--carts",
            paramLabel = "N",
            description = "Open carts of " + OpenCarts.NAME + " (default: ${DEFAULT-VALUE}).")
    long carts = 1_000_000;

    @Option(
            names = "--tm-process-size",
            paramLabel = "SIZE",
            description =
                    "taskmanager.memory.process.size whose managed and network memory "
                            + OpenCarts.NAME
                            + " runs with (default: ${DEFAULT-VALUE}).")
    String tmProcessSize = "2g";

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "Parallelism of the Flink jobs (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            description = "Checkpoint interval of the Flink jobs (default: ${DEFAULT-VALUE}).")
    String checkpointInterval = "2s";

    @Option(
            names = "--live-rate",
            paramLabel = "EVENTS_PER_SECOND",
            description =
                    "Rate of the live latency runs (default: half the median of the alo runs so"
                            + " far, or of replay when alo is not run).")
    double liveRate;

    @Option(
            names = "--live-seconds",
            paramLabel = "N",
            description = "How long the live latency runs send events (default: ${DEFAULT-VALUE}).")
    int liveSeconds = 60;

    @Option(
            names = "--no-clickhouse",
            description =
                    "Run alo and eo without ClickHouse even when clickhouse-server is installed.")
    boolean noClickHouse;

    @Option(
            names = {"-D", "--set"},
            paramLabel = "KEY=VALUE",
            description = "A job setting, as for `cart-recovery run`, e.g. -D detection.gap=15min.")
    Map<String, String> settings = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (String name : only) {
            if (!ALL.contains(name)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--only: unknown measurement '" + name + "'");
            }
        }
        if (runs < 1 || events < 1_000) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--runs must be at least 1 and --events at least 1000");
        }
        Duration interval = TimeUtils.parseDuration(checkpointInterval);
        PrintWriter stdout = spec.commandLine().getOut();
        Files.createDirectories(out);
        Path input = out.resolve("clickstream.jsonl");
        long start = System.nanoTime();
        ClickstreamMix.Mix mix = ClickstreamMix.write(input, events, seed);
        stdout.printf(
                "generated %d events (%d carts, %.1f%% bought, %d duplicates, %.0f B/event) in"
                        + " %.1f s: %s%n",
                mix.events(),
                mix.carts(),
                100 * mix.boughtShare(),
                mix.duplicates(),
                mix.bytesPerEvent(),
                (System.nanoTime() - start) / 1e9,
                input);
        stdout.flush();

        try (BenchContext context =
                new BenchContext(out, input, mix, settings, interval, parallelism, !noClickHouse)) {
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            List<Measurement> measurements = measurements(context, samples);
            for (Measurement m : measurements) {
                stdout.printf("warm-up: %s%n", m.name());
                stdout.flush();
                m.warmUp();
            }
            // Interleaved, so that a slow spell of a shared machine spreads over all of them.
            for (int run = 1; run <= runs; run++) {
                for (Measurement m : measurements) {
                    Sample sample = m.run(run);
                    samples.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(sample);
                    stdout.printf(
                            "run %d/%d %-8s %,12.0f events/s  %6.1f CPU s/M events%n",
                            run,
                            runs,
                            m.name(),
                            sample.eventsPerSecond(),
                            sample.cpuSecondsPerMillionEvents());
                    stdout.flush();
                }
            }
            List<Result> results = new ArrayList<>();
            for (Measurement m : measurements) {
                results.add(Result.of(m, samples.get(m.name())));
            }
            PeerComparison comparison = compare(measurements, mix.lastEventTime());
            BenchReport report =
                    BenchReport.of(
                            Instant.now(),
                            mix,
                            seed,
                            runs,
                            parallelism,
                            interval,
                            settings,
                            results,
                            comparison);
            report.write(out);
            stdout.println();
            stdout.print(report.markdown());
            stdout.printf(
                    "%nwritten: %s, %s%n", out.resolve("bench.json"), out.resolve("bench.md"));
            stdout.flush();
        }
        return 0;
    }

    private List<Measurement> measurements(
            BenchContext context, Map<String, List<Sample>> samples) {
        Duration sending = Duration.ofSeconds(liveSeconds);
        List<Measurement> list = new ArrayList<>();
        for (String name : ALL) {
            if (!only.contains(name)) {
                continue;
            }
            switch (name) {
                case "ceiling" -> list.add(new KeyedCeiling(context, false));
                case "ceiling-rocksdb" -> list.add(new KeyedCeiling(context, true));
                case "replay" -> list.add(new ReplayMeasurement(context));
                case "limit" -> list.add(new KafkaLimit(context));
                case "alo" -> list.add(new StreamingRun(context, false));
                case "eo" -> list.add(new StreamingRun(context, true));
                case "peer" -> list.add(new KafkaStreamsPeer(context));
                case "alo-latency" ->
                        list.add(new LiveLatency(context, false, () -> liveRate(samples), sending));
                case "eo-latency" ->
                        list.add(new LiveLatency(context, true, () -> liveRate(samples), sending));
                case OpenCarts.NAME ->
                        list.add(new OpenCarts(context, carts, MemorySize.parse(tmProcessSize)));
                default -> throw new IllegalStateException(name);
            }
        }
        return list;
    }

    /**
     * The live runs' rate: as given, or half the capacity measured so far (alo's median, else
     * replay's), else 1,000 events/s.
     */
    private double liveRate(Map<String, List<Sample>> samples) {
        if (liveRate > 0) {
            return liveRate;
        }
        for (String capacity : List.of("alo", "replay")) {
            List<Sample> measured = samples.get(capacity);
            if (measured != null && !measured.isEmpty()) {
                return Result.median(measured, Sample::eventsPerSecond) / 2;
            }
        }
        return 1_000;
    }

    /** The peer's abandoned carts against the last replay's, when both ran. */
    private static PeerComparison compare(List<Measurement> measurements, long lastEventTime)
            throws Exception {
        ReplayMeasurement replay = null;
        KafkaStreamsPeer peer = null;
        for (Measurement m : measurements) {
            if (m instanceof ReplayMeasurement r) {
                replay = r;
            } else if (m instanceof KafkaStreamsPeer p) {
                peer = p;
            }
        }
        if (replay == null || peer == null) {
            return null;
        }
        return PeerComparison.of(
                replay.abandoned(), peer.abandoned(), peer.endWindow(), lastEventTime);
    }
}
