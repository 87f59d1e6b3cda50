package io.cartrecovery.scripts;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.ExtendCode;
import com.github.mustachejava.codes.ExtendNameCode;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.PartialCode;
import com.github.mustachejava.codes.ValueCode;
import io.cartrecovery.settings.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The template texts of every store and language: the shipped defaults (resources {@code
 * scripts/LANG/NAME.mustache}) and a store's own files from {@code scripts.templates-dir}. They are
 * read and compiled once at job start, so a broken file stops the start with its name; the texts
 * then travel with the job graph, so task managers need no access to the folder.
 */
public final class Templates implements Serializable {
    /** The setting that names a store's template folder; errors name it. */
    public static final String SETTING = "scripts.templates-dir";

    static final String FALLBACK_LANGUAGE = "en";
    static final List<String> SHIPPED_LANGUAGES = List.of("en", "es", "de", "fr", "it", "pt", "nl");

    /** Every template a language needs, in checklist order for the call steps. */
    static final List<String> NAMES =
            List.of(
                    "greeting",
                    "products",
                    "open_question",
                    "objection_unexpected_costs",
                    "objection_payment_problem",
                    "objection_complicated_checkout",
                    "objection_unknown",
                    "incentive",
                    "next_steps",
                    "close",
                    "message_whatsapp",
                    "message_sms",
                    "message_email",
                    "email_subject");

    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
    private static final String SUFFIX = ".mustache";

    /**
     * @param text the template
     * @param origin the resource or file it came from, for error messages
     */
    record Source(String text, String origin) implements Serializable {}

    /** Keys: {@code shipped/LANG/NAME}, {@code all/LANG/NAME}, {@code store/STORE/LANG/NAME}. */
    private final Map<String, Source> sources;

    private Templates(Map<String, Source> sources) {
        this.sources = Map.copyOf(sources);
    }

    /**
     * @param dir a store's template folder, or null for the shipped templates alone
     * @throws ConfigException one line naming the setting and the file at fault
     */
    public static Templates load(String dir) {
        Map<String, Source> sources = new HashMap<>();
        for (String language : SHIPPED_LANGUAGES) {
            for (String name : NAMES) {
                String resource = "scripts/" + language + "/" + name + SUFFIX;
                sources.put("shipped/" + language + "/" + name, resource(resource));
            }
        }
        if (dir != null && !dir.isBlank()) {
            readFolder(Path.of(dir.strip()), sources);
        }
        Templates templates = new Templates(sources);
        templates.sources.values().forEach(Templates::compile);
        return templates;
    }

    /**
     * The template a store uses for a language: its own file, else the folder's file for all
     * stores, else the shipped one; null when none exists.
     */
    Source find(String store, String language, String name) {
        Source source = sources.get("store/" + store + "/" + language + "/" + name);
        if (source == null) {
            source = sources.get("all/" + language + "/" + name);
        }
        if (source == null) {
            source = sources.get("shipped/" + language + "/" + name);
        }
        return source;
    }

    /** Whether every template of a language is there for a store: else scripts fall back. */
    boolean complete(String store, String language) {
        return NAMES.stream().allMatch(name -> find(store, language, name) != null);
    }

    private static Source resource(String path) {
        try (InputStream in = Templates.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("shipped template " + path + " is missing");
            }
            return new Source(new String(in.readAllBytes(), StandardCharsets.UTF_8), path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readFolder(Path dir, Map<String, Source> sources) {
        String setting = SETTING;
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(setting + ": " + dir + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files =
                    walk.filter(Files::isRegularFile)
                            .filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                            .sorted()
                            .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException(setting + ": cannot read " + dir);
        }
        for (Path file : files) {
            List<String> parts = new ArrayList<>();
            dir.relativize(file).forEach(p -> parts.add(p.toString()));
            String key = key(parts);
            if (key == null) {
                throw new ConfigException(
                        setting
                                + ": "
                                + file
                                + " is not LANG/NAME.mustache or stores/STORE/LANG/NAME.mustache"
                                + " with NAME one of "
                                + String.join(", ", NAMES));
            }
            try {
                sources.put(
                        key,
                        new Source(
                                Files.readString(file, StandardCharsets.UTF_8), file.toString()));
            } catch (IOException e) {
                throw new ConfigException(setting + ": " + file + ": cannot be read as UTF-8");
            }
        }
    }

    private static String key(List<String> parts) {
        String file = parts.get(parts.size() - 1);
        String name = file.substring(0, file.length() - SUFFIX.length());
        if (!NAMES.contains(name)) {
            return null;
        }
        if (parts.size() == 2 && LANGUAGE.matcher(parts.get(0)).matches()) {
            return "all/" + parts.get(0) + "/" + name;
        }
        if (parts.size() == 4
                && parts.get(0).equals("stores")
                && LANGUAGE.matcher(parts.get(2)).matches()) {
            return "store/" + parts.get(1) + "/" + parts.get(2) + "/" + name;
        }
        return null;
    }

    /**
     * Compiles a template and checks it only uses known variables: a misspelt variable would
     * otherwise render as nothing, silently.
     *
     * @throws ConfigException naming the file
     */
    static Mustache compile(Source source) {
        Mustache mustache;
        try {
            mustache = new TextFactory().compile(new StringReader(source.text()), source.origin());
        } catch (MustacheException e) {
            throw broken(source, firstLine(e.getMessage()));
        }
        checkNames(source, mustache.getCodes());
        return mustache;
    }

    private static void checkNames(Source source, Code[] codes) {
        if (codes == null) {
            return;
        }
        for (Code code : codes) {
            if (code instanceof ValueCode || code instanceof IterableCode) {
                String name = code.getName();
                if (!ScriptView.VARIABLES.contains(name)
                        && !ScriptView.PRODUCT_VARIABLES.contains(name)) {
                    throw broken(source, "unknown variable '" + name + "' (docs/scripts.md)");
                }
            } else if (code instanceof PartialCode
                    || code instanceof ExtendCode
                    || code instanceof ExtendNameCode) {
                // Templates travel as texts with the job; a partial would be looked up on the
                // task manager's class path instead.
                throw broken(source, "partials are not supported");
            }
            checkNames(source, code.getCodes());
        }
    }

    private static ConfigException broken(Source source, String why) {
        return new ConfigException(SETTING + ": " + source.origin() + ": " + why);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "broken template";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Values go out as they are: scripts and messages are plain text, not HTML. */
    static final class TextFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
