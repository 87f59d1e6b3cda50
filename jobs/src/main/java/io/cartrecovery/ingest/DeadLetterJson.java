package io.cartrecovery.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.sinks.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes dead letters (schemas/dead-letter.schema.json). The payload is kept exactly: as text when
 * it is valid UTF-8, else base64, so nothing is lost either way; of an oversized record, its first
 * bytes, marked {@code payload_truncated} with the record's size. A profile or outcome whose
 * personal fields were masked ({@code dead-letters.mask-personal-data}) is marked {@code
 * payload_masked}, with the masked record or none.
 */
public final class DeadLetterJson {
    private DeadLetterJson() {}

    public static ObjectNode toJson(DeadLetter letter) {
        ObjectNode node = ClickEventJson.MAPPER.createObjectNode();
        node.put("reason", letter.reason());
        ObjectNode source = node.putObject("source");
        SourcePosition position = letter.position();
        if (position.isFile()) {
            source.put("file", position.source());
            source.put("line", position.offset());
        } else if (position.isStage()) {
            source.put("stage", position.source());
        } else {
            source.put("topic", position.source());
            source.put("partition", position.partition());
            source.put("offset", position.offset());
        }
        node.put("rejected_at", Json.time(letter.rejectedAt()));
        if (letter.privacy() == DeadLetter.Privacy.MASKED) {
            // Masked text, or nothing: never base64 of bytes that could not be masked.
            if (letter.payload() != null) {
                node.put("payload", new String(letter.payload(), StandardCharsets.UTF_8));
            }
            node.put("payload_masked", true);
            node.put("payload_bytes", letter.payloadBytes());
            return node;
        }
        byte[] payload = letter.payload() == null ? new byte[0] : letter.payload();
        String text = utf8(payload);
        if (text != null) {
            node.put("payload", text);
        } else {
            node.put("payload_base64", Base64.getEncoder().encodeToString(payload));
        }
        if (letter.truncated()) {
            node.put("payload_truncated", true);
            node.put("payload_bytes", letter.payloadBytes());
        }
        return node;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
