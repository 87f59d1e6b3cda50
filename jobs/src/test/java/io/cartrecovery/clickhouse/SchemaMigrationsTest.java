package io.cartrecovery.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.cli.JobCli;
import io.cartrecovery.testing.ClickHouseServer;
import io.cartrecovery.testing.ConsoleCapture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The schema on a real ClickHouse 18.16: migrations, their bookkeeping, and `schema apply`. */
class SchemaMigrationsTest {
    @RegisterExtension static final ClickHouseServer CLICKHOUSE = new ClickHouseServer();

    private static final List<String> FACT_TABLES =
            List.of(
                    "abandoned_carts",
                    "contact_tasks",
                    "contact_attempts",
                    "recoveries",
                    "holdout",
                    "kpi_minute",
                    "contact_kpi_minute");

    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    private SchemaMigrator migrator(String database) {
        return new SchemaMigrator(
                new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database);
    }

    /** Every table and view with its full definition, and every column with its type. */
    private List<Map<String, String>> schemaOf(String database) {
        List<Map<String, String>> schema =
                new ArrayList<>(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT name, engine, create_table_query FROM system.tables"
                                        + " WHERE database = '"
                                        + database
                                        + "' ORDER BY name"));
        schema.addAll(
                CLICKHOUSE.rows(
                        database,
                        "SELECT table, name, type FROM system.columns WHERE database = '"
                                + database
                                + "' ORDER BY table, name"));
        return schema;
    }

    @Test
    void appliesEveryMigrationOnceInOrderAndRecordsIt() {
        String database = CLICKHOUSE.newDatabase();
        List<Migration> migrations = Migrations.bundled();
        assertThat(migrations)
                .extracting(Migration::file)
                .containsExactly(
                        "0001_facts.sql",
                        "0002_outcomes.sql",
                        "0003_views.sql",
                        "0004_board_views.sql",
                        "0005_kpi_minute.sql",
                        "0006_contact_made.sql",
                        "0007_kpi_contacts.sql",
                        "0008_alerts.sql",
                        "0009_kpi_agents_alerts_roi.sql",
                        "0010_boards_at_scale.sql",
                        "0011_facts_by_key.sql",
                        "0012_contactable.sql",
                        "0013_boards_read_less.sql");

        SchemaMigrator.Outcome first = migrator(database).apply(migrations);
        assertThat(first.applied()).isEqualTo(migrations);
        assertThat(first.alreadyApplied()).isZero();
        List<Map<String, String>> recorded =
                CLICKHOUSE.rows(
                        database,
                        "SELECT version, file, checksum, statements FROM schema_migrations"
                                + " ORDER BY version");
        assertThat(recorded)
                .containsExactlyElementsOf(
                        migrations.stream()
                                .map(
                                        m ->
                                                Map.of(
                                                        "version", String.valueOf(m.version()),
                                                        "file", m.file(),
                                                        "checksum", m.checksum(),
                                                        "statements",
                                                                String.valueOf(
                                                                        m.statements().size())))
                                .toList());
        List<Map<String, String>> schema = schemaOf(database);

        SchemaMigrator.Outcome second = migrator(database).apply(migrations);
        assertThat(second.applied()).isEmpty();
        assertThat(second.alreadyApplied()).isEqualTo(migrations.size());
        assertThat(CLICKHOUSE.rows(database, "SELECT * FROM schema_migrations ORDER BY version"))
                .hasSize(migrations.size());
        assertThat(schemaOf(database)).isEqualTo(schema);
    }

    @Test
    void factTablesReplaceByKeyKeepMoneyExactAndHoldNoPersonalData() {
        String database = CLICKHOUSE.newDatabase();
        migrator(database).apply(Migrations.bundled());
        String inDatabase = " WHERE database = '" + database + "'";

        for (String table : FACT_TABLES) {
            assertThat(
                            CLICKHOUSE.rows(
                                    database,
                                    "SELECT engine_full FROM system.tables"
                                            + inDatabase
                                            + " AND name = '"
                                            + table
                                            + "'"))
                    .singleElement()
                    .satisfies(
                            row ->
                                    assertThat(row.get("engine_full"))
                                            .startsWith("ReplacingMergeTree(version)"));
        }
        // The unpartitioned copies the latest views read (0011) have their table's columns and
        // types: the copying view inserts SELECT * of every insert into it.
        for (String table :
                List.of(
                        "abandoned_carts",
                        "contact_tasks",
                        "contact_attempts",
                        "recoveries",
                        "holdout",
                        "alerts")) {
            String columnsOf =
                    "SELECT name, type FROM system.columns"
                            + inDatabase
                            + " AND table = '%s' ORDER BY name";
            assertThat(CLICKHOUSE.rows(database, columnsOf.formatted(table + "_by_key")))
                    .as(table)
                    .isNotEmpty()
                    .isEqualTo(CLICKHOUSE.rows(database, columnsOf.formatted(table)));
            assertThat(
                            CLICKHOUSE.rows(
                                    database,
                                    "SELECT engine_full FROM system.tables"
                                            + inDatabase
                                            + " AND name = '"
                                            + table
                                            + "_by_key'"))
                    .singleElement()
                    .satisfies(
                            row ->
                                    assertThat(row.get("engine_full"))
                                            .startsWith("ReplacingMergeTree(version)")
                                            .doesNotContain("PARTITION BY"));
        }
        List<Map<String, String>> columns =
                CLICKHOUSE.rows(
                        database, "SELECT table, name, type FROM system.columns" + inDatabase);
        assertThat(columns)
                .filteredOn(c -> c.get("name").matches(".*(value|cost).*"))
                .isNotEmpty()
                // Sums widen to 38 digits, keeping the scale.
                .allSatisfy(
                        c ->
                                assertThat(c.get("type"))
                                        .matches("(Nullable\\()?Decimal\\((18|38), 4\\)\\)?"));
        // Only ratios (rates, lift) and the percentiles of seconds to first contact (interpolated)
        // are floats; no count and no amount is.
        assertThat(columns)
                .filteredOn(c -> !c.get("name").matches("first_contact_p\\d+_seconds|.*_rate|lift"))
                .noneSatisfy(c -> assertThat(c.get("type")).containsIgnoringCase("float"));
        assertThat(columns)
                .extracting(c -> c.get("name"))
                .noneMatch(
                        name -> name.matches("(?i).*(phone|mobile|email|e_mail|name|address).*"));
    }

    @Test
    void agentsJoinTheContactWindowsKeyAndEarlierWindowsStay() {
        String database = CLICKHOUSE.newDatabase();
        List<Migration> migrations = Migrations.bundled();
        int agents =
                migrations.stream()
                        .map(Migration::file)
                        .toList()
                        .indexOf("0009_kpi_agents_alerts_roi.sql");
        migrator(database).apply(migrations.subList(0, agents));
        CLICKHOUSE.execute(
                database,
                "INSERT INTO contact_kpi_minute (store_id, window_start, channel, currency,"
                        + " attempts, reached, responded, recoveries, recovered_value, version)"
                        + " VALUES ('shop-1', 1790000040, 'call', '', 3, 2, 1, 0, 0, 1)");

        assertThat(migrator(database).apply(migrations).applied())
                .hasSize(migrations.size() - agents);

        assertThat(CLICKHOUSE.execute(database, "SHOW CREATE TABLE contact_kpi_minute"))
                .contains("ORDER BY (store_id, window_start, channel, currency, agent_id)");
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT agent_id, attempts, first_contacts,"
                                        + " first_contact_p50_seconds, carts_treated"
                                        + " FROM contact_kpi_minute_latest"))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r)
                                        .containsEntry("agent_id", "")
                                        .containsEntry("attempts", "3")
                                        .containsEntry("first_contacts", "0")
                                        .containsEntry("first_contact_p50_seconds", null)
                                        .containsEntry("carts_treated", "0"));
    }

    @Test
    void anUpgradedDatabaseListsEveryStoreAndReadsTheLatestRowOfEveryCart() {
        String database = CLICKHOUSE.newDatabase();
        List<Migration> migrations = Migrations.bundled();
        int boards =
                migrations.stream()
                        .map(Migration::file)
                        .toList()
                        .indexOf("0010_boards_at_scale.sql");
        migrator(database).apply(migrations.subList(0, boards));
        String insert =
                "INSERT INTO abandoned_carts (store_id, cart_id, stage, reason, cart_value,"
                        + " item_count, line_count, opened_at, abandoned_at, detected_at,"
                        + " gap_seconds, version) VALUES ";
        CLICKHOUSE.execute(
                database,
                insert
                        + "('shop-1', 'c1', 'cart', 'unknown', 1, 1, 1, 1790000000, 1790000060,"
                        + " 1790000100, 1800, 1), ('shop-2', 'c2', 'cart', 'unknown', 1, 1, 1,"
                        + " 1790000000, 1790000060, 1790000100, 1800, 2)");

        assertThat(migrator(database).apply(migrations).applied())
                .hasSize(migrations.size() - boards);
        // A cart written again and a new store after the upgrade; then the migration's statements
        // run a second time, as after a failure half-way: the list is the stores of the carts.
        CLICKHOUSE.execute(
                database,
                insert
                        + "('shop-1', 'c1', 'checkout', 'unknown', 2, 1, 1, 1790000000, 1790000120,"
                        + " 1790000200, 1800, 3), ('shop-3', 'c3', 'cart', 'unknown', 1, 1, 1,"
                        + " 1790000000, 1790000060, 1790000100, 1800, 4)");
        for (String statement : migrations.get(boards).statements()) {
            CLICKHOUSE.execute(database, statement);
        }

        String stores = "SELECT DISTINCT store_id FROM %s ORDER BY store_id";
        assertThat(CLICKHOUSE.rows(database, stores.formatted("board_stores")))
                .isEqualTo(CLICKHOUSE.rows(database, stores.formatted("abandoned_carts_latest")))
                .extracting(r -> r.get("store_id"))
                .containsExactly("shop-1", "shop-2", "shop-3");
        // The latest view reads the copy (0011), filled from the rows before the upgrade and by
        // its view after; copied twice, it still has each cart's latest row, as argMax has.
        // A cart the job says nobody can contact (0012): the copy's view takes the new column too.
        CLICKHOUSE.execute(
                database,
                "INSERT INTO abandoned_carts (store_id, cart_id, stage, reason, cart_value,"
                        + " item_count, line_count, opened_at, abandoned_at, detected_at,"
                        + " gap_seconds, contactable, version) VALUES ('shop-3', 'c4', 'cart',"
                        + " 'unknown', 1, 1, 1, 1790000000, 1790000060, 1790000100, 1800, 0, 5)");
        for (Migration migration : migrations.subList(boards + 1, migrations.size())) {
            migrator(database).runAgain(migration);
        }
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT store_id, cart_id, stage, cart_value, abandoned_at,"
                                        + " contactable, row_version FROM abandoned_carts_latest"
                                        + " ORDER BY store_id, cart_id"))
                .hasSize(4)
                .isEqualTo(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT store_id, cart_id, argMax(stage, version) AS stage,"
                                        + " argMax(cart_value, version) AS cart_value,"
                                        + " argMax(abandoned_at, version) AS abandoned_at,"
                                        + " argMax(contactable, version) AS contactable,"
                                        + " max(version) AS row_version FROM abandoned_carts"
                                        + " GROUP BY store_id, cart_id ORDER BY store_id, cart_id"))
                // Carts written before 0012, or without the column, count as the job then
                // treated them: contactable.
                .extracting(r -> r.get("cart_id") + "=" + r.get("contactable"))
                .containsExactly("c1=1", "c2=1", "c3=1", "c4=0");
    }

    @Test
    void anEditedMigrationIsRefusedAndNothingIsApplied() {
        String database = CLICKHOUSE.newDatabase();
        List<Migration> migrations = Migrations.bundled();
        migrator(database).apply(migrations.subList(0, 1));
        Migration original = migrations.get(0);
        Migration edited =
                Migration.of(
                        original.file(),
                        original.sql() + "\nCREATE TABLE extra (x UInt8) ENGINE = Memory;\n");

        assertThatThrownBy(() -> migrator(database).apply(List.of(edited, migrations.get(1))))
                .isInstanceOf(ClickHouseException.class)
                .hasMessageStartingWith(
                        "0001_facts.sql changed since it was applied to " + database)
                .hasMessageEndingWith("put changes in a new migration")
                .message()
                .doesNotContain("\n");
        assertThat(CLICKHOUSE.rows(database, "SELECT version FROM schema_migrations")).hasSize(1);
        assertThat(CLICKHOUSE.rows(database, "EXISTS TABLE contact_attempts"))
                .singleElement()
                .satisfies(row -> assertThat(row.values()).containsExactly("0"));
    }

    @Test
    void anAmendedMigrationKeepsTheDatabasesThatAppliedTheTextItSupersedes() {
        String database = CLICKHOUSE.newDatabase();
        List<Migration> migrations = Migrations.bundled();
        Migration original = migrations.get(0);
        migrator(database).apply(List.of(original));
        Migration amended =
                Migration.of(
                        original.file(),
                        original.sql()
                                + "\n-- Amended: a comment only.\n-- supersedes checksum "
                                + original.checksum()
                                + "\n");
        assertThat(amended.supersededChecksums()).containsExactly(original.checksum());

        SchemaMigrator.Outcome outcome =
                migrator(database).apply(List.of(amended, migrations.get(1)));

        assertThat(outcome.applied()).containsExactly(migrations.get(1));
        assertThat(outcome.alreadyApplied()).isEqualTo(1);
        migrator(database).requireApplied(List.of(amended, migrations.get(1)));
        // Naming another text's checksum does not do.
        Migration other =
                Migration.of(
                        original.file(),
                        amended.sql() + "\n-- supersedes checksum " + "0".repeat(64) + "\n");
        String elsewhere = CLICKHOUSE.newDatabase();
        migrator(elsewhere).apply(List.of(amended));
        assertThatThrownBy(() -> migrator(elsewhere).apply(List.of(other)))
                .isInstanceOf(ClickHouseException.class)
                .hasMessageStartingWith("0001_facts.sql changed since it was applied");
    }

    @Test
    void statementsSplitOnSemicolonsOutsideQuotesAndComments() {
        Migration migration =
                Migration.of(
                        "0042_split.sql",
                        """
                        -- a comment; with a semicolon
                        CREATE TABLE a (x String COMMENT 'it''s; not -- the end') ENGINE = Memory;
                        /* block; comment */ SELECT 'a\\';b', `odd;name` FROM a;

                        ;
                        SELECT 1""");
        assertThat(migration.statements())
                .containsExactly(
                        "CREATE TABLE a (x String COMMENT 'it''s; not -- the end') ENGINE = Memory",
                        "SELECT 'a\\';b', `odd;name` FROM a",
                        "SELECT 1");
        assertThat(Migration.of("0042_split.sql", migration.sql().replace("\n", "\r\n")).checksum())
                .isEqualTo(migration.checksum());
        assertThatThrownBy(() -> Migration.of("42-split.sql", ""))
                .hasMessage("42-split.sql is not named NNNN_what.sql");
    }

    @Test
    void schemaApplyCommandAppliesThenIsUpToDate() {
        String database = CLICKHOUSE.newDatabase();
        String[] command = {
            "schema",
            "apply",
            "--clickhouse-url",
            CLICKHOUSE.url(),
            "-D",
            "clickhouse.database=" + database
        };
        assertThat(JobCli.execute(command)).isZero();
        assertThat(console.stdout())
                .isEqualTo(
                        "applied 0001_facts.sql (2 statements)\n"
                                + "applied 0002_outcomes.sql (3 statements)\n"
                                + "applied 0003_views.sql (20 statements)\n"
                                + "applied 0004_board_views.sql (2 statements)\n"
                                + "applied 0005_kpi_minute.sql (2 statements)\n"
                                + "applied 0006_contact_made.sql (7 statements)\n"
                                + "applied 0007_kpi_contacts.sql (5 statements)\n"
                                + "applied 0008_alerts.sql (2 statements)\n"
                                + "applied 0009_kpi_agents_alerts_roi.sql (22 statements)\n"
                                + "applied 0010_boards_at_scale.sql (3 statements)\n"
                                + "applied 0011_facts_by_key.sql (30 statements)\n"
                                + "applied 0012_contactable.sql (10 statements)\n"
                                + "applied 0013_boards_read_less.sql (9 statements)\n"
                                + database
                                + " at "
                                + CLICKHOUSE.url()
                                + ": 13 migrations applied now, 0 before\n");
        console.reset();
        assertThat(JobCli.execute(command)).isZero();
        assertThat(console.stdout())
                .isEqualTo(
                        database
                                + " at "
                                + CLICKHOUSE.url()
                                + ": up to date, 13 migrations applied before\n");
        assertThat(console.stderr()).isEmpty();
    }

    @Test
    void badOrUnreachableClickHouseIsAOneLineErrorNamingTheUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort;
        assertThat(JobCli.execute("schema", "apply", "--clickhouse-url", unreachable)).isEqualTo(2);
        assertThat(JobCli.execute("schema", "apply", "--clickhouse-url", "localhost:8123"))
                .isEqualTo(2);
        assertThat(JobCli.execute("schema", "apply")).isEqualTo(2);
        assertThat(console.stderr().lines().toList())
                .satisfiesExactly(
                        line ->
                                assertThat(line)
                                        .startsWith(
                                                "cart-recovery: cannot reach ClickHouse at "
                                                        + unreachable
                                                        + ": "),
                        line ->
                                assertThat(line)
                                        .isEqualTo(
                                                "cart-recovery: clickhouse.url: 'localhost:8123'"
                                                        + " is not an http(s)://HOST[:PORT] address"),
                        line ->
                                assertThat(line)
                                        .isEqualTo(
                                                "cart-recovery: where is ClickHouse? Give"
                                                        + " --clickhouse-url URL or set clickhouse.url"));
    }

    @Test
    void replayIntoADatabaseWithoutTheSchemaIsAOneLineError() throws IOException {
        String database = CLICKHOUSE.newDatabase();
        Path input = Files.writeString(dir.resolve("events.jsonl"), "");
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                input.toString(),
                                "--out",
                                dir.resolve("out").toString(),
                                "--clickhouse-url",
                                CLICKHOUSE.url(),
                                "-D",
                                "clickhouse.database=" + database))
                .isEqualTo(2);
        assertThat(console.stderr())
                .isEqualTo(
                        "cart-recovery: database "
                                + database
                                + " at "
                                + CLICKHOUSE.url()
                                + " lacks 0001_facts.sql, 0002_outcomes.sql, 0003_views.sql,"
                                + " 0004_board_views.sql, 0005_kpi_minute.sql,"
                                + " 0006_contact_made.sql, 0007_kpi_contacts.sql, 0008_alerts.sql,"
                                + " 0009_kpi_agents_alerts_roi.sql, 0010_boards_at_scale.sql,"
                                + " 0011_facts_by_key.sql, 0012_contactable.sql,"
                                + " 0013_boards_read_less.sql: run"
                                + " cart-recovery schema apply --clickhouse-url "
                                + CLICKHOUSE.url()
                                + " -D clickhouse.database="
                                + database
                                + "\n");
    }

    @Test
    void hashingCustomerIdsNeedsAKey() {
        assertThat(
                        JobCli.execute(
                                "schema",
                                "apply",
                                "--clickhouse-url",
                                CLICKHOUSE.url(),
                                "-D",
                                "clickhouse.hash-customer-ids=true"))
                .isEqualTo(2);
        assertThat(console.stderr())
                .isEqualTo(
                        "cart-recovery: clickhouse.hash-customer-ids needs a secret in"
                                + " clickhouse.hash-key\n");
    }
}
