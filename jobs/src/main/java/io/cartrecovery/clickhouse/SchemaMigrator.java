package io.cartrecovery.clickhouse;

import io.cartrecovery.config.ClickHouseOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the schema migrations to a ClickHouse database, in order, each once: the table {@code
 * schema_migrations} records what was applied, with its checksum. ClickHouse has no transactional
 * DDL, so a migration is recorded after its last statement; one that failed half-way runs again
 * from the start, which its {@code IF NOT EXISTS} statements make harmless.
 */
public final class SchemaMigrator {
    private static final String TABLE = "schema_migrations";

    private static final String CREATE_TABLE =
            "CREATE TABLE IF NOT EXISTS "
                    + TABLE
                    + " (version UInt32, file String, checksum String, statements UInt32,"
                    + " applied_at DateTime('UTC'))"
                    + " ENGINE = ReplacingMergeTree(applied_at) ORDER BY version";

    /**
     * 18.16 has no {@code ADD COLUMN IF NOT EXISTS}: such a statement runs as a plain {@code ADD
     * COLUMN} when the column is missing and is skipped when it is there.
     */
    private static final Pattern ADD_COLUMN_IF_NOT_EXISTS =
            Pattern.compile(
                    "(?i)\\bALTER\\s+TABLE\\s+(\\w+)\\s+ADD\\s+COLUMN\\s+(IF\\s+NOT\\s+EXISTS\\s+)(\\w+)");

    private final ClickHouseHttp http;
    private final String database;

    public SchemaMigrator(ClickHouseHttp http, String database) {
        this.http = http;
        this.database = database;
    }

    /** What a run did: the migrations it applied now, and how many had been applied before. */
    public record Outcome(List<Migration> applied, int alreadyApplied) {}

    private void execute(String statement) {
        Matcher add = ADD_COLUMN_IF_NOT_EXISTS.matcher(statement);
        if (!add.find()) {
            http.execute(database, statement);
            return;
        }
        String exists =
                http.execute(
                        database,
                        "SELECT count() FROM system.columns WHERE database = '"
                                + database
                                + "' AND table = '"
                                + add.group(1)
                                + "' AND name = '"
                                + add.group(3)
                                + "' FORMAT TabSeparated");
        if (exists.trim().equals("0")) {
            http.execute(
                    database,
                    statement.substring(0, add.start(2)) + statement.substring(add.end(2)));
        }
    }

    /** A migration as {@code schema_migrations} remembers it. */
    private record Applied(String file, String checksum) {}

    /**
     * Creates the database if needed and applies the migrations not applied yet.
     *
     * @throws ClickHouseException when an applied migration's file changed since, or ClickHouse
     *     cannot be reached or refuses a statement
     */
    public Outcome apply(List<Migration> migrations) {
        http.execute(null, "CREATE DATABASE IF NOT EXISTS " + database);
        http.execute(database, CREATE_TABLE);
        Map<Integer, Applied> applied = applied();
        requireUnchanged(migrations, applied);
        List<Migration> now = new ArrayList<>();
        for (Migration migration : migrations) {
            if (applied.containsKey(migration.version())) {
                continue;
            }
            List<String> statements = migration.statements();
            for (String statement : statements) {
                execute(statement);
            }
            http.execute(
                    database,
                    "INSERT INTO "
                            + TABLE
                            + " (version, file, checksum, statements, applied_at) VALUES ("
                            + migration.version()
                            + ", '"
                            + migration.file()
                            + "', '"
                            + migration.checksum()
                            + "', "
                            + statements.size()
                            + ", now())");
            now.add(migration);
        }
        return new Outcome(now, migrations.size() - now.size());
    }

    /**
     * Runs every statement of a migration again, as {@link #apply} runs it, without recording it: a
     * migration that failed half-way is run again from its first statement, which must be harmless
     * (the tests check that each is).
     */
    void runAgain(Migration migration) {
        for (String statement : migration.statements()) {
            execute(statement);
        }
    }

    /**
     * Checks that every migration was applied, unchanged; for commands that write facts.
     *
     * @throws ClickHouseException naming what is missing, and the command that fixes it
     */
    public void requireApplied(List<Migration> migrations) {
        String exists =
                http.execute(
                        null,
                        "SELECT count() FROM system.tables WHERE database = '"
                                + database
                                + "' AND name = '"
                                + TABLE
                                + "' FORMAT TabSeparated");
        Map<Integer, Applied> applied = exists.strip().equals("0") ? Map.of() : applied();
        requireUnchanged(migrations, applied);
        List<String> missing =
                migrations.stream()
                        .filter(m -> !applied.containsKey(m.version()))
                        .map(Migration::file)
                        .toList();
        if (!missing.isEmpty()) {
            throw new ClickHouseException(
                    "database "
                            + database
                            + " at "
                            + http.url()
                            + " lacks "
                            + String.join(", ", missing)
                            + ": run cart-recovery schema apply --clickhouse-url "
                            + http.url()
                            + (database.equals(ClickHouseOptions.DATABASE.defaultValue())
                                    ? ""
                                    : " -D " + ClickHouseOptions.DATABASE.key() + "=" + database));
        }
    }

    private Map<Integer, Applied> applied() {
        // The latest record of each version, should a migration ever have been recorded twice.
        String rows =
                http.execute(
                        database,
                        "SELECT version, argMax(file, applied_at), argMax(checksum, applied_at) FROM "
                                + TABLE
                                + " GROUP BY version FORMAT TabSeparated");
        Map<Integer, Applied> applied = new TreeMap<>();
        for (String row : rows.split("\n")) {
            if (!row.isBlank()) {
                String[] fields = row.split("\t");
                applied.put(Integer.parseInt(fields[0]), new Applied(fields[1], fields[2]));
            }
        }
        return applied;
    }

    private void requireUnchanged(List<Migration> migrations, Map<Integer, Applied> applied) {
        for (Migration migration : migrations) {
            Applied before = applied.get(migration.version());
            if (before != null
                    && !before.checksum().equals(migration.checksum())
                    && !migration.supersededChecksums().contains(before.checksum())) {
                throw new ClickHouseException(
                        migration.file()
                                + " changed since it was applied to "
                                + database
                                + " at "
                                + http.url()
                                + " as "
                                + before.file()
                                + " (checksum "
                                + before.checksum().substring(0, 12)
                                + ", now "
                                + migration.checksum().substring(0, 12)
                                + "): put changes in a new migration");
            }
        }
    }
}
