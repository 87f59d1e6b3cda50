package io.cartrecovery.demo.cli;

import io.cartrecovery.cli.CommandFailure;
import io.cartrecovery.cli.UsageProblem;
import io.cartrecovery.config.KafkaOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Kafka's own command-line tools, run from the local-kafka module's classpath (the broker the demo
 * runs), so a dialer integrator needs no Kafka download to read the tasks as a dialer would.
 */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = {
            "Kafka's own command-line tools against the demo's broker (or any other):"
                    + " console-consumer, console-producer, consumer-groups, topics. Everything"
                    + " after the tool's name goes to the tool as it is; --bootstrap-server is"
                    + " localhost:9092 unless given. The tool's own help: kafka TOOL --help.",
            "Example: kafka console-consumer --topic contact-tasks --isolation-level"
                    + " read_committed --from-beginning"
        })
final class KafkaCommand implements Callable<Integer> {
    /** The tools by their command name, as Kafka's scripts call them without kafka- and .sh. */
    static final Map<String, String> TOOLS = new LinkedHashMap<>();

    static {
        TOOLS.put("console-consumer", "org.apache.kafka.tools.consumer.ConsoleConsumer");
        TOOLS.put("console-producer", "org.apache.kafka.tools.ConsoleProducer");
        TOOLS.put("consumer-groups", "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand");
        TOOLS.put("topics", "org.apache.kafka.tools.TopicCommand");
    }

    private static final String BOOTSTRAP = "--bootstrap-server";

    @Spec CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "TOOL",
            description = "console-consumer, console-producer, consumer-groups or topics.")
    String tool;

    @Parameters(
            index = "1..*",
            paramLabel = "ARG",
            description = "The tool's own options, e.g. --topic contact-tasks.")
    List<String> toolArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String mainClass = TOOLS.get(tool);
        if (mainClass == null) {
            throw new UsageProblem(
                    "unknown Kafka tool '"
                            + tool
                            + "' (tools: "
                            + String.join(", ", TOOLS.keySet())
                            + "); see 'cart-recovery kafka --help'");
        }
        Path home = Path.of(System.getProperty("cartrecovery.home", ".")).toAbsolutePath();
        Path classpathFile = home.resolve("local-kafka/target/classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new CommandFailure(
                    "Kafka's tools are not built ("
                            + classpathFile
                            + " is missing): run `mvn -q -DskipTests package` in "
                            + home);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        Path logging = home.resolve("conf/log4j2.properties");
        if (Files.isRegularFile(logging)) {
            command.add("-Dlog4j.configurationFile=" + logging);
        }
        command.add("-cp");
        command.add(Files.readString(classpathFile).strip());
        command.add(mainClass);
        command.addAll(withBootstrap(toolArgs));
        return run(command);
    }

    /** The tool's arguments, with the demo's broker unless they name one. */
    static List<String> withBootstrap(List<String> args) {
        boolean named =
                args.stream().anyMatch(a -> a.equals(BOOTSTRAP) || a.startsWith(BOOTSTRAP + "="));
        boolean help = args.stream().anyMatch(a -> a.equals("--help") || a.equals("--version"));
        if (named || help) {
            return args;
        }
        List<String> all =
                new ArrayList<>(List.of(BOOTSTRAP, KafkaOptions.BOOTSTRAP_SERVERS.defaultValue()));
        all.addAll(args);
        return all;
    }

    private int run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        // Only the producer reads the terminal; the others get an empty input.
        if (tool.equals("console-producer")) {
            builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
        }
        Process process = builder.start();
        if (!tool.equals("console-producer")) {
            process.getOutputStream().close();
        }
        // Ctrl-C reaches the tool too; this only makes sure it does not outlive the command.
        Thread stop =
                new Thread(
                        () -> {
                            process.destroy();
                            try {
                                process.waitFor(5, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "kafka-tool-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        Thread out = copy(process.getInputStream(), spec.commandLine().getOut(), "stdout");
        Thread err = copy(process.getErrorStream(), spec.commandLine().getErr(), "stderr");
        try {
            int exit = process.waitFor();
            out.join();
            err.join();
            return exit;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // The JVM is shutting down and the hook is running.
            }
        }
    }

    /** Passes what the tool prints on as it comes (a console consumer prints until stopped). */
    private static Thread copy(InputStream from, PrintWriter to, String name) {
        Thread thread =
                new Thread(
                        () -> {
                            try (Reader reader =
                                    new InputStreamReader(from, StandardCharsets.UTF_8)) {
                                char[] buffer = new char[8192];
                                for (int n; (n = reader.read(buffer)) >= 0; ) {
                                    to.write(buffer, 0, n);
                                    to.flush();
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        "kafka-tool-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
