package io.cartrecovery.bench;

/** One column group of the bench table: a way of processing the bench's input, run repeatedly. */
interface Measurement {
    /** The name in the table, the JSON and {@code --only}. */
    String name();

    /** One line on what runs, for the table's legend. */
    String description();

    /**
     * Runs once on a small input before the measured runs: it warms the JIT and the cluster, and
     * measurements that cannot see their own start measure it here to leave it out.
     */
    void warmUp() throws Exception;

    Sample run(int run) throws Exception;
}
