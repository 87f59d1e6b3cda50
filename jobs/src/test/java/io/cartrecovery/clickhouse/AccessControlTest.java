package io.cartrecovery.clickhouse;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.cli.JobCli;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.launch.LocalClickHouse;
import io.cartrecovery.testing.ConsoleCapture;
import io.cartrecovery.testing.ReplayRun;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The ClickHouse users of {@code conf/clickhouse/users.d} (what docker compose mounts) on a real
 * ClickHouse 18.16 server: the read-only {@code grafana} user cannot lift its limits or its
 * read-only mode, call table functions, write or read other databases; the job's writer {@code
 * cart_recovery} writes and reads its database and nothing else; the admin {@code default} needs
 * its password; and a user's networks are enforced.
 *
 * <p>18.16 knows neither settings constraints nor grants (both came in later releases), so the test
 * gives it the files with those two left out and each user's grants turned into {@code
 * allow_databases} (the databases they name), which is 18.16's closest form; its networks become
 * localhost, where the test connects from. What 18.16 enforces then is {@code readonly 1} (every
 * SET and table function refused) and {@code allow_ddl 0}: the compose server (current LTS) has
 * those and the constraints and grants on top. One more user keeps the grafana user's networks as
 * the file has them, to show a connection from elsewhere is refused.
 */
class AccessControlTest {
    private static final Path USERS_D = repository().resolve("conf/clickhouse/users.d");
    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    private static final String GRAFANA_PASSWORD = "grafana-" + UUID.randomUUID();
    private static final String WRITER_PASSWORD = "writer-" + UUID.randomUUID();
    private static final String DATABASE = "cart_recovery";

    @TempDir static Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    private static LocalClickHouse server;

    @BeforeAll
    static void startClickHouseWithTheRepositorysUsers() throws Exception {
        Map<String, String> users = new LinkedHashMap<>();
        for (String file : List.of("default.xml", "grafana.xml", "writer.xml")) {
            users.put(file, for1816(USERS_D.resolve(file), file.equals("grafana.xml")));
        }
        server =
                LocalClickHouse.start(
                        dir.resolve("clickhouse"),
                        freePort(),
                        freePort(),
                        users,
                        Map.of(
                                "CLICKHOUSE_PASSWORD", ADMIN_PASSWORD,
                                "CLICKHOUSE_GRAFANA_PASSWORD", GRAFANA_PASSWORD,
                                "CLICKHOUSE_WRITER_PASSWORD", WRITER_PASSWORD));
        Path adminPassword = dir.resolve("admin-password");
        Files.writeString(adminPassword, ADMIN_PASSWORD + "\n");
        // The schema as compose applies it: the admin, its password from a file.
        assertThat(
                        JobCli.execute(
                                "schema",
                                "apply",
                                "--clickhouse-url",
                                server.url(),
                                "-D",
                                "clickhouse.password-file=" + adminPassword))
                .as("schema apply as the admin")
                .isZero();
        admin().execute(null, "CREATE DATABASE other");
        admin().execute(null, "CREATE TABLE other.secrets (s String) ENGINE = Memory");
        admin().execute(null, "INSERT INTO other.secrets VALUES ('not for the job')");
    }

    @AfterAll
    static void stopClickHouse() {
        if (server != null) {
            server.close();
        }
    }

    // ---------------------------------------------------------------------------------- grafana

    @Test
    void grafanaReadsTheFacts() {
        assertThat(
                        grafana()
                                .execute(DATABASE, "SELECT count() FROM abandoned_carts_latest")
                                .strip())
                .matches("\\d+");
        assertThat(grafana().execute(DATABASE, "SELECT count() FROM cart_outcomes").strip())
                .matches("\\d+");
    }

    @Test
    void grafanaCannotLiftItsLimitsOrItsReadOnlyMode() throws Exception {
        for (String set :
                List.of(
                        "SET max_execution_time = 0",
                        "SET max_memory_usage = 0",
                        "SET max_result_rows = 0",
                        "SET readonly = 0",
                        "SET readonly = 2")) {
            assertRefused(grafana(), set, "readonly mode");
        }
        // Settings sent with the query, as a client (the Grafana plugin) does.
        for (String setting :
                List.of("max_execution_time=0", "readonly=0", "readonly=2", "max_memory_usage=0")) {
            assertThat(withSetting("grafana", GRAFANA_PASSWORD, setting))
                    .as(setting)
                    .contains("readonly mode");
        }
    }

