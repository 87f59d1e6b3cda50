package io.cartrecovery.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.InvalidEventException;
import io.cartrecovery.formats.JsonFields;
import io.cartrecovery.formats.JsonFields.WholeNumbers;
import io.cartrecovery.ingest.Limits;
import io.cartrecovery.ingest.TextChecks;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an agent record (docs/assignment.md, schemas/agent.schema.json). Reasons name the field and
 * never echo its value, as for every reference-data record.
 */
public final class AgentJson {
    private AgentJson() {}

    private static final Map<String, DayOfWeek> DAYS =
            Map.of(
                    "mon", DayOfWeek.MONDAY,
                    "tue", DayOfWeek.TUESDAY,
                    "wed", DayOfWeek.WEDNESDAY,
                    "thu", DayOfWeek.THURSDAY,
                    "fri", DayOfWeek.FRIDAY,
                    "sat", DayOfWeek.SATURDAY,
                    "sun", DayOfWeek.SUNDAY);
    private static final Pattern STRETCH =
            Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]|24):([0-5][0-9])");
    private static final JsonFields.Reason NOT_WHOLE =
            (path, value) -> path + " must be a whole number, not negative";

    public static Agent parse(byte[] json) throws InvalidAgentException {
        JsonNode root;
        try {
            root = ClickEventJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidAgentException("not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidAgentException("not a JSON object");
        }
        try {
            return new Agent(
                    id(JsonFields.requiredText(root.get("agent_id"), "agent_id"), "agent_id"),
                    stores(root.get("stores")),
                    strings(root.get("languages"), "languages", false),
                    zone(root.get("time_zone")),
                    shift(root.get("shift")),
                    limit(root, "max_open_tasks"),
                    limit(root, "max_tasks_per_day"),
                    active(root.get("active")));
        } catch (InvalidEventException e) {
            throw new InvalidAgentException(e.getMessage());
        }
    }

    private static String id(String value, String path) throws InvalidAgentException {
        String problem = TextChecks.id(value, path);
        if (problem != null) {
            throw new InvalidAgentException(problem);
        }
        return value;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static List<String> stores(JsonNode node)
            throws InvalidAgentException, InvalidEventException {
        if (!absent(node)
                && node.isTextual()
                && node.textValue().strip().equals(Agent.ALL_STORES)) {
            return List.of(Agent.ALL_STORES);
        }
        return strings(node, "stores", true);
    }

    private static List<String> strings(JsonNode node, String path, boolean required)
            throws InvalidAgentException, InvalidEventException {
        if (absent(node)) {
            if (required) {
                throw new InvalidAgentException("missing " + path);
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidAgentException(path + " must be a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            values.add(
                    id(
                            JsonFields.requiredText(node.get(i), path + "[" + i + "]"),
                            path + "[" + i + "]"));
        }
        if (required && values.isEmpty()) {
            throw new InvalidAgentException(path + " must not be empty");
        }
        return values;
    }

    private static String zone(JsonNode node) throws InvalidAgentException, InvalidEventException {
        String zone = JsonFields.requiredText(node, "time_zone");
        try {
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw new InvalidAgentException("time_zone is not an IANA zone id");
        }
    }

    private static List<ShiftWindow> shift(JsonNode node)
            throws InvalidAgentException, InvalidEventException {
        if (absent(node)) {
            throw new InvalidAgentException("missing shift");
        }
        if (!node.isObject()) {
            throw new InvalidAgentException("shift must be an object of weekdays (mon..sun)");
        }
        List<ShiftWindow> windows = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String path = "shift." + entry.getKey();
            DayOfWeek day = DAYS.get(entry.getKey());
            if (day == null) {
                throw new InvalidAgentException(path + " is not a weekday (mon..sun)");
            }
            String hours = JsonFields.text(entry.getValue(), path);
            if (hours == null) {
                continue;
            }
            String[] stretches = hours.split(",");
            if (stretches.length > Limits.MAX_SHIFT_STRETCHES_PER_DAY) {
                throw new InvalidAgentException(
                        path
                                + " has "
                                + stretches.length
                                + " stretches, above the limit of "
                                + Limits.MAX_SHIFT_STRETCHES_PER_DAY);
            }
            for (String stretch : stretches) {
                windows.add(stretch(day, stretch.strip(), path));
            }
        }
        return windows;
    }

    private static ShiftWindow stretch(DayOfWeek day, String text, String path)
            throws InvalidAgentException {
        Matcher m = STRETCH.matcher(text);
        if (!m.matches()) {
            throw new InvalidAgentException(path + " must be HH:MM-HH:MM[,HH:MM-HH:MM...]");
        }
        int start = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
        int end = Integer.parseInt(m.group(3)) * 60 + Integer.parseInt(m.group(4));
        if (end > 24 * 60) {
            throw new InvalidAgentException(path + " ends after 24:00");
        }
        if (start == end) {
            throw new InvalidAgentException(
                    path + " starts and ends at the same time (use 00:00-24:00 for a whole day)");
        }
        return new ShiftWindow(day, start, end);
    }

    private static int limit(JsonNode root, String field)
            throws InvalidAgentException, InvalidEventException {
        Long value =
                JsonFields.wholeNumber(root.get(field), field, WholeNumbers.INTEGER, NOT_WHOLE);
        if (value == null) {
            throw new InvalidAgentException("missing " + field);
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new InvalidAgentException(field + " must be a whole number, not negative");
        }
        return value.intValue();
    }

    private static boolean active(JsonNode node) throws InvalidAgentException {
        if (absent(node)) {
            return true;
        }
        if (!node.isBoolean()) {
            throw new InvalidAgentException("active must be true or false");
        }
        return node.booleanValue();
    }
}
