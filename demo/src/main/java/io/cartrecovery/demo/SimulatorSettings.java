package io.cartrecovery.demo;

/**
 * What a {@link ShopperSimulator} simulates.
 *
 * @param stores how many stores, {@code shop-1} to {@code shop-N}; shop-1 gets the most visits
 * @param visitsPerSecond new visits per simulated second over all stores (returns not included)
 * @param seed the same settings give the same events
 * @param startEpochMillis where the simulated clock starts; visits arrive after it
 */
public record SimulatorSettings(
        int stores, double visitsPerSecond, long seed, long startEpochMillis) {

    public SimulatorSettings {
        if (stores < 1) {
            throw new IllegalArgumentException("stores must be at least 1, not " + stores);
        }
        if (!(visitsPerSecond > 0) || Double.isInfinite(visitsPerSecond)) {
            throw new IllegalArgumentException(
                    "visitsPerSecond must be a positive number, not " + visitsPerSecond);
        }
    }
}
