package io.cartrecovery.scripts;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.ValueCode;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.profiles.CustomerProfile;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders what a contact says: the call script of an agent task, the text of an automated message
 * (docs/scripts.md). One call for every attempt, so follow-ups render through it too. Pure given
 * its settings: the same cart, profile, channel and attempt give the same text.
 */
public final class Scripts implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Set<String> URL_VARIABLES = Set.of("store_id", "cart_id");

    /** The largest incentive a store may offer, in percent. */
    public static final int MAX_PERCENT = 50;

    private final Templates templates;
    private final PerStore<String> cartUrls;
    private final PerStore<String> storeNames;
    private final PerStore<Integer> maxPercent;
    private final PerStore<BigDecimal> minCartValue;
    private final PerStore<Duration> recentOrder;

    private transient Map<Templates.Source, Mustache> compiled;
    private transient Map<String, Mustache> compiledUrls;

    /**
     * @param templates the compiled templates of every language and store
     * @param cartUrls each store's cart link template ({@link #urlTemplate})
     * @param storeNames each store's name as the scripts say it
     * @param maxPercent each store's largest incentive, a whole percent from 0 to {@link
     *     #MAX_PERCENT}
     * @param minCartValue each store's smallest cart value that earns an incentive
     * @param recentOrder each store's window in which a recent order rules an incentive out
     */
    public Scripts(
            Templates templates,
            PerStore<String> cartUrls,
            PerStore<String> storeNames,
            PerStore<Integer> maxPercent,
            PerStore<BigDecimal> minCartValue,
            PerStore<Duration> recentOrder) {
        this.templates = templates;
        this.cartUrls = cartUrls;
        this.storeNames = storeNames;
        this.maxPercent = maxPercent;
        this.minCartValue = minCartValue;
        this.recentOrder = recentOrder;
    }

    /** The store's incentive rule; {@link IncentiveRule#NONE} when it offers none. */
    public IncentiveRule incentiveRule(String store) {
        Integer percent = maxPercent.get(store);
        if (percent == null || percent == 0) {
            return IncentiveRule.NONE;
        }
        BigDecimal min = minCartValue.get(store);
        Duration recent = recentOrder.get(store);
        return new IncentiveRule(
                percent,
                min == null ? BigDecimal.ZERO : min,
                recent == null ? Duration.ZERO : recent);
    }

    /**
     * The script (a call) or message (any other channel) of one contact attempt.
     *
     * @param profile the customer's profile with contact details, or null
     * @param channel the task's channel; null (no consented channel known) renders nothing
     * @param attempt 1 for the first contact; later attempts may word a follow-up differently
     * @return null when {@code channel} is null
     */
    public ScriptOrMessage render(
            AbandonedCart cart, CustomerProfile profile, Channel channel, int attempt) {
        if (channel == null) {
            return null;
        }
        String store = cart.storeId();
        String language = language(store, profile);
        int incentive =
                channel == Channel.CALL ? incentiveRule(store).percentFor(cart, profile) : 0;
        Map<String, Object> view =
                ScriptView.of(
                        cart,
                        profile,
                        formatLocale(language, profile),
                        storeNames.get(store),
                        cartUrl(cart),
                        incentive,
                        attempt);
        if (channel == Channel.CALL) {
            ReasonHint reason = cart.reason() == null ? ReasonHint.UNKNOWN : cart.reason();
            List<ScriptStep> steps = new ArrayList<>();
            step(steps, "greeting", text(store, language, "greeting", view));
            step(steps, "products", text(store, language, "products", view));
            step(steps, "open_question", text(store, language, "open_question", view));
            step(steps, "objection", text(store, language, "objection_" + reason.wireName(), view));
            if (incentive > 0) {
                step(steps, "incentive", text(store, language, "incentive", view));
            }
            step(steps, "next_steps", text(store, language, "next_steps", view));
            step(steps, "close", text(store, language, "close", view));
            return new ScriptOrMessage(steps, null, language);
        }
        String subject =
                channel == Channel.EMAIL ? text(store, language, "email_subject", view) : null;
        String text = text(store, language, "message_" + channel.wireName(), view);
        return new ScriptOrMessage(
                null, new Message(subject, text, (String) view.get("cart_url")), language);
    }

    /** The store's link to the cart, or null when the store has none. */
    public String cartUrl(AbandonedCart cart) {
        String template = cartUrls.get(cart.storeId());
        if (template == null) {
            return null;
        }
        if (compiledUrls == null) {
            compiledUrls = new ConcurrentHashMap<>();
        }
        Mustache url = compiledUrls.computeIfAbsent(template, Scripts::compileUrl);
        StringWriter out = new StringWriter();
        url.execute(out, Map.of("store_id", cart.storeId(), "cart_id", cart.cartId()));
        return out.toString();
    }

    /**
     * The customer's language (the primary subtag of the profile's), when the store has every
     * template in it; else English.
     */
    String language(String store, CustomerProfile profile) {
        if (profile == null || profile.language() == null) {
            return Templates.FALLBACK_LANGUAGE;
        }
        String language = Locale.forLanguageTag(profile.language()).getLanguage();
        return !language.isEmpty() && templates.complete(store, language)
                ? language
                : Templates.FALLBACK_LANGUAGE;
    }

    /**
     * The locale amounts are written in: the profile's whole tag when the text is in its language,
     * so its region counts ({@code pt-PT} writes {@code 19,90 €}, {@code pt} alone follows Brazil's
     * {@code € 19,90}); else the text's language alone.
     */
    static Locale formatLocale(String language, CustomerProfile profile) {
        if (profile != null && profile.language() != null) {
            Locale own = Locale.forLanguageTag(profile.language());
            if (own.getLanguage().equals(language)) {
                return own;
            }
        }
        return Locale.forLanguageTag(language);
    }

    private String text(String store, String language, String name, Map<String, Object> view) {
        Templates.Source source = templates.find(store, language, name);
        if (compiled == null) {
            compiled = new ConcurrentHashMap<>();
        }
        Mustache mustache = compiled.computeIfAbsent(source, Templates::compile);
        StringWriter out = new StringWriter();
        mustache.execute(out, view);
        return tidy(out.toString());
    }

    private static void step(List<ScriptStep> steps, String step, String text) {
        // A store may blank a step out of its templates; an empty step would only be noise.
        if (!text.isEmpty()) {
            steps.add(new ScriptStep(step, text));
        }
    }

    /**
     * Template files end in a newline and indent freely; the text keeps its paragraphs (e-mail) but
     * not that layout.
     */
    static String tidy(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            out.append(line.strip()).append('\n');
        }
        return out.toString().replaceAll("\n{3,}", "\n\n").strip();
    }

    /**
     * Checks a store's name as the scripts say it: something must be left once it is cleaned.
     *
     * @throws IllegalArgumentException when nothing is
     */
    public static String storeName(String name) {
        if (ScriptView.clean(name) == null) {
            throw new IllegalArgumentException("needs a name");
        }
        return name;
    }

    /**
     * Checks a cart link template: compiles, names only the allowed variables.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static String urlTemplate(String template) {
        Mustache url;
        try {
            url = compileUrl(template);
        } catch (MustacheException e) {
            throw new IllegalArgumentException("is not a valid template");
        }
        checkUrlNames(url.getCodes());
        StringWriter out = new StringWriter();
        url.execute(out, Map.of("store_id", "s", "cart_id", "c"));
        String sample = out.toString();
        if (!sample.startsWith("https://") && !sample.startsWith("http://")) {
            throw new IllegalArgumentException("needs an http(s) URL template");
        }
        return template;
    }

    private static void checkUrlNames(Code[] codes) {
        if (codes == null) {
            return;
        }
        for (Code code : codes) {
            if ((code instanceof ValueCode || code instanceof IterableCode)
                    && !URL_VARIABLES.contains(code.getName())) {
                throw new IllegalArgumentException(
                        "uses '" + code.getName() + "'; only store_id and cart_id are known");
            }
            checkUrlNames(code.getCodes());
        }
    }

    private static Mustache compileUrl(String template) {
        return new UrlFactory().compile(new StringReader(template), "cart-url");
    }

    /** Ids go into a link URL-encoded, so a cart id with '/' or spaces stays one path segment. */
    private static final class UrlFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
