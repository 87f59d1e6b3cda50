package io.cartrecovery.testing;

import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ClickHouse the tests talk to over its HTTP interface, as the job and the commands do: the
 * installed server ({@link ClickHouseServer}, 18.16) or the current engine in-process behind a test
 * HTTP front ({@link CurrentClickHouse}, 26.7). Each test takes a database of its own ({@link
 * #newDatabase}).
 */
public interface TestClickHouse {
    /** The HTTP address, e.g. {@code http://127.0.0.1:41234}. */
    String url();

    /** A name for a database no other test uses (not created: {@code schema apply} does that). */
    String newDatabase();

    /** Settings that point the job or a command at {@code database} on this ClickHouse. */
    default Map<String, String> settings(String database) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ClickHouseOptions.URL.key(), url());
        settings.put(ClickHouseOptions.DATABASE.key(), database);
        return settings;
    }

    default ClickHouseSettings clickHouseSettings(String database) {
        return ClickHouseSettings.from(Configs.load(null, settings(database))).orElseThrow();
    }

    /** Runs a statement over HTTP and returns the body. */
    default String execute(String database, String sql) {
        return new ClickHouseHttp(clickHouseSettings(database)).execute(database, sql);
    }

    /**
     * Runs a query over HTTP, {@code FORMAT TabSeparatedWithNames}, and returns its rows as column
     * name to value, in the server's text form ({@code \N} read as null).
     */
    default List<Map<String, String>> rows(String database, String query) {
        String body = execute(database, query + " FORMAT TabSeparatedWithNames");
        List<Map<String, String>> rows = new ArrayList<>();
        String[] lines = body.split("\n");
        String[] names = lines[0].split("\t", -1);
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < names.length; c++) {
                row.put(unescape(names[c]), fields[c].equals("\\N") ? null : unescape(fields[c]));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                out.append(c);
                continue;
            }
            char next = field.charAt(++i);
            out.append(
                    switch (next) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case '0' -> '\0';
                        default -> next;
                    });
        }
        return out.toString();
    }
}