    @Test
    void grafanaCannotCallTableFunctions() {
        for (String query :
                List.of(
                        "SELECT * FROM url('" + server.url() + "/ping', TSV, 'x String')",
                        "SELECT * FROM remote('127.0.0.1', other.secrets)",
                        "SELECT * FROM file('users.xml', TSV, 'x String')",
                        "SELECT * FROM numbers(10)",
                        "SELECT * FROM merge('other', '.*')")) {
            assertRefused(grafana(), query, "Table functions are forbidden in readonly mode");
        }
    }

    @Test
    void grafanaCannotWriteOrChangeTheSchema() {
        assertRefused(
                grafana(),
                "INSERT INTO holdout (store_id, cart_id) VALUES ('s', 'c')",
                "readonly mode");
        assertRefused(grafana(), "CREATE TABLE x (a UInt8) ENGINE = Memory", "readonly mode");
        assertRefused(grafana(), "DROP TABLE holdout", "readonly mode");
        assertRefused(grafana(), "ALTER TABLE holdout DELETE WHERE 1", "readonly mode");
    }

    @Test
    void grafanaCannotReadOtherDatabases() {
        assertRefused(grafana(), "SELECT * FROM other.secrets", "Access denied to database other");
    }

    @Test
    void grafanaIsRefusedFromOtherNetworks() {
        // The same user with the file's networks (the grafana container only): localhost is not
        // among them.
        ClickHouseHttp asInCompose = as("grafana_as_in_compose", GRAFANA_PASSWORD);
        assertRefused(asInCompose, "SELECT 1", "grafana_as_in_compose");
    }

    // ---------------------------------------------------------------------------------- writer

    @Test
    void theJobWritesItsFactsAsTheWriter() throws Exception {
        Path writerPassword = dir.resolve("writer-password");
        Files.writeString(writerPassword, WRITER_PASSWORD);
        Map<String, String> settings = new HashMap<>();
        settings.put(ClickHouseOptions.URL.key(), server.url());
        settings.put(ClickHouseOptions.DATABASE.key(), DATABASE);
        settings.put(ClickHouseOptions.USER.key(), "cart_recovery");
        settings.put(ClickHouseOptions.PASSWORD_FILE.key(), writerPassword.toString());
        Path run = Files.createDirectories(dir.resolve("replay"));
        ReplayRun replay =
                ReplayRun.of(
                        run,
                        List.of(
                                add("p1", 1, "10.00").cart("writer-cart-1").atMinute(0).json(),
                                add("p1", 2, "10.00").cart("writer-cart-2").atMinute(0).json(),
                                clockAt(30)),
                        settings);
        assertThat(replay.abandoned).hasSize(2);
        assertThat(
                        admin().execute(
                                        DATABASE,
                                        "SELECT count() FROM abandoned_carts_latest WHERE cart_id"
                                                + " LIKE 'writer-cart-%'")
                                .strip())
                .isEqualTo("2");
        assertThat(
                        writer().execute(
                                        DATABASE,
                                        "SELECT count() FROM abandoned_carts_latest WHERE cart_id"
                                                + " LIKE 'writer-cart-%'")
                                .strip())
                .as("the writer reads its database")
                .isEqualTo("2");
    }

    @Test
    void theWriterTouchesNoOtherDatabase() {
        assertRefused(writer(), "SELECT * FROM other.secrets", "Access denied to database other");
        assertRefused(
                writer(),
                "INSERT INTO other.secrets VALUES ('x')",
                "Access denied to database other");
        assertRefused(writer(), "CREATE DATABASE mine", "DDL queries are prohibited");
    }

    @Test
    void theWriterCannotChangeTheSchema() {
        assertRefused(
                writer(), "CREATE TABLE x (a UInt8) ENGINE = Memory", "DDL queries are prohibited");
        assertRefused(writer(), "DROP TABLE holdout", "DDL queries are prohibited");
        assertRefused(writer(), "SET allow_ddl = 1", "allow_ddl");
    }

    // ---------------------------------------------------------------------------------- admin

    @Test
    void eachUserNeedsItsPassword() {
        assertRefused(as("default", ""), "SELECT 1", "Password required");
        assertRefused(as("grafana", "wrong"), "SELECT 1", "Wrong password");
        assertRefused(as("cart_recovery", GRAFANA_PASSWORD), "SELECT 1", "Wrong password");
    }

