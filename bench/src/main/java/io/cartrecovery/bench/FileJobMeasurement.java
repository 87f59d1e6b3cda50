package io.cartrecovery.bench;

import java.nio.file.Path;

/**
 * A bounded Flink job on the bench file, timed from submission to its end. What the same job takes
 * on the few warm-up lines (once warm: the second of two warm-up runs) is its start-up, and is
 * taken off both the time and the CPU of every measured run.
 */
abstract class FileJobMeasurement implements Measurement {
    protected final BenchContext context;
    private double startupSeconds;
    private double startupCpuSeconds;

    FileJobMeasurement(BenchContext context) {
        this.context = context;
    }

    /** Runs the job on {@code input} to its end; {@code tag} names the run's output, if any. */
    abstract FlinkCluster.Finished job(Path input, String tag) throws Exception;

    /** The keys whose state the checkpoint size is divided by. */
    abstract long trackedKeys() throws Exception;

    @Override
    public void warmUp() throws Exception {
        job(context.warmUpInput(), "warm-up");
        try (Meter meter = Meter.start()) {
            long start = System.nanoTime();
            job(context.warmUpInput(), "warm-up");
            startupSeconds = (System.nanoTime() - start) / 1e9;
            startupCpuSeconds = meter.cpuSeconds();
        }
    }

    @Override
    public Sample run(int run) throws Exception {
        try (Meter meter = Meter.start()) {
            long start = System.nanoTime();
            FlinkCluster.Finished finished = job(context.input(), "run-" + run);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Sample(
                    context.mix().events(),
                    // A floor, so that a tiny smoke-test input cannot come out at zero or below.
                    Math.max(seconds - startupSeconds, seconds / 10),
                    Math.max(meter.cpuSeconds() - startupCpuSeconds, meter.cpuSeconds() / 10),
                    meter.peakHeapBytes(),
                    finished.checkpoints(),
                    finished.maxCheckpointBytes(),
                    finished.medianMillis(),
                    trackedKeys(),
                    startupSeconds,
                    finished.stateBytesByOperator());
        }
    }
}
