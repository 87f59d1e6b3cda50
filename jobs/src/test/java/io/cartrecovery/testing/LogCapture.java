package io.cartrecovery.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything the test JVM logs at INFO and above while it is open (the level a Flink distribution
 * logs at; the tests' own configuration keeps WARN), kept in memory instead of the console: each
 * event's logger, formatted message and stack trace. For tests that check what never reaches a log
 * (credentials, personal data).
 */
public final class LogCapture implements AutoCloseable {
    private final StringBuilder text = new StringBuilder();
    private final LoggerContext context;
    private final Appender appender;
    private final Map<String, Level> levels = new HashMap<>();
    private final Map<String, Appender> consoles = new HashMap<>();

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        appender =
                new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        StringBuilder line = new StringBuilder();
                        line.append(event.getLevel())
                                .append(' ')
                                .append(event.getLoggerName())
                                .append(" - ")
                                .append(event.getMessage().getFormattedMessage())
                                .append('\n');
                        if (event.getThrown() != null) {
                            StringWriter trace = new StringWriter();
                            event.getThrown().printStackTrace(new PrintWriter(trace));
                            line.append(trace);
                        }
                        synchronized (text) {
                            text.append(line);
                        }
                    }
                };
        appender.start();
        Configuration config = context.getConfiguration();
        for (LoggerConfig logger : config.getLoggers().values()) {
            levels.put(logger.getName(), logger.getLevel());
            logger.setLevel(Level.INFO);
        }
        LoggerConfig root = config.getRootLogger();
        consoles.putAll(root.getAppenders());
        consoles.keySet().forEach(root::removeAppender);
        root.addAppender(appender, Level.INFO, null);
        context.updateLoggers();
    }

    /** Starts capturing; close to give the console its logs back. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** What was logged so far. */
    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(appender.getName());
        consoles.values().forEach(console -> root.addAppender(console, null, null));
        for (LoggerConfig logger : config.getLoggers().values()) {
            Level level = levels.get(logger.getName());
            if (level != null) {
                logger.setLevel(level);
            }
        }
        context.updateLoggers();
        appender.stop();
    }
}