    @Test
    void aWrongPasswordIsNeverPrinted() throws Exception {
        Path wrong = dir.resolve("wrong-password");
        String secret = "wrong-" + UUID.randomUUID();
        Files.writeString(wrong, secret);
        int exit =
                JobCli.execute(
                        "schema",
                        "apply",
                        "--clickhouse-url",
                        server.url(),
                        "-D",
                        "clickhouse.password-file=" + wrong);
        assertThat(exit).isNotZero();
        assertThat(console.stderr()).contains("cart-recovery:").doesNotContain(secret);
        assertThat(console.stdout()).doesNotContain(secret);
    }

    // ---------------------------------------------------------------------------------------

    private static void assertRefused(ClickHouseHttp client, String sql, String because) {
        assertThatThrownBy(() -> client.execute(DATABASE, sql))
                .as(sql)
                .isInstanceOf(ClickHouseException.class)
                .hasMessageContaining(because);
    }

    /** The body of {@code SELECT 1} sent over HTTP with a setting in the URL, as clients do. */
    private static String withSetting(String user, String password, String setting)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(server.url() + "/?" + setting))
                        .header("X-ClickHouse-User", user)
                        .header("X-ClickHouse-Key", password)
                        .POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
                        .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static ClickHouseHttp admin() {
        return as("default", ADMIN_PASSWORD);
    }

    private static ClickHouseHttp grafana() {
        return as("grafana", GRAFANA_PASSWORD);
    }

    private static ClickHouseHttp writer() {
        return as("cart_recovery", WRITER_PASSWORD);
    }

    private static ClickHouseHttp as(String user, String password) {
        Path file = dir.resolve("password-" + UUID.randomUUID());
        try {
            Files.writeString(file, password);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> settings = new HashMap<>();
        settings.put(ClickHouseOptions.URL.key(), server.url());
        settings.put(ClickHouseOptions.USER.key(), user);
        settings.put(ClickHouseOptions.PASSWORD_FILE.key(), file.toString());
        return new ClickHouseHttp(
                ClickHouseSettings.from(Configs.load(null, settings)).orElseThrow());
    }

    /**
     * A users file of {@code conf/clickhouse/users.d} in the form ClickHouse 18.16 reads: without
     * settings constraints, grants as {@code allow_databases}, and localhost as every user's
     * network; with {@code keepNetworksOf}, a copy of each user under {@code NAME_as_in_compose}
     * with the file's networks as they are.
     */
    private static String for1816(Path file, boolean keepNetworks) throws Exception {
        Document doc =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        for (Element constraints : elements(doc, "constraints")) {
            constraints.getParentNode().removeChild(constraints);
        }
        Pattern grant = Pattern.compile("(?i)\\bON\\s+([A-Za-z_][A-Za-z0-9_]*)\\.\\*");
        for (Element grants : elements(doc, "grants")) {
            Element allow = doc.createElement("allow_databases");
            for (Element query : children(grants, "query")) {
                Matcher m = grant.matcher(query.getTextContent());
                assertThat(m.find())
                        .as("a grant on one database: %s", query.getTextContent())
                        .isTrue();
                Element database = doc.createElement("database");
                database.setTextContent(m.group(1));
                allow.appendChild(database);
            }
            grants.getParentNode().replaceChild(allow, grants);
        }
        Element users = children(doc.getDocumentElement(), "users").get(0);
        for (Element user : children(users, null)) {
            if (keepNetworks) {
                Element copy = (Element) user.cloneNode(true);
                doc.renameNode(copy, null, user.getTagName() + "_as_in_compose");
                users.appendChild(copy);
            }
            for (Element networks : children(user, "networks")) {
                if (networks.getTextContent().contains("127.0.0.1")) {
                    continue;
                }
                while (networks.getFirstChild() != null) {
                    networks.removeChild(networks.getFirstChild());
                }
                Element ip = doc.createElement("ip");
                ip.setTextContent("127.0.0.1");
                networks.appendChild(ip);
            }
        }
        StringWriter out = new StringWriter();
        TransformerFactory.newInstance()
                .newTransformer()
                .transform(new DOMSource(doc), new StreamResult(out));
        return out.toString();
    }

    private static List<Element> elements(Document doc, String name) {
        NodeList nodes = doc.getElementsByTagName(name);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                elements.add(e);
            }
        }
        return elements;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("docker-compose.yml"))) {
            here = here.getParent();
        }
        return here;
    }
}
