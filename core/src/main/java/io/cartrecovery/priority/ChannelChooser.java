package io.cartrecovery.priority;

import io.cartrecovery.compliance.ContactPolicy;
import io.cartrecovery.profiles.CustomerProfile;
import java.util.List;

/**
 * The contact channel of a scored cart (docs/priority.md). Each tier starts at its own channel and
 * falls back only to cheaper ones ({@code call > whatsapp > sms > email}): a missing consent or
 * address never escalates a low-value cart to an agent's time.
 */
public final class ChannelChooser {
    private ChannelChooser() {}

    private static final List<Channel> HIGH =
            List.of(Channel.CALL, Channel.WHATSAPP, Channel.SMS, Channel.EMAIL);
    private static final List<Channel> MIDDLE =
            List.of(Channel.WHATSAPP, Channel.SMS, Channel.EMAIL);
    private static final List<Channel> LOW = List.of(Channel.EMAIL);

    /** The channel for a contact now, whatever the consents' times; see {@link ContactPolicy}. */
    public static ContactDecision choose(Tier tier, CustomerProfile profile) {
        return choose(tier, profile, Long.MAX_VALUE);
    }

    /**
     * @param at epoch millis of the contact; consent must stand then ({@link
     *     ContactPolicy#permits}, the one place that rule lives)
     */
    public static ContactDecision choose(Tier tier, CustomerProfile profile, long at) {
        if (profile.doNotContact()) {
            return new ContactDecision(ContactDecision.Outcome.DO_NOT_CONTACT, null);
        }
        for (Channel channel : order(tier)) {
            if (ContactPolicy.permits(profile, channel, at)) {
                return ContactDecision.contact(channel);
            }
        }
        return new ContactDecision(ContactDecision.Outcome.NO_CONSENTED_CHANNEL, null);
    }

    /** The channels a tier may use, most personal first. */
    public static List<Channel> order(Tier tier) {
        return switch (tier) {
            case HIGH -> HIGH;
            case MIDDLE -> MIDDLE;
            case LOW -> LOW;
        };
    }
}
