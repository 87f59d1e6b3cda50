package io.cartrecovery.scripts;

import static io.cartrecovery.testing.Profiles.T0;
import static io.cartrecovery.testing.Profiles.consenting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.config.ScriptOptions;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.detection.SessionStats;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.Stage;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.settings.ConfigException;
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
        return ScriptOptions.scripts(Configuration.fromMap(settings));
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

    @Test
    void everyLanguageWithTemplatesShipsAndEveryShippedOneIsComplete() throws Exception {
        assertThat(Templates.SHIPPED_LANGUAGES)
                .containsExactlyInAnyOrder("en", "es", "de", "fr", "it", "pt", "nl");
        // A folder under resources that is not listed would never be used.
        try (var folders = Files.list(Path.of("../core/src/main/resources/scripts"))) {
            assertThat(folders.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Templates.SHIPPED_LANGUAGES);
        }
        Templates templates = Templates.load(null);
        for (String language : Templates.SHIPPED_LANGUAGES) {
            assertThat(templates.complete("shop-1", language)).as(language).isTrue();
            assertThat(
                            ScriptOptions.defaultScripts()
                                    .language("shop-1", language(consenting("a"), language, "A")))
                    .isEqualTo(language);
        }
    }

    /** A cart with one other line (singular wording) and one line without a name. */
    static AbandonedCart twoLineCart() {
        AbandonedCart full = fullCart(ReasonHint.PAYMENT_PROBLEM);
        return new AbandonedCart(
                full.cartId(),
                full.storeId(),
                full.customerId(),
                full.anonymousId(),
                List.of(
                        new CartLine("p1", "Trail shoe", 1, new BigDecimal("199.90")),
                        new CartLine("p9", null, 3, new BigDecimal("5.00"))),
                new BigDecimal("214.90"),
                full.currency(),
                full.stage(),
                full.reason(),
                full.shippingCost(),
                full.openedAt(),
                full.abandonedAt(),
                full.gapMillis(),
                full.detectedAt(),
                null,
                full.session(),
                null);
    }

    @Test
    void everyShippedLanguageReadsCleanlyOnEveryChannelWithOneOtherItem() {
        for (String language : Templates.SHIPPED_LANGUAGES) {
            CustomerProfile profile = language(consenting("ana"), language, "Ana Pérez");
            for (Scripts scripts : List.of(FULL, ScriptOptions.defaultScripts())) {
                for (Channel channel : Channel.values()) {
                    for (int attempt = 1; attempt <= 2; attempt++) {
                        ScriptOrMessage content =
                                scripts.render(twoLineCart(), profile, channel, attempt);
                        assertThat(content.language()).isEqualTo(language);
                        List<String> texts = new ArrayList<>();
                        if (content.script() != null) {
                            content.script().forEach(step -> texts.add(step.text()));
                        } else {
                            texts.add(content.message().text());
                            if (content.message().subject() != null) {
                                texts.add(content.message().subject());
                            }
                        }
                        if (channel == Channel.EMAIL) {
                            // The sign-off, then the store's name on a line of its own.
                            String[] paragraphs = content.message().text().split("\n\n");
                            String[] signOff = paragraphs[paragraphs.length - 1].split("\n");
                            assertThat(signOff).as(language).hasSize(scripts == FULL ? 2 : 1);
                            assertThat(signOff[0]).doesNotContain("Trail Shop");
                            if (scripts == FULL) {
                                assertThat(signOff[1]).contains("Trail Shop");
                            }
                        }
                        // The greeting or the message's first line addresses the customer.
                        assertThat(texts.get(0)).as(language + " " + channel).contains("Ana");
                        for (String text : texts) {
                            assertClean(text);
                            if (language.equals("fr")) {
                                // French puts a no-break space before ? ! ; and :, never none.
                                assertThat(text)
                                        .as(text)
                                        .doesNotContainPattern("[^\\u00a0][?!;]")
                                        .doesNotContainPattern("[^\\u00a0s]:");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void germanCallNamesTheProductAndTheWarenkorbAndFormatsEuros() {
        ScriptOrMessage content =
                FULL.render(
                        fullCart(ReasonHint.UNEXPECTED_COSTS),
                        language(consenting("anna", Channel.CALL), "de-DE", "Anna Schmidt"),
                        Channel.CALL,
                        1);

        assertThat(content.language()).isEqualTo("de");
        assertThat(text(content, "greeting"))
                .isEqualTo(
                        "Guten Tag Anna Schmidt, hier ist der Kundenservice von Trail Shop. Ich"
                                + " rufe Sie wegen Ihres Warenkorbs an: Sie hatten den Artikel"
                                + " „Trail shoe“ und 2 weitere Artikel hineingelegt, die Bestellung"
                                + " aber noch nicht abgeschlossen.")
                .contains("Warenkorb", "Trail shoe");
        assertThat(text(content, "products"))
                .isEqualTo(
                        "Nur zur Bestätigung: Sie hatten Trail shoe, 2 × Wool socks und Cap im"
                                + " Warenkorb, insgesamt 224,80\u00a0€. Ist das so richtig?");
        assertThat(text(content, "objection"))
                .startsWith("Ich sehe, dass der Versand 4,90\u00a0€ gekostet hätte.");
        assertThat(text(content, "incentive")).contains("10 % Rabatt");

        ScriptOrMessage missing =
                ScriptOptions.defaultScripts().render(emptyCart(), null, Channel.CALL, 1);
        assertThat(missing.language()).isEqualTo("en");
        ScriptOrMessage unnamed =
                ScriptOptions.defaultScripts()
                        .render(
                                emptyCart(),
                                language(consenting("x"), "de", null),
                                Channel.CALL,
                                2);
        assertThat(text(unnamed, "greeting"))
                .isEqualTo(
                        "Guten Tag, hier ist der Kundenservice Ihres Online-Shops. Ich rufe Sie"
                                + " noch einmal wegen Ihres Warenkorbs an: Sie hatten einige"
                                + " Artikel hineingelegt, die Bestellung aber noch nicht"
                                + " abgeschlossen.");
        assertThat(text(unnamed, "products"))
                .isEqualTo("Für welche Produkte hatten Sie sich interessiert?");
    }

    @Test
    void singularOtherItemAndNamelessLinesAreWordedPerLanguage() {
        Map<String, String> greeting =
                Map.of(
                        "de", "den Artikel „Trail shoe“ und einen weiteren Artikel",
                        "fr", "l'article Trail shoe et un autre article",
                        "it", "l'articolo Trail shoe e l'altro articolo",
                        "pt", "do produto Trail shoe e de mais um produto",
                        "nl", "het artikel Trail shoe en nog een ander artikel");
        Map<String, String> products =
                Map.of(
                        "de", "Trail shoe und 3 × Artikel p9",
                        "fr", "Trail shoe et 3 × l'article p9",
                        "it", "Trail shoe e 3 × l'articolo p9",
                        "pt", "Trail shoe e 3 × o produto p9",
                        "nl", "Trail shoe en 3 × artikel p9");
        greeting.forEach(
                (language, phrase) -> {
                    ScriptOrMessage call =
                            FULL.render(
                                    twoLineCart(),
                                    language(consenting("ana"), language, "Ana"),
                                    Channel.CALL,
                                    1);
                    assertThat(text(call, "greeting")).as(language).contains(phrase);
                    assertThat(text(call, "products"))
                            .as(language)
                            .contains(products.get(language));
                });
    }

    @Test
    void frenchAmountsAndPunctuation() {
        assertThat(Money.format(new BigDecimal("1234.5"), "EUR", Locale.FRENCH))
                .isEqualTo("1\u202f234,50\u00a0€");
        ScriptOrMessage content =
                FULL.render(
                        fullCart(ReasonHint.UNKNOWN),
                        language(consenting("ana"), "fr-FR", "Marie Dupont"),
                        Channel.CALL,
                        1);
        assertThat(text(content, "products"))
                .isEqualTo(
                        "Pour confirmer, vous aviez dans votre panier Trail shoe, 2 × Wool socks"
                                + " et Cap, pour un total de 224,80\u00a0€. Est-ce bien"
                                + " cela\u00a0?");
        assertThat(text(content, "incentive")).contains("remise de 10\u00a0%");
        ScriptOrMessage email =
                FULL.render(
                        fullCart(ReasonHint.UNKNOWN),
                        language(consenting("ana"), "fr", "Marie Dupont"),
                        Channel.EMAIL,
                        1);
        assertThat(email.message().subject()).isEqualTo("Trail shoe vous attend dans votre panier");
        assertThat(email.message().text())
                .startsWith("Bonjour Marie,\n\nVous avez laissé l'article Trail shoe")
                .endsWith("Bien cordialement,\nL'équipe Trail Shop");
    }

    @Test
    void dutchSmsWithAndWithoutACartLink() {
        CustomerProfile nl = language(consenting("ana"), "nl-NL", "Sanne de Vries");
        ScriptOrMessage withLink = FULL.render(fullCart(ReasonHint.UNKNOWN), nl, Channel.SMS, 1);
        assertThat(withLink.message().text())
                .isEqualTo(
                        "Hallo Sanne, uw winkelwagen bij Trail Shop (€\u00a0224,80) staat nog voor"
                                + " u klaar. Rond uw bestelling af:"
                                + " https://shop.example/cart/c%2F1");
        ScriptOrMessage withoutLink =
                ScriptOptions.defaultScripts()
                        .render(fullCart(ReasonHint.UNKNOWN), nl, Channel.SMS, 1);
        assertThat(withoutLink.message().cartUrl()).isNull();
        assertThat(withoutLink.message().text())
                .isEqualTo(
                        "Hallo Sanne, uw winkelwagen (€\u00a0224,80) staat nog voor u klaar. We"
                                + " hebben hem voor u bewaard.");
        ScriptOrMessage anonymous =
                ScriptOptions.defaultScripts()
                        .render(emptyCart(), language(consenting("x"), "nl", null), Channel.SMS, 1);
        assertThat(anonymous.message().text())
                .isEqualTo(
                        "Hallo, uw winkelwagen staat nog voor u klaar. We hebben hem voor u bewaard.");
    }

    @Test
    void italianAndPortugueseMessagesWithoutAName() {
        ScriptOrMessage it =
                ScriptOptions.defaultScripts()
                        .render(
                                emptyCart(),
                                language(consenting("x"), "it", null),
                                Channel.EMAIL,
                                1);
        assertThat(it.message().text())
                .startsWith("Gentile cliente,\n\nha lasciato alcuni articoli");
        assertThat(it.message().subject()).isEqualTo("Il suo carrello la sta aspettando");
        ScriptOrMessage pt =
                ScriptOptions.defaultScripts()
                        .render(
                                emptyCart(),
                                language(consenting("x"), "pt", null),
                                Channel.WHATSAPP,
                                1);
        assertThat(pt.message().text())
                .isEqualTo(
                        "Olá! Deixou alguns produtos no seu carrinho. Está guardado para quando"
                                + " quiser. Alguma dúvida? Basta responder a esta mensagem.");
    }

    @Test
    void amountsFollowTheLanguageAndTheProfilesRegion() {
        BigDecimal amount = new BigDecimal("1234.5");
        assertThat(Money.format(amount, "EUR", Locale.GERMAN)).isEqualTo("1.234,50\u00a0€");
        assertThat(Money.format(new BigDecimal("19.90"), "EUR", Locale.GERMANY))
                .isEqualTo("19,90\u00a0€");
        assertThat(Money.format(amount, "EUR", Locale.ITALIAN)).isEqualTo("1.234,50\u00a0€");
        assertThat(Money.format(amount, "EUR", Locale.forLanguageTag("nl")))
                .isEqualTo("€\u00a01.234,50");
        assertThat(Money.format(amount, "EUR", Locale.forLanguageTag("pt-PT")))
                .isEqualTo("1\u00a0234,50\u00a0€");
        assertThat(Money.format(amount, "BRL", Locale.forLanguageTag("pt-BR")))
                .isEqualTo("R$\u00a01.234,50");
        assertThat(Money.format(new BigDecimal("9.999"), "EUR", Locale.GERMAN))
                .isEqualTo("9,999\u00a0€");

        // The text's language picks the templates; the profile's region, when in that language,
        // picks how amounts are written.
        assertThat(Scripts.formatLocale("pt", language(consenting("a"), "pt-PT", "A")))
                .isEqualTo(Locale.forLanguageTag("pt-PT"));
        assertThat(Scripts.formatLocale("en", language(consenting("a"), "pl-PL", "A")))
                .isEqualTo(Locale.ENGLISH);
        assertThat(Scripts.formatLocale("de", null)).isEqualTo(Locale.GERMAN);
        ScriptOrMessage portugal =
                FULL.render(
                        fullCart(ReasonHint.UNKNOWN),
                        language(consenting("ana"), "pt-PT", "Ana Silva"),
                        Channel.CALL,
                        1);
        assertThat(text(portugal, "products")).contains("num total de 224,80\u00a0€.");
        ScriptOrMessage brazil =
                FULL.render(
                        fullCart(ReasonHint.UNKNOWN),
                        language(consenting("ana"), "pt-BR", "Ana Silva"),
                        Channel.CALL,
                        1);
        assertThat(text(brazil, "products")).contains("num total de €\u00a0224,80.");
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
        ScriptOrMessage content =
                ScriptOptions.defaultScripts().render(emptyCart(), null, Channel.CALL, 1);

        assertThat(text(content, "greeting"))
                .isEqualTo(
                        "Hello, this is the online store calling about the items you left in your"
                                + " cart.");
        assertThat(text(content, "products")).isEqualTo("Which products were you interested in?");
        assertThat(content.script()).extracting(ScriptStep::step).doesNotContain("incentive");
        content.script().forEach(step -> assertClean(step.text()));

        ScriptOrMessage sms =
                ScriptOptions.defaultScripts().render(emptyCart(), null, Channel.SMS, 1);
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
        Scripts scripts = ScriptOptions.defaultScripts();
        assertThat(scripts.language("shop-1", language(consenting("a"), "es-MX", "A")))
                .isEqualTo("es");
        assertThat(scripts.language("shop-1", language(consenting("a"), "de-AT", "A")))
                .isEqualTo("de");
        assertThat(scripts.language("shop-1", language(consenting("a"), "pl", "A")))
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
                dir.resolve("pl/greeting.mustache"),
                "Dzień dobry{{#first_name}} {{first_name}}{{/first_name}}.\n");
        Scripts scripts = scripts(Map.of("scripts.templates-dir", dir.toString()));

        assertThat(scripts.language("shop-1", language(consenting("a"), "pl", "A")))
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
        assertThat(ScriptOptions.defaultScripts().cartUrl(cart)).isNull();
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
