package io.cartrecovery.state;

/**
 * Calls into Flink's keyed state for the operators that back the rules' state interfaces. Flink's
 * state calls throw checked exceptions that the rules cannot recover from: they pass through
 * unchecked and fail the task, which restarts from the last checkpoint.
 */
public final class KeyedState {
    private KeyedState() {}

    /** A read of keyed state. */
    public interface Read<T> {
        T get() throws Exception;
    }

    /** A write of keyed state. */
    public interface Write {
        void run() throws Exception;
    }

    public static <T> T call(Read<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("keyed state failed", e);
        }
    }

    public static void run(Write write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("keyed state failed", e);
        }
    }
}
