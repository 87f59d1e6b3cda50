package io.cartrecovery.priority;

import static io.cartrecovery.testing.Profiles.consenting;
import static io.cartrecovery.testing.Profiles.doNotContact;
import static io.cartrecovery.testing.Profiles.withoutPhone;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.priority.ContactDecision.Outcome;
import org.junit.jupiter.api.Test;

class ChannelChooserTest {

    @Test
    void highTierWithCallConsentAndPhoneGetsAnAgentCall() {
        ContactDecision d = ChannelChooser.choose(Tier.HIGH, consenting("c1", Channel.CALL));

        assertThat(d).isEqualTo(ContactDecision.contact(Channel.CALL));
        assertThat(d.mode()).isEqualTo(Mode.AGENT);
    }

    @Test
    void highTierWithoutCallConsentFallsBackToAnAutomatedMessage() {
        ContactDecision d =
                ChannelChooser.choose(Tier.HIGH, consenting("c1", Channel.SMS, Channel.EMAIL));

        assertThat(d).isEqualTo(ContactDecision.contact(Channel.SMS));
        assertThat(d.mode()).isEqualTo(Mode.AUTOMATED);
    }

    @Test
    void consentWithoutThePhoneNumberFallsBackToEmail() {
        ContactDecision d =
                ChannelChooser.choose(
                        Tier.HIGH,
                        withoutPhone(
                                consenting(
                                        "c1",
                                        Channel.CALL,
                                        Channel.WHATSAPP,
                                        Channel.SMS,
                                        Channel.EMAIL)));

        assertThat(d).isEqualTo(ContactDecision.contact(Channel.EMAIL));
    }

    @Test
    void middleTierPrefersWhatsappThenSmsAndNeverCalls() {
        assertThat(
                        ChannelChooser.choose(
                                Tier.MIDDLE, consenting("c1", Channel.CALL, Channel.WHATSAPP)))
                .isEqualTo(ContactDecision.contact(Channel.WHATSAPP));
        assertThat(ChannelChooser.choose(Tier.MIDDLE, consenting("c1", Channel.CALL, Channel.SMS)))
                .isEqualTo(ContactDecision.contact(Channel.SMS));
        assertThat(ChannelChooser.choose(Tier.MIDDLE, consenting("c1", Channel.CALL)).outcome())
                .isEqualTo(Outcome.NO_CONSENTED_CHANNEL);
    }

    @Test
    void lowTierIsEmailOnly() {
        assertThat(ChannelChooser.choose(Tier.LOW, consenting("c1", Channel.values())))
                .isEqualTo(ContactDecision.contact(Channel.EMAIL));
        assertThat(ChannelChooser.choose(Tier.LOW, consenting("c1", Channel.WHATSAPP)).outcome())
                .isEqualTo(Outcome.NO_CONSENTED_CHANNEL);
    }

    @Test
    void doNotContactWinsOverEveryConsent() {
        ContactDecision d =
                ChannelChooser.choose(Tier.HIGH, doNotContact(consenting("c1", Channel.values())));

        assertThat(d.outcome()).isEqualTo(Outcome.DO_NOT_CONTACT);
        assertThat(d.createsTask()).isFalse();
        assertThat(d.channel()).isNull();
    }

    @Test
    void noConsentMeansNoTask() {
        assertThat(ChannelChooser.choose(Tier.HIGH, consenting("c1")).outcome())
                .isEqualTo(Outcome.NO_CONSENTED_CHANNEL);
        assertThat(ChannelChooser.choose(Tier.HIGH, consenting("c1")).createsTask()).isFalse();
    }
}
