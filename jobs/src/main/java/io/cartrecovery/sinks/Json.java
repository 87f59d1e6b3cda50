package io.cartrecovery.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.ClickEventJson;
import java.time.Instant;

/** Small helpers shared by the output formats. */
public final class Json {
    private Json() {}

    /** Epoch millis as ISO-8601 UTC, the one time format of every output. */
    public static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return ClickEventJson.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
