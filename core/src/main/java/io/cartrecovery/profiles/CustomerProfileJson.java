package io.cartrecovery.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.Amounts;
import io.cartrecovery.events.Timestamps;
import io.cartrecovery.ingest.Limits;
import io.cartrecovery.ingest.TextChecks;
import io.cartrecovery.priority.Channel;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a customer profile (docs/profiles.md, schemas/customer-profile.schema.json). Reasons name
 * the field and never echo its value: profiles hold personal data, and reasons reach dead-letter
 * topics and logs.
 */
public final class CustomerProfileJson {
    private CustomerProfileJson() {}

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    /** The record key on the compacted topic: one record per store and customer survives. */
    public static String key(CustomerProfile profile) {
        return profile.storeId() + "/" + profile.customerId();
    }

    /** The documented wire form; {@link #parse} reads it back to an equal profile. */
    public static byte[] toJson(CustomerProfile profile) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("store_id", profile.storeId());
        root.put("customer_id", profile.customerId());
        putIfPresent(root, "name", profile.name());
        putIfPresent(root, "phone", profile.phone());
        putIfPresent(root, "email", profile.email());
        putIfPresent(root, "language", profile.language());
        putIfPresent(root, "time_zone", profile.timeZone());
        ObjectNode consent = root.putObject("consent");
        profile.consent()
                .forEach(
                        (channel, answer) -> {
                            ObjectNode entry = consent.putObject(channel.wireName());
                            entry.put("granted", answer.granted());
                            if (answer.at() != null) {
                                entry.put("at", Instant.ofEpochMilli(answer.at()).toString());
                            }
                        });
        root.put("do_not_contact", profile.doNotContact());
        root.put("order_count", profile.orderCount());
        if (profile.lifetimeValue() != null) {
            // A string keeps the decimal exact for every reader.
            root.put("lifetime_value", profile.lifetimeValue().toPlainString());
        }
        if (profile.lastOrderAt() != null) {
            root.put("last_order_at", Instant.ofEpochMilli(profile.lastOrderAt()).toString());
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static void putIfPresent(ObjectNode root, String field, String value) {
        if (value != null) {
            root.put(field, value);
        }
    }

    /** Whether a phone number is E.164, the form dialers and profiles use. */
    public static boolean isE164(String phone) {
        return phone != null && E164.matcher(phone).matches();
    }

    public static CustomerProfile parse(byte[] json) throws InvalidProfileException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidProfileException("not valid JSON");
        } catch (IOException e) {
            throw new InvalidProfileException("unreadable: " + e.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidProfileException("not a JSON object");
        }
        String phone = text(root, "phone");
        if (phone != null && !isE164(phone)) {
            throw new InvalidProfileException("phone is not E.164 (+ and 7-15 digits)");
        }
        String email = text(root, "email");
        if (email != null && email.indexOf('@') < 1) {
            throw new InvalidProfileException("email has no '@'");
        }
        String timeZone = text(root, "time_zone");
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                throw new InvalidProfileException("time_zone is not an IANA zone id");
            }
        }
        return new CustomerProfile(
                required(root, "store_id"),
                required(root, "customer_id"),
                text(root, "name"),
                phone,
                email,
                text(root, "language"),
                timeZone,
                consent(root.get("consent")),
                bool(root, "do_not_contact"),
                orderCount(root.get("order_count")),
                lifetimeValue(root.get("lifetime_value")),
                time(root.get("last_order_at"), "last_order_at"));
    }

    private static Map<Channel, Consent> consent(JsonNode node) throws InvalidProfileException {
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        if (absent(node)) {
            return consent;
        }
        if (!node.isObject()) {
            throw new InvalidProfileException("consent must be an object");
        }
        for (Channel channel : Channel.values()) {
            JsonNode entry = node.get(channel.wireName());
            if (absent(entry)) {
                continue;
            }
            String path = "consent." + channel.wireName();
            if (!entry.isObject() || !entry.path("granted").isBoolean()) {
                throw new InvalidProfileException(path + " needs a boolean 'granted'");
            }
            consent.put(
                    channel,
                    new Consent(
                            entry.get("granted").booleanValue(),
                            time(entry.get("at"), path + ".at")));
        }
        return consent;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static String text(JsonNode root, String field) throws InvalidProfileException {
        JsonNode node = root.get(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidProfileException(field + " must be a string");
        }
        String value = node.textValue().strip();
        if (value.isEmpty()) {
            return null;
        }
        String problem =
                NAMES.contains(field) ? TextChecks.name(value, field) : TextChecks.id(value, field);
        if (problem != null) {
            throw new InvalidProfileException(problem);
        }
        return value;
    }

    /** Free-text fields; the others are ids and codes. */
    private static final Set<String> NAMES = Set.of("name", "email", "phone");

    private static String required(JsonNode root, String field) throws InvalidProfileException {
        String value = text(root, field);
        if (value == null) {
            throw new InvalidProfileException("missing " + field);
        }
        return value;
    }

    private static boolean bool(JsonNode root, String field) throws InvalidProfileException {
        JsonNode node = root.get(field);
        if (absent(node)) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidProfileException(field + " must be true or false");
        }
        return node.booleanValue();
    }

    private static int orderCount(JsonNode node) throws InvalidProfileException {
        if (absent(node)) {
            return 0;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0) {
            throw new InvalidProfileException("order_count must be a whole number, not negative");
        }
        return node.intValue();
    }

    /** A string or a JSON number, read as exact decimal either way (never through a double). */
    private static BigDecimal lifetimeValue(JsonNode node) throws InvalidProfileException {
        if (absent(node)) {
            return null;
        }
        BigDecimal value;
        try {
            value =
                    node.isTextual()
                            ? new BigDecimal(node.textValue().strip())
                            : node.isNumber() ? node.decimalValue() : null;
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null || value.signum() < 0) {
            throw new InvalidProfileException("lifetime_value must be a decimal, not negative");
        }
        if (Amounts.problem(value, "lifetime_value") != null) {
            // The reason leaves the value out, as every profile reason does.
            throw new InvalidProfileException(
                    "lifetime_value out of range: money is below "
                            + Limits.MONEY_LIMIT.toPlainString()
                            + " with at most "
                            + Limits.MONEY_SCALE
                            + " decimals");
        }
        return value;
    }

    /** ISO-8601 with offset or epoch millis, as event_time in the clickstream. */
    private static Long time(JsonNode node, String path) throws InvalidProfileException {
        if (absent(node)) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                return Timestamps.epochMillis(node.textValue().strip());
            } catch (DateTimeException e) {
                // reported below
            }
        }
        throw new InvalidProfileException(path + " must be ISO-8601 with offset or epoch millis");
    }
}
