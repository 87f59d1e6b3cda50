package io.cartrecovery.events;

/**
 * Contact details an {@code identify} event carries. Personal data: never logged, never written to
 * metrics or ClickHouse; {@link #toString()} hides it.
 */
public record ContactDetails(String name, String email, String phone) {
    @Override
    public String toString() {
        return "ContactDetails[redacted]";
    }
}
