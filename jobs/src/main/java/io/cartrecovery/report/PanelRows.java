package io.cartrecovery.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one panel target's SQL returned: its columns (name and ClickHouse type) and its rows, read
 * over HTTP with {@code FORMAT JSON} (18.16 quotes 64-bit integers there; decimals stay exact).
 */
public record PanelRows(List<Column> columns, List<JsonNode> rows) {
    /** A result column and its ClickHouse type, e.g. {@code Nullable(Float64)}. */
    public record Column(String name, String type) {
        /** The type without {@code Nullable(...)}. */
        public String baseType() {
            return type.startsWith("Nullable(") ? type.substring(9, type.length() - 1) : type;
        }

        public boolean numeric() {
            String t = baseType();
            return t.startsWith("UInt")
                    || t.startsWith("Int")
                    || t.startsWith("Float")
                    || t.startsWith("Decimal");
        }

        public boolean time() {
            return baseType().startsWith("DateTime") || baseType().equals("Date");
        }
    }

    /** Runs {@code sql} (macros expanded) in {@code database}. */
    public static PanelRows query(ClickHouseHttp http, String database, String sql) {
        String body = http.execute(database, sql + "\nFORMAT JSON");
        JsonNode json;
        try {
            json = GrafanaBoards.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("ClickHouse's JSON could not be read", e);
        }
        List<Column> columns = new ArrayList<>();
        for (JsonNode meta : json.path("meta")) {
            columns.add(new Column(meta.path("name").asText(), meta.path("type").asText()));
        }
        List<JsonNode> rows = new ArrayList<>();
        json.path("data").forEach(rows::add);
        return new PanelRows(columns, rows);
    }

    public Column column(String name) {
        return columns.stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no column " + name));
    }
}
