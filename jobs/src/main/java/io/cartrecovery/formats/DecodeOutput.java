package io.cartrecovery.formats;

import io.cartrecovery.events.ClickEvent;

/** Where a {@link RecordDecoder} puts what one raw record holds. */
public interface DecodeOutput {
    /** An event the pipeline uses, mapped to the canonical format (not yet validated). */
    void event(ClickEvent event);

    /**
     * A part of the record that is broken (e.g. one event of a GA4 body), the rest stands.
     *
     * @param reason one line naming the record's own field, e.g. "events[1].params.items[0].price
     *     is negative (-2)"
     */
    void rejected(String reason);

    /**
     * A well-formed event of a kind the pipeline does not use (e.g. GA4 {@code scroll}): counted
     * and skipped, not dead-lettered.
     */
    void skipped(String eventName);
}
