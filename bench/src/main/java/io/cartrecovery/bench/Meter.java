package io.cartrecovery.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time and peak heap of one run. CPU is the bench JVM's (Flink, Kafka Streams and the Kafka
 * clients run in it) plus that of child processes such as the broker and ClickHouse. The heap is
 * sampled every 20 ms rather than read from the pools' peaks: the pools peak at different moments,
 * and their sum overstates the heap ever in use at once.
 */
final class Meter implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 20;

    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<ProcessHandle> children;
    private final long cpuAtStart;
    private final Duration childCpuAtStart;
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakRss = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    /** Starts measuring; {@code children} (e.g. the broker) are counted as well, nulls skipped. */
    static Meter start(ProcessHandle... children) {
        // Garbage of an earlier run must not count as this run's heap.
        System.gc();
        return new Meter(Arrays.stream(children).filter(Objects::nonNull).toList());
    }

    private Meter(List<ProcessHandle> children) {
        this.children = children;
        this.cpuAtStart = os.getProcessCpuTime();
        this.childCpuAtStart = childCpu();
        this.sampler =
                new Thread(
                        () -> {
                            for (long n = 0; running; n++) {
                                peakHeap.accumulateAndGet(
                                        memory.getHeapMemoryUsage().getUsed(), Math::max);
                                if (n % 10 == 0) {
                                    peakRss.accumulateAndGet(rssBytes(), Math::max);
                                }
                                try {
                                    Thread.sleep(SAMPLE_MILLIS);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    double cpuSeconds() {
        double own = (os.getProcessCpuTime() - cpuAtStart) / 1e9;
        return own + (childCpu().minus(childCpuAtStart).toNanos() / 1e9);
    }

    long peakHeapBytes() {
        return peakHeap.get();
    }

    /**
     * Most resident memory of the bench JVM during the run (sampled every 200 ms); 0 if unknown.
     */
    long peakRssBytes() {
        return peakRss.get();
    }

    /** Resident pages of this process (Linux's /proc), as bytes; 0 elsewhere. */
    private static long rssBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException unknown) {
            return 0;
        }
    }

    private Duration childCpu() {
        return children.stream()
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
