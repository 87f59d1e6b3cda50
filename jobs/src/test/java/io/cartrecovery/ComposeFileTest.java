package io.cartrecovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cartrecovery.config.KafkaOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code docker-compose.yml} and {@code .env}, checked without a Docker engine (none runs here):
 * the file parses, every image is pinned, the Flink image is the pom's Flink version, every mounted
 * host path exists, every service has a healthcheck and waits for what it needs, no password is
 * written into the files, and Grafana and ClickHouse get what their provisioning files read.
 * Whether the images start and work together is not checked here.
 */
class ComposeFileTest {
    private static final Set<String> CONDITIONS =
            Set.of("service_started", "service_healthy", "service_completed_successfully");

    /** An exact version: at least major.minor.patch, then an optional variant suffix. */
    private static final Pattern EXACT_TAG =
            Pattern.compile("\\d+\\.\\d+\\.\\d+(\\.\\d+)*([-_][A-Za-z0-9._-]+)?");

    /** A compose variable reference (not an escaped {@code $$}), with its name. */
    private static final Pattern VARIABLE =
            Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)}");

    /** A required variable and nothing else: {@code ${NAME:?message}}. */
    private static final Pattern REQUIRED_VARIABLE =
            Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*:\\?[^}]*}");

    private static Path root;
    private static JsonNode compose;
    private static JsonNode services;
    private static String composeText;
    private static Map<String, String> env;

    @BeforeAll
    static void load() throws IOException {
        root = repositoryRoot();
        composeText = Files.readString(root.resolve("docker-compose.yml"));
        compose = new ObjectMapper(new YAMLFactory()).readTree(composeText);
        services = compose.path("services");
        env = dotEnv(root.resolve(".env"));
    }

    @Test
    void parsesWithServices() {
        assertThat(compose.isObject()).as("docker-compose.yml is a mapping").isTrue();
        assertThat(services.isObject()).as("services").isTrue();
        assertThat(names(services))
                .contains(
                        "kafka",
                        "kafka-init",
                        "builder",
                        "clickhouse",
                        "clickhouse-schema",
                        "jobmanager",
                        "taskmanager",
                        "job-submit",
                        "generator",
                        "dialer",
                        "grafana");
        // Anchors and merge keys are left out, so what a service runs is what its entry says.
        assertThat(composeText).doesNotContain("<<:");
    }

    @Test
    void everyImageIsPinnedToAnExactTag() {
        for (String name : names(services)) {
            JsonNode service = services.get(name);
            assertThat(service.has("build")).as("%s builds an image", name).isFalse();
            String image = service.path("image").asText("");
            assertThat(image).as("%s: image", name).isNotEmpty().doesNotContain("$");
            assertThat(image).as("%s: image by digest only", name).doesNotContain("@");
            String tag = tag(image);
            assertThat(tag).as("%s: %s has a tag", name, image).isNotNull();
            assertThat(tag).as("%s: %s", name, image).isNotEqualTo("latest");
            assertThat(EXACT_TAG.matcher(tag).matches())
                    .as("%s: tag of %s is an exact version (x.y.z...)", name, image)
                    .isTrue();
        }
    }

    @Test
    void flinkAndKafkaImagesAreThePomsVersions() throws Exception {
        Map<String, String> pom = pomProperties(root.resolve("pom.xml"));
        String flinkTag = pom.get("flink.version") + "-java" + pom.get("maven.compiler.release");
        List<String> flinkServices = new ArrayList<>();
        for (String name : names(services)) {
            String image = services.get(name).path("image").asText();
            if (repository(image).equals("flink")) {
                assertThat(tag(image)).as("%s: %s", name, image).isEqualTo(flinkTag);
                flinkServices.add(name);
            }
            if (repository(image).equals("apache/kafka")) {
                assertThat(tag(image))
                        .as("%s: %s", name, image)
                        .isEqualTo(pom.get("kafka.version"));
            }
        }
        assertThat(flinkServices).contains("jobmanager", "taskmanager");
    }

    @Test
    void everyBindMountExistsAndEveryVolumeIsDeclared() {
        Set<String> declared = names(compose.path("volumes"));
        Set<String> used = new HashSet<>();
        for (String name : names(services)) {
            for (Mount mount : mounts(services.get(name))) {
                if (mount.bind()) {
                    assertThat(mount.source())
                            .as("%s: bind mounts are paths of this repository", name)
                            .startsWith(".");
                    Path host = root.resolve(mount.source()).normalize();
                    assertThat(host.startsWith(root))
                            .as("%s: %s stays inside the repository", name, mount.source())
                            .isTrue();
                    assertThat(host).as("%s: mounted host path", name).exists();
                } else {
                    assertThat(declared)
                            .as("%s: named volume %s is declared", name, mount.source())
                            .contains(mount.source());
                    used.add(mount.source());
                }
            }
        }
        assertThat(used).as("declared volumes that no service mounts").isEqualTo(declared);
    }

    @Test
    void everyServiceHasAHealthcheckAndOneShotsDoNotRestart() {
        Set<String> oneShots = oneShots();
        assertThat(oneShots)
                .as("one-shot services (others wait for them to complete)")
                .containsExactlyInAnyOrder(
                        "kafka-init", "builder", "clickhouse-schema", "job-submit");
        for (String name : names(services)) {
            JsonNode service = services.get(name);
            JsonNode healthcheck = service.path("healthcheck");
            assertThat(healthcheck.isObject()).as("%s: healthcheck", name).isTrue();
            assertThat(healthcheck.path("disable").asBoolean(false))
                    .as("%s: healthcheck disabled", name)
                    .isFalse();
            assertThat(healthcheck.path("test").isMissingNode())
                    .as("%s: healthcheck test", name)
                    .isFalse();
            if (oneShots.contains(name)) {
                assertThat(service.path("restart").asText("no"))
                        .as("%s: a one-shot must not be restarted", name)
                        .isEqualTo("no");
            } else {
                assertThat(isTrivial(healthcheck))
                        .as("%s: a long-running service checks something real", name)
                        .isFalse();
            }
        }
    }

    @Test
    void everyDependencyNamesAServiceWithAValidCondition() {
        Set<String> all = names(services);
        Set<String> oneShots = oneShots();
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        for (String name : all) {
            JsonNode dependsOn = services.get(name).path("depends_on");
            graph.put(name, new LinkedHashSet<>());
            if (dependsOn.isMissingNode()) {
                continue;
            }
            assertThat(dependsOn.isObject())
                    .as("%s: depends_on lists conditions (long form)", name)
                    .isTrue();
            for (String dependency : names(dependsOn)) {
                assertThat(all).as("%s depends on", name).contains(dependency);
                assertThat(dependency).as("%s depends on itself", name).isNotEqualTo(name);
                String condition = dependsOn.get(dependency).path("condition").asText("");
                assertThat(CONDITIONS)
                        .as("%s -> %s: condition", name, dependency)
                        .contains(condition);
                if (condition.equals("service_healthy")) {
                    assertThat(isTrivial(services.get(dependency).path("healthcheck")))
                            .as("%s waits for %s to be healthy: a real check", name, dependency)
                            .isFalse();
                }
                if (condition.equals("service_completed_successfully")) {
                    assertThat(oneShots)
                            .as("%s waits for %s to end", name, dependency)
                            .contains(dependency);
                }
                graph.get(name).add(dependency);
            }
        }
        assertThat(cycle(graph)).as("a dependency cycle").isEmpty();
    }

    @Test
    void noPasswordIsWrittenDown() {
        for (String name : names(services)) {
            environment(services.get(name))
                    .forEach(
                            (key, value) -> {
                                if (key.toUpperCase().contains("PASSWORD")) {
                                    assertThat(value)
                                            .as("%s: %s comes from a required variable", name, key)
                                            .matches(REQUIRED_VARIABLE);
                                }
                            });
        }
        // No password in a command, not even from a variable ($$VAR is expanded into the process
        // arguments, which every user of the machine sees): the commands name the variable
        // (clickhouse.password-env) and the program reads it.
        Matcher inline = Pattern.compile("(?i)password=([^\\s\"']*)").matcher(composeText);
        while (inline.find()) {
            assertThat(inline.group()).as("a password in a command").isNull();
        }
        // Nor is one committed in .env: the user sets them.
        env.forEach(
                (key, value) -> {
                    if (key.toUpperCase().contains("PASSWORD")) {
                        assertThat(value).as(".env: %s is left empty", key).isEmpty();
                    }
                });
    }

    @Test
    void everyVariableIsInDotEnv() {
        Matcher variable = VARIABLE.matcher(composeText);
        Set<String> missing = new TreeSet<>();
        while (variable.find()) {
            if (!env.containsKey(variable.group(1))) {
                missing.add(variable.group(1));
            }
        }
        assertThat(missing).as("variables of docker-compose.yml not listed in .env").isEmpty();
    }

    @Test
    void servicesReachEachOtherByServiceName() {
        Pattern address =
                Pattern.compile("(?:bootstrap-servers[= ]|https?://)([a-z][a-z0-9-]*):\\d+");
        Matcher m = address.matcher(composeText);
        Set<String> hosts = new TreeSet<>();
        while (m.find()) {
            hosts.add(m.group(1));
        }
        hosts.removeAll(Set.of("localhost"));
        assertThat(hosts).isNotEmpty();
        assertThat(names(services)).containsAll(hosts);
    }

    @Test
    void kafkaInitCreatesTheJobsTopics() {
        String command = text(services.get("kafka-init").path("command"));
        for (String topic :
                List.of(
                        KafkaOptions.CLICKSTREAM_TOPIC.defaultValue(),
                        KafkaOptions.CONTACT_OUTCOMES_TOPIC.defaultValue(),
                        KafkaOptions.CONTACT_TASKS_TOPIC.defaultValue(),
                        KafkaOptions.TASK_EVENTS_TOPIC.defaultValue(),
                        KafkaOptions.ABANDONED_CARTS_TOPIC.defaultValue(),
                        KafkaOptions.ALERTS_TOPIC.defaultValue(),
                        KafkaOptions.DEAD_LETTER_TOPIC.defaultValue())) {
            assertThat(command)
                    .as("kafka-init creates %s", topic)
                    .containsPattern("(?<![\\w-])" + Pattern.quote(topic) + ":\\d+");
        }
    }

    @Test
    void kafkaInitCreatesCompactedProfilesAndAgentsTopics() {
        String command = text(services.get("kafka-init").path("command"));
        for (String topic :
                List.of(
                        KafkaOptions.CUSTOMER_PROFILES_TOPIC.defaultValue(),
                        KafkaOptions.AGENTS_TOPIC.defaultValue())) {
            assertThat(command)
                    .as("kafka-init creates %s compacted", topic)
                    .containsPattern(
                            "--topic "
                                    + Pattern.quote(topic)
                                    + " [^\\n]*\\\\\\s*--config cleanup.policy=compact");
        }
    }

    @Test
    void kafkaInitPublishesTheDemoRosterKeyedByAgent() {
        String command = text(services.get("kafka-init").path("command"));
        assertThat(mounts(services.get("kafka-init")))
                .anySatisfy(m -> assertThat(m.source()).isEqualTo("./conf/demo-agents.jsonl"));
        assertThat(command)
                .contains("/conf/demo-agents.jsonl")
                .containsPattern(
                        "--topic "
                                + Pattern.quote(KafkaOptions.AGENTS_TOPIC.defaultValue())
                                + "\\s[^\n]*\\\\\\s*--property parse.key=true");
    }

    @Test
    void dialerRunsLikeTheGeneratorAgainstTheJobsTopics() {
        JsonNode dialer = services.get("dialer");
        JsonNode generator = services.get("generator");
        assertThat(dialer.path("image").asText()).isEqualTo(generator.path("image").asText());
        assertThat(names(dialer.path("depends_on"))).isEqualTo(names(generator.path("depends_on")));
        String command = text(dialer.path("command"));
        assertThat(command)
                .contains("dialer-sim --bootstrap-servers kafka:9092")
                // The generator's speeds, so outcomes come as late as they would at its pace.
                .contains(
                        "--speed ${GENERATOR_HISTORY_SPEED:-60} --duration ${GENERATOR_HISTORY:-10m}")
                .contains("--speed 1");
        assertThat(text(generator.path("command")))
                .contains(
                        "--speed ${GENERATOR_HISTORY_SPEED:-60} --duration ${GENERATOR_HISTORY:-10m}");
    }

    @Test
    void flinkClusterSharesItsSettingsAndCheckpointVolume() {
        String jm = environment(services.get("jobmanager")).get("FLINK_PROPERTIES");
        String tm = environment(services.get("taskmanager")).get("FLINK_PROPERTIES");
        assertThat(jm).isNotBlank().isEqualTo(tm).contains("jobmanager.rpc.address: jobmanager");
        Matcher dir =
                Pattern.compile("execution\\.checkpointing\\.dir: file://(/\\S+)").matcher(jm);
        assertThat(dir.find()).as("checkpoint dir").isTrue();
        for (String name : List.of("jobmanager", "taskmanager")) {
            assertThat(mounts(services.get(name)))
                    .as("%s mounts the checkpoint dir from a named volume", name)
                    .anyMatch(m -> !m.bind() && dir.group(1).startsWith(m.target()));
        }
    }

    @Test
    void grafanaGetsWhatItsProvisioningReads() throws Exception {
        JsonNode grafana = services.get("grafana");
        Map<String, String> grafanaEnv = environment(grafana);
        Map<String, Path> mounted = new LinkedHashMap<>();
        for (Mount mount : mounts(grafana)) {
            if (mount.bind()) {
                mounted.put(mount.target(), root.resolve(mount.source()).normalize());
            }
        }
        Path provisioning = mounted.get("/etc/grafana/provisioning");
        assertThat(provisioning)
                .as("provisioning mounted at /etc/grafana/provisioning")
                .isNotNull();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

        Path datasources = provisioning.resolve("datasources/clickhouse.yaml");
        assertThat(datasources).exists();
        String datasourceText = Files.readString(datasources);
        Matcher variable = VARIABLE.matcher(datasourceText);
        while (variable.find()) {
            assertThat(grafanaEnv)
                    .as("grafana's environment for %s", datasources)
                    .containsKey(variable.group(1));
        }
        String pluginId =
                yaml.readTree(datasourceText).path("datasources").get(0).path("type").asText();
        String plugins =
                grafanaEnv.getOrDefault(
                        "GF_PLUGINS_PREINSTALL_SYNC",
                        grafanaEnv.getOrDefault("GF_PLUGINS_PREINSTALL", ""));
        assertThat(plugins)
                .as("the datasource's plugin is installed, pinned")
                .containsPattern(Pattern.quote(pluginId) + "@\\d+\\.\\d+\\.\\d+");

        Path providers = provisioning.resolve("dashboards/cart-recovery.yaml");
        assertThat(providers).exists();
        assertThat(provisioning.resolve("alerting/cart-recovery.yaml")).exists();
        for (JsonNode provider : yaml.readTree(providers.toFile()).path("providers")) {
            String path = provider.path("options").path("path").asText();
            Path boards = mounted.get(path);
            assertThat(boards).as("the file provider's %s is mounted", path).isNotNull();
            try (var files = Files.list(boards)) {
                assertThat(files.filter(f -> f.toString().endsWith(".json")))
                        .as("boards in %s", boards)
                        .isNotEmpty();
            }
        }
    }

    @Test
    void clickHouseGetsItsUsersPasswordsFromTheEnvironment() throws Exception {
        JsonNode clickhouse = services.get("clickhouse");
        Map<String, Path> usersFiles = new TreeMap<>();
        for (Mount mount : mounts(clickhouse)) {
            if (mount.bind() && mount.target().startsWith("/etc/clickhouse-server/users.d/")) {
                usersFiles.put(
                        mount.target().substring(mount.target().lastIndexOf('/') + 1),
                        root.resolve(mount.source()).normalize());
            }
        }
        assertThat(usersFiles)
                .as("the users of conf/clickhouse/users.d mounted")
                .containsOnlyKeys("default.xml", "grafana.xml", "writer.xml");
        // Without it the image's entrypoint opens `default` to every network (::/0).
        assertThat(environment(clickhouse)).containsEntry("CLICKHOUSE_SKIP_USER_SETUP", "1");
        Map<String, String> clickhouseEnv = environment(clickhouse);
        for (Path usersXml : usersFiles.values()) {
            Document doc = xml(usersXml);
            NodeList passwords = doc.getElementsByTagName("password");
            assertThat(passwords.getLength()).as("%s: passwords", usersXml).isPositive();
            for (int i = 0; i < passwords.getLength(); i++) {
                String fromEnv = ((Element) passwords.item(i)).getAttribute("from_env");
                assertThat(fromEnv)
                        .as("%s: the password is read from the environment", usersXml)
                        .isNotEmpty();
                assertThat(clickhouseEnv).containsKey(fromEnv);
            }
            NodeList networks = doc.getElementsByTagName("networks");
            for (int i = 0; i < networks.getLength(); i++) {
                assertThat(networks.item(i).getTextContent())
                        .as("%s: no user open to every network", usersXml)
                        .doesNotContain("::/0")
                        .doesNotContain("0.0.0.0/0");
            }
        }
        assertThat(
                        mounts(clickhouse).stream()
                                .filter(
                                        m ->
                                                m.target()
                                                        .startsWith(
                                                                "/etc/clickhouse-server/config.d/"))
                                .map(Mount::source))
                .containsExactly("./conf/clickhouse/config.d/access.xml");
    }

    /**
     * Each job user's password reaches the program that uses it through the environment: the job
     * writes as the writer user, `schema apply` as the admin, each naming its variable.
     */
    @Test
    void theJobWritesAsTheWriterUserWithItsPasswordFromTheEnvironment() {
        String submit = services.get("job-submit").path("command").toString();
        assertThat(submit)
                .contains("clickhouse.user=cart_recovery")
                .contains("clickhouse.password-env=CLICKHOUSE_WRITER_PASSWORD");
        assertThat(environment(services.get("job-submit")))
                .containsKey("CLICKHOUSE_WRITER_PASSWORD");
        String schema = services.get("clickhouse-schema").path("command").toString();
        assertThat(schema).contains("clickhouse.password-env=CLICKHOUSE_PASSWORD");
        assertThat(environment(services.get("clickhouse-schema")))
                .containsKey("CLICKHOUSE_PASSWORD");
    }

    // ---------------------------------------------------------------------------------------

    private record Mount(String source, String target, boolean bind) {}

    private static List<Mount> mounts(JsonNode service) {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode volume : service.path("volumes")) {
            if (volume.isTextual()) {
                String[] parts = volume.asText().split(":");
                assertThat(parts.length).as("volume %s", volume).isBetween(2, 3);
                boolean bind = parts[0].startsWith(".") || parts[0].startsWith("/");
                mounts.add(new Mount(parts[0], parts[1], bind));
            } else {
                String type = volume.path("type").asText("volume");
                mounts.add(
                        new Mount(
                                volume.path("source").asText(),
                                volume.path("target").asText(),
                                type.equals("bind")));
            }
        }
        return mounts;
    }

    /** Services that others wait for with {@code service_completed_successfully}. */
    private static Set<String> oneShots() {
        Set<String> oneShots = new TreeSet<>();
        for (String name : names(services)) {
            JsonNode dependsOn = services.get(name).path("depends_on");
            for (String dependency : names(dependsOn)) {
                if (dependsOn
                        .get(dependency)
                        .path("condition")
                        .asText()
                        .equals("service_completed_successfully")) {
                    oneShots.add(dependency);
                }
            }
        }
        return oneShots;
    }

    private static boolean isTrivial(JsonNode healthcheck) {
        String test = text(healthcheck.path("test")).trim();
        return test.isEmpty() || test.equals("CMD true") || test.equals("CMD-SHELL true");
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        } else {
            for (JsonNode entry : node) {
                String[] kv = entry.asText().split("=", 2);
                environment.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return environment;
    }

    private static String text(JsonNode node) {
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.asText()));
            return String.join(" ", parts);
        }
        return node.asText("");
    }

    private static Set<String> names(JsonNode mapping) {
        Set<String> names = new LinkedHashSet<>();
        mapping.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String repository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    private static String tag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : null;
    }

    /** A dependency cycle as a list of services, or empty. */
    private static List<String> cycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new LinkedHashMap<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(
            String node,
            Map<String, Set<String>> graph,
            Map<String, Integer> state,
            List<String> path) {
        int s = state.getOrDefault(node, 0);
        if (s == 2) {
            return false;
        }
        path.add(node);
        if (s == 1) {
            return true;
        }
        state.put(node, 1);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        state.put(node, 2);
        path.remove(path.size() - 1);
        return false;
    }

    private static Map<String, String> dotEnv(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            assertThat(eq).as(".env line %s is KEY=VALUE", line).isPositive();
            values.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
        }
        return values;
    }

    private static Map<String, String> pomProperties(Path pom) throws Exception {
        Element properties =
                (Element) xml(pom).getDocumentElement().getElementsByTagName("properties").item(0);
        Map<String, String> values = new LinkedHashMap<>();
        NodeList children = properties.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e) {
                values.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        return values;
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docker-compose.yml"))
                    && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new AssertionError("no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }
}
