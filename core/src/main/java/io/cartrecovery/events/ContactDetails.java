package io.cartrecovery.events;

/**
 * Contact details an {@code identify} event carries. Personal data: never logged, never written to
 * metrics or ClickHouse; {@link #toString()} hides it.
 */
public record ContactDetails(String name, String email, String phone) {

    /** Newer details field by field over older ones: an identify event may give only some. */
    public static ContactDetails newer(ContactDetails older, ContactDetails newer) {
        if (older == null || newer == null) {
            return newer == null ? older : newer;
        }
        return new ContactDetails(
                newer.name() != null ? newer.name() : older.name(),
                newer.email() != null ? newer.email() : older.email(),
                newer.phone() != null ? newer.phone() : older.phone());
    }

    @Override
    public String toString() {
        return "ContactDetails[redacted]";
    }
}
