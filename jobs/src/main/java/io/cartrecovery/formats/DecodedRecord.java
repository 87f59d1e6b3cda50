package io.cartrecovery.formats;

import io.cartrecovery.events.ClickEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A {@link DecodeOutput} that keeps what a decoder put out, in order, for reading afterwards. */
public final class DecodedRecord implements DecodeOutput {
    // Most records hold one event and nothing else.
    private final List<ClickEvent> events = new ArrayList<>(1);
    private final List<String> rejections = new ArrayList<>(0);
    private final List<String> skipped = new ArrayList<>(0);

    @Override
    public void event(ClickEvent event) {
        events.add(event);
    }

    @Override
    public void rejected(String reason) {
        rejections.add(reason);
    }

    @Override
    public void skipped(String eventName) {
        skipped.add(eventName);
    }

    /** The events, not yet validated. */
    public List<ClickEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** The reasons of the parts that were rejected. */
    public List<String> rejections() {
        return Collections.unmodifiableList(rejections);
    }

    /** The names of the well-formed events the pipeline does not use. */
    public List<String> skipped() {
        return Collections.unmodifiableList(skipped);
    }
}
