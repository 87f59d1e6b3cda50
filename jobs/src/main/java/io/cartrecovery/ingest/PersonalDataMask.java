package io.cartrecovery.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cartrecovery.events.ClickEventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Masks the personal fields of a personal dead letter ({@link DeadLetter.Privacy#PERSONAL}: a
 * rejected customer profile or contact outcome) for {@code dead-letters.mask-personal-data}: every
 * {@code name}, {@code email}, {@code phone} and {@code notes}, at any depth, becomes {@value
 * #MASK}; the rest of the record stays as it was, so the reason can still be understood. A payload
 * that is not a whole JSON object (bad bytes, cut at the size limit, not JSON) cannot be masked
 * field by field and is dropped. Either way the dead letter says {@code payload_masked}.
 */
public final class PersonalDataMask {
    private PersonalDataMask() {}

    /** What a masked field holds. */
    public static final String MASK = "***";

    /** The fields of profiles and outcomes that name or reach a person, or may (free text). */
    static final Set<String> PERSONAL_FIELDS = Set.of("name", "email", "phone", "notes");

    /** The dead letter masked when it is personal; any other as it is. */
    public static DeadLetter apply(DeadLetter letter) {
        if (letter.privacy() != DeadLetter.Privacy.PERSONAL) {
            return letter;
        }
        byte[] masked = null;
        if (!letter.truncated() && letter.payload() != null) {
            masked = mask(letter.payload());
        }
        return new DeadLetter(
                letter.reason(),
                masked,
                letter.position(),
                letter.rejectedAt(),
                letter.payloadBytes(),
                DeadLetter.Privacy.MASKED);
    }

    private static byte[] mask(byte[] payload) {
        if (RawRecords.invalidUtf8At(payload) >= 0) {
            return null;
        }
        JsonNode root;
        try {
            root = ClickEventJson.MAPPER.readTree(payload);
        } catch (IOException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        maskFields(root);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void maskFields(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> personal = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (PERSONAL_FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
                    personal.add(field.getKey());
                } else {
                    maskFields(field.getValue());
                }
            }
            personal.forEach(name -> object.set(name, TextNode.valueOf(MASK)));
        } else if (node.isArray()) {
            node.forEach(PersonalDataMask::maskFields);
        }
    }
}
