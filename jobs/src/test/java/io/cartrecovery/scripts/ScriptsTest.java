package io.cartrecovery.scripts;

import static io.cartrecovery.testing.Profiles.T0;
import static io.cartrecovery.testing.Profiles.consenting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.config.ConfigException;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.detection.SessionStats;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.Stage;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.profiles.CustomerProfile;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptsTest {
    private static final String URL = "https://shop.example/cart/{{cart_id}}";

    /** Every value a template can use, present. */
    static AbandonedCart fullCart(ReasonHint reason) {
        return new AbandonedCart(
                "c/1",
                "shop-1",
                "ana",
                null,
                List.of(
                        new CartLine("p1", "Trail shoe", 1, new BigDecimal("199.90")),
                        new CartLine("p2", "Wool socks", 2, new BigDecimal("4.95")),
                        new CartLine("p3", "Cap", 1, new BigDecimal("15.00"))),
                new BigDecimal("224.80"),
                "EUR",
                Stage.SHIPPING,
                reason,
                new BigDecimal("4.90"),
                T0 - 600_000,
                T0,
                600_000,
                T0,
                null,
                new SessionStats(5, 3, 600_000, 2, 1, 1),
                null);
    }

    /** Nothing a template could name: no products, no prices, no currency, no reason. */
    static AbandonedCart emptyCart() {
        return new AbandonedCart(
                "c-2",
                "shop-1",
                null,
                "v-1",
                List.of(),
                BigDecimal.ZERO,
                null,
                Stage.CART,
                ReasonHint.UNKNOWN,
                null,
                T0,
                T0,
                600_000,
                T0,
                null);
    }

    static CustomerProfile language(CustomerProfile p, String language, String name) {
        return new CustomerProfile(
                p.storeId(),
                p.customerId(),
                name,
                p.phone(),
                p.email(),
                language,
                p.timeZone(),
                p.consent(),
                p.doNotContact(),
                p.orderCount(),
                p.lifetimeValue(),
                p.lastOrderAt());
    }

    static Scripts scripts(Map<String, String> settings) {
        return Scripts.from(Configuration.fromMap(settings));
    }

    private static final Scripts FULL =
            scripts(
                    Map.of(
                            "scripts.cart-url", "*:'" + URL + "'",
                            "scripts.store-name", "shop-1:Trail Shop",
                            "scripts.incentive.max-percent", "shop-1:10"));

    /** The text a customer or agent reads never shows template debris. */
    static void assertClean(String text) {
        assertThat(text)
                .isNotBlank()
                .doesNotContain("{{", "}}", "  ", " ,", " .", " !", " ?", "()", ",,", "..")
                .doesNotStartWith(" ")
                .doesNotEndWith(" ");
    }

    @Test
    void everyShippedTemplateReadsCleanlyWithAllValuesMissingAndAllPresent() {
        Templates templates = Templates.load(null);
        for (String language : Templates.SHIPPED_LANGUAGES) {
            Locale locale = Locale.forLanguageTag(language);
            Map<String, Object> missing =
                    ScriptView.of(emptyCart(), null, locale, null, null, 0, 1);
            for (ReasonHint reason : ReasonHint.values()) {
                Map<String, Object> present =
                        ScriptView.of(
                                fullCart(reason),
                                consenting("ana"),
                                locale,
                                "Trail Shop",
                                "https://shop.example/cart/c%2F1",
                                10,
                                2);
                for (String name : Templates.NAMES) {
                    Templates.Source source = templates.find("shop-1", language, name);
                    String withAll = render(source, present);
                    assertClean(withAll);
                    String withNothing = render(source, missing);
                    if (name.equals("incentive")) {
                        // Never rendered without an incentive: the step is left out.
                        assertThat(withNothing).as(source.origin()).isEmpty();
                    } else {
                        assertClean(withNothing);
                    }
                }
            }
        }
    }

    private static String render(Templates.Source source, Map<String, Object> view) {
        java.io.StringWriter out = new java.io.StringWriter();
        Templates.compile(source).execute(out, view);
        return Scripts.tidy(out.toString());
    }

    @Test
    void callScriptFollowsTheChecklistInOrderAndNamesTheCart() {
        ScriptOrMessage content =
                FULL.render(
                        fullCart(ReasonHint.UNEXPECTED_COSTS),
                        language(consenting("ana", Channel.CALL), "en-GB", "Ana  Pérez "),
                        Channel.CALL,
                        1);

        assertThat(content.message()).isNull();
        assertThat(content.language()).isEqualTo("en");
        assertThat(content.script())
                .extracting(ScriptStep::step)
                .containsExactly(
                        "greeting",
                        "products",
                        "open_question",
                        "objection",
                        "incentive",
                        "next_steps",
                        "close");
        assertThat(text(content, "greeting"))
                .isEqualTo(
                        "Hello Ana, this is Trail Shop calling about the Trail shoe and 2 other"
                                + " items you left in your cart.");
        assertThat(text(content, "products"))
                .isEqualTo(
                        "Just to confirm, you had Trail shoe, 2 × Wool socks and Cap in your cart,"
                                + " €224.80 in total. Is that right?");
        assertThat(text(content, "objection")).startsWith("I see the shipping came to €4.90.");
        assertThat(text(content, "incentive")).contains("10% off");
        content.script().forEach(step -> assertClean(step.text()));
        assertThat(content.toString()).doesNotContain("Ana");
    }

    @Test
    void spanishScriptFormatsMoneyTheSpanishWay() {
        ScriptOrMessage content =
                FULL.render(
                        fullCart(ReasonHint.UNEXPECTED_COSTS),
                        consenting("ana", Channel.CALL),
                        Channel.CALL,
                        1);

        assertThat(content.language()).isEqualTo("es");
        assertThat(text(content, "greeting"))
                .isEqualTo(
                        "Hola Ana, le llamo de Trail Shop por el producto Trail shoe y 2 artículos"
                                + " más que dejó en su carrito.");
        assertThat(text(content, "products")).contains("224,80\u00a0€ en total");
        assertThat(text(content, "objection"))
                .startsWith("Veo que el envío le salía por 4,90\u00a0€.");
    }

    @Test
    void objectionIsChosenByTheReasonHint() {
        CustomerProfile en = language(consenting("ana"), "en", "Ana");
        Map<ReasonHint, String> expected =
                Map.of(
                        ReasonHint.UNEXPECTED_COSTS, "delivery cost",
                        ReasonHint.PAYMENT_PROBLEM, "payment didn't go through",
                        ReasonHint.COMPLICATED_CHECKOUT, "checkout was hard going",
                        ReasonHint.UNKNOWN, "any questions");
        expected.forEach(
                (reason, phrase) ->
                        assertThat(
                                        text(
                                                FULL.render(fullCart(reason), en, Channel.CALL, 1),
                                                "objection"))
                                .contains(phrase));
    }

    @Test
    void missingValuesGetNeutralWordingNotBlanks() {
        ScriptOrMessage content = Scripts.defaults().render(emptyCart(), null, Channel.CALL, 1);

        assertThat(text(content, "greeting"))
                .isEqualTo(
                        "Hello, this is the online store calling about the items you left in your"
                                + " cart.");
        assertThat(text(content, "products")).isEqualTo("Which products were you interested in?");
        assertThat(content.script()).extracting(ScriptStep::step).doesNotContain("incentive");
        content.script().forEach(step -> assertClean(step.text()));

        ScriptOrMessage sms = Scripts.defaults().render(emptyCart(), null, Channel.SMS, 1);
        assertThat(sms.message().text()).isEqualTo("Hi, your cart is waiting. It's saved for you.");
        assertThat(sms.message().cartUrl()).isNull();
    }

    @Test
    void messagesCarryTheCartLinkWithTheIdEncoded() {
        CustomerProfile en = language(consenting("ana"), "en", "Ana Pérez");
        ScriptOrMessage whatsapp =
                FULL.render(fullCart(ReasonHint.UNKNOWN), en, Channel.WHATSAPP, 1);
        ScriptOrMessage email = FULL.render(fullCart(ReasonHint.UNKNOWN), en, Channel.EMAIL, 1);

        assertThat(whatsapp.script()).isNull();
        assertThat(whatsapp.message().cartUrl()).isEqualTo("https://shop.example/cart/c%2F1");
        assertThat(whatsapp.message().text())
                .startsWith(
                        "Hi Ana! You left the Trail shoe and 2 more items in your cart at Trail Shop.")
                .contains("https://shop.example/cart/c%2F1");
        assertThat(whatsapp.message().subject()).isNull();
        assertThat(email.message().subject()).isEqualTo("Your Trail shoe is waiting in your cart");
        assertThat(email.message().text()).startsWith("Hello Ana,\n\nYou left").contains("\n\n");
        // Messages offer no discount: an automated one would need a coupon code.
        assertThat(whatsapp.message().text() + email.message().text()).doesNotContain("% off");
    }

    @Test
    void languageFollowsTheProfileAndFallsBackToEnglish() {
        Scripts scripts = Scripts.defaults();
        assertThat(scripts.language("shop-1", language(consenting("a"), "es-MX", "A")))
                .isEqualTo("es");
        assertThat(scripts.language("shop-1", language(consenting("a"), "fr", "A")))
                .isEqualTo("en");
        assertThat(scripts.language("shop-1", language(consenting("a"), null, "A")))
                .isEqualTo("en");
        assertThat(scripts.language("shop-1", null)).isEqualTo("en");
    }

    @Test
    void noChannelRendersNothing() {
        assertThat(FULL.render(fullCart(ReasonHint.UNKNOWN), null, null, 1)).isNull();
    }

    @Test
    void followUpAttemptsSayItIsAgain() {
        CustomerProfile en = language(consenting("ana"), "en", "Ana");
        assertThat(text(FULL.render(fullCart(ReasonHint.UNKNOWN), en, Channel.CALL, 2), "greeting"))
                .contains("calling again");
    }

    @Test
    void moneyIsExactWithItsCurrency() {
        assertThat(Money.format(new BigDecimal("1234.5"), "EUR", Locale.ENGLISH))
                .isEqualTo("€1,234.50");
        assertThat(Money.format(new BigDecimal("9.999"), "EUR", Locale.ENGLISH))
                .isEqualTo("€9.999");
        assertThat(Money.format(new BigDecimal("1500"), "JPY", Locale.ENGLISH)).isEqualTo("¥1,500");
        assertThat(Money.format(new BigDecimal("19.90"), "EUR", Locale.forLanguageTag("es")))
                .isEqualTo("19,90\u00a0€");
        assertThat(Money.format(new BigDecimal("19.90"), "QQQ", Locale.ENGLISH))
                .isEqualTo("19.90 QQQ");
        assertThat(Money.format(new BigDecimal("19.90"), null, Locale.ENGLISH)).isNull();
    }

    @Test
    void aStoreFolderOverridesTemplatesPerLanguageAndPerStore(@TempDir Path dir) throws Exception {
        write(
                dir.resolve("es/close.mustache"),
                "Gracias{{#first_name}}, {{first_name}}{{/first_name}}.\n");
        write(dir.resolve("stores/shop-2/en/close.mustache"), "Bye from shop two.\n");
        write(dir.resolve("README.md"), "not a template");
        Scripts scripts = scripts(Map.of("scripts.templates-dir", dir.toString()));

        CustomerProfile es = consenting("ana");
        CustomerProfile en = language(consenting("ana"), "en", "Ana");
        assertThat(text(scripts.render(fullCart(ReasonHint.UNKNOWN), es, Channel.CALL, 1), "close"))
                .isEqualTo("Gracias, Ana.");
        assertThat(
                        text(
                                scripts.render(
                                        inStore(fullCart(ReasonHint.UNKNOWN), "shop-2"),
                                        en,
                                        Channel.CALL,
                                        1),
                                "close"))
                .isEqualTo("Bye from shop two.");
        assertThat(text(scripts.render(fullCart(ReasonHint.UNKNOWN), en, Channel.CALL, 1), "close"))
                .isEqualTo("Thank you for your time, Ana. Have a great day!");
    }

    @Test
    void aLanguageAStoreOnlyPartlyTranslatedFallsBackToEnglishWhole(@TempDir Path dir)
            throws Exception {
        write(
                dir.resolve("fr/greeting.mustache"),
                "Bonjour{{#first_name}} {{first_name}}{{/first_name}}.\n");
        Scripts scripts = scripts(Map.of("scripts.templates-dir", dir.toString()));

        assertThat(scripts.language("shop-1", language(consenting("a"), "fr", "A")))
                .isEqualTo("en");
    }

    @Test
    void aBrokenTemplateStopsTheStartNamingTheFile(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("en/greeting.mustache");
        write(broken, "Hello{{#first_name}} {{first_name}}\n");

        assertThatThrownBy(() -> scripts(Map.of("scripts.templates-dir", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "scripts.templates-dir: " + broken + ": Failed to close 'first_name' tag")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aMisspeltVariableStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
        Path typo = dir.resolve("stores/shop-1/es/close.mustache");
        write(typo, "Gracias {{frist_name}}.\n");

        assertThatThrownBy(() -> scripts(Map.of("scripts.templates-dir", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "scripts.templates-dir: "
                                + typo
                                + ": unknown variable 'frist_name' (docs/scripts.md)");
    }

    @Test
    void aTemplateFileWithAnUnknownNameOrPlaceIsRejected(@TempDir Path dir) throws Exception {
        write(dir.resolve("en/greting.mustache"), "Hi\n");

        assertThatThrownBy(() -> scripts(Map.of("scripts.templates-dir", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("greting.mustache is not LANG/NAME.mustache");
        assertThatThrownBy(
                        () ->
                                scripts(
                                        Map.of(
                                                "scripts.templates-dir",
                                                dir.resolve("nope").toString())))
                .hasMessageEndingWith("is not a folder");
    }

    @Test
    void aCartLinkPerStoreComesFromTheYamlConfig(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("config.yaml");
        Files.writeString(
                yaml,
                "scripts.cart-url:\n"
                        + "  shop-2: \"https://two.example/c?id={{cart_id}}\"\n"
                        + "  \"*\": \"https://shop.example/{{store_id}}/cart/{{cart_id}}\"\n");
        Scripts scripts =
                io.cartrecovery.config.JobSettings.from(
                                io.cartrecovery.config.Configs.load(yaml, Map.of()))
                        .scripts();

        AbandonedCart cart = fullCart(ReasonHint.UNKNOWN);
        assertThat(scripts.cartUrl(cart)).isEqualTo("https://shop.example/shop-1/cart/c%2F1");
        assertThat(scripts.cartUrl(inStore(cart, "shop-2")))
                .isEqualTo("https://two.example/c?id=c%2F1");
        assertThat(Scripts.defaults().cartUrl(cart)).isNull();
    }

    @Test
    void badScriptSettingsAreRejectedByName() {
        assertThatThrownBy(() -> scripts(Map.of("scripts.incentive.max-percent", "shop-1:80")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "scripts.incentive.max-percent: 'shop-1' needs a whole percent from 0 to"
                                + " 50");
        assertThatThrownBy(() -> scripts(Map.of("scripts.cart-url", "*:'ftp://x/{{cart_id}}'")))
                .hasMessage("scripts.cart-url: '*' needs an http(s) URL template");
        assertThatThrownBy(
                        () -> scripts(Map.of("scripts.cart-url", "*:'https://x/{{customer_id}}'")))
                .hasMessage(
                        "scripts.cart-url: '*' uses 'customer_id'; only store_id and cart_id are"
                                + " known");
        assertThatThrownBy(() -> scripts(Map.of("scripts.incentive.min-cart-value", "shop-1:-5")))
                .hasMessage(
                        "scripts.incentive.min-cart-value: 'shop-1' needs an amount, not negative");
    }

    static AbandonedCart inStore(AbandonedCart c, String store) {
        return new AbandonedCart(
                c.cartId(),
                store,
                c.customerId(),
                c.anonymousId(),
                c.items(),
                c.cartValue(),
                c.currency(),
                c.stage(),
                c.reason(),
                c.shippingCost(),
                c.openedAt(),
                c.abandonedAt(),
                c.gapMillis(),
                c.detectedAt(),
                null,
                c.session(),
                null);
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    static String text(ScriptOrMessage content, String step) {
        List<String> texts = new ArrayList<>();
        for (ScriptStep s : content.script()) {
            if (s.step().equals(step)) {
                texts.add(s.text());
            }
        }
        assertThat(texts).as("step " + step).hasSize(1);
        return texts.get(0);
    }
}
