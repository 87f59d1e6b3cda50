package io.cartrecovery.serialization;

import io.cartrecovery.assignment.AgentRelease;
import io.cartrecovery.compliance.ContactTiming;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.detection.SessionStats;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.events.Stage;
import io.cartrecovery.followup.Purchase;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.SourcePosition;
import io.cartrecovery.outcomes.ContactOutcome;
import io.cartrecovery.outcomes.Objection;
import io.cartrecovery.outcomes.OutcomeCode;
import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.ReasonCode;
import io.cartrecovery.priority.Tier;
import io.cartrecovery.profiles.Consent;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How the follow-up and the assigner keep the records they re-issue later (a cart, its enrichment,
 * a task), and the inputs that wait for event time with them (a purchase, an outcome, a release),
 * format 1. The records are the job's model and their JSON is written elsewhere ({@code
 * ContactTaskJson}, {@code AbandonedCartJson}); the state's bytes are this format's, so neither a
 * change of the output JSON nor a new record field changes a checkpoint unnoticed. A field added to
 * one of these records is a new format version whose snapshot reads the old one: {@code
 * TaskFormatTest} counts each record's fields and fails until this class (and the version) follow.
 *
 * <p>Compact, as {@link Compact}: variable-length numbers, times of a cart relative to when it
 * opened, UUIDs in 16 bytes, enum constants by name (a reordered enum reads back the same).
 */
public final class TaskFormat {
    private TaskFormat() {}

    /** The fields of each record this format writes; {@code TaskFormatTest} holds them equal. */
    public static final Map<Class<? extends Record>, Integer> FIELDS =
            Map.ofEntries(
                    Map.entry(AbandonedCart.class, 17),
                    Map.entry(SessionStats.class, 6),
                    Map.entry(EnrichedCart.class, 4),
                    Map.entry(Enrichment.class, 3),
                    Map.entry(CustomerProfile.class, 12),
                    Map.entry(Consent.class, 2),
                    Map.entry(Priority.class, 5),
                    Map.entry(ReasonCode.class, 2),
                    Map.entry(ContactDecision.class, 2),
                    Map.entry(ContactTiming.class, 3),
                    Map.entry(CartClosed.class, 6),
                    Map.entry(ContactTask.class, 12),
                    Map.entry(Purchase.class, 7),
                    Map.entry(ParsedOutcome.class, 4),
                    Map.entry(ContactOutcome.class, 11),
                    Map.entry(DeadLetter.class, 6),
                    Map.entry(SourcePosition.class, 3),
                    Map.entry(AgentRelease.class, 3));

    public static void writeTask(ContactTask task, DataOutputView out) throws IOException {
        if (task.content() != null) {
            // Scripts are rendered after the state, right before the tasks topic
            // (docs/scripts.md): a task kept with its text would be a wire record in state.
            throw new IllegalArgumentException(
                    "task " + task.taskId() + " carries its rendered content into state");
        }
        Compact.writeString(task.taskId(), out);
        writeName(task.type(), out);
        Compact.writeCount(task.attempt(), out);
        Compact.writeLong(task.dueBy(), out);
        Compact.writeLong(task.issuedAt(), out);
        writeCart(task.cart(), out);
        writeClosed(task.closed(), out);
        writeEnrichment(task.enrichment(), out);
        writeName(task.channel(), out);
        writeOptionalTime(task.notBefore(), out);
        Compact.writeString(task.assignedAgent(), out);
    }

    public static ContactTask readTask(DataInputView in) throws IOException {
        String taskId = Compact.readString(in);
        TaskType type = readName(TaskType.class, in);
        int attempt = Compact.readCount(in);
        long dueBy = Compact.readLong(in);
        long issuedAt = Compact.readLong(in);
        AbandonedCart cart = readCart(in);
        CartClosed closed = readClosed(in);
        Enrichment enrichment = readEnrichment(in);
        Channel channel = readName(Channel.class, in);
        Long notBefore = readOptionalTime(in);
        String agent = Compact.readString(in);
        return new ContactTask(
                taskId,
                type,
                attempt,
                dueBy,
                cart,
                closed,
                enrichment,
                channel,
                null,
                notBefore,
                agent,
                issuedAt);
    }

    /** An enriched cart, or null. */
    public static void writeEnriched(EnrichedCart enriched, DataOutputView out) throws IOException {
        out.writeBoolean(enriched != null);
        if (enriched != null) {
            writeCart(enriched.cart(), out);
            writeEnrichment(enriched.enrichment(), out);
            writeDecision(enriched.decision(), out);
            writeTiming(enriched.timing(), out);
        }
    }

    public static EnrichedCart readEnriched(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new EnrichedCart(readCart(in), readEnrichment(in), readDecision(in), readTiming(in));
    }

    /** A cart, or null; its times relative to when it opened. */
    public static void writeCart(AbandonedCart cart, DataOutputView out) throws IOException {
        out.writeBoolean(cart != null);
        if (cart == null) {
            return;
        }
        long base = cart.openedAt();
        Compact.writeString(cart.cartId(), out);
        Compact.writeString(cart.storeId(), out);
        Compact.writeString(cart.customerId(), out);
        Compact.writeString(cart.anonymousId(), out);
        out.writeBoolean(cart.items() != null);
        if (cart.items() != null) {
            Compact.writeLines(cart.items(), out);
        }
        Compact.writeDecimal(cart.cartValue(), out);
        Compact.writeString(cart.currency(), out);
        Compact.writeEnum(cart.stage(), Compact.STAGES, out);
        Compact.writeEnum(cart.reason(), Compact.REASONS, out);
        Compact.writeDecimal(cart.shippingCost(), out);
        Compact.writeLong(base, out);
        Compact.writeLong(cart.abandonedAt() - base, out);
        Compact.writeLong(cart.gapMillis(), out);
        Compact.writeLong(cart.detectedAt() - base, out);
        Compact.writeString(cart.contactDecision(), out);
        SessionStats session = cart.session();
        Compact.writeLong(session.views(), out);
        Compact.writeLong(session.productsViewed(), out);
        Compact.writeLong(session.timeOnSiteMillis(), out);
        Compact.writeLong(session.checkoutSteps(), out);
        Compact.writeLong(session.errors(), out);
        Compact.writeLong(session.previousAbandonments(), out);
        Compact.writeContact(cart.identified(), out);
    }

    public static AbandonedCart readCart(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String cartId = Compact.readString(in);
        String storeId = Compact.readString(in);
        String customerId = Compact.readString(in);
        String anonymousId = Compact.readString(in);
        var items = in.readBoolean() ? Compact.readLines(in, false) : null;
        var value = Compact.readDecimal(in);
        String currency = Compact.readString(in);
        Stage stage = Compact.readEnum(Stage.class, Compact.STAGES, in);
        ReasonHint reason = Compact.readEnum(ReasonHint.class, Compact.REASONS, in);
        var shipping = Compact.readDecimal(in);
        long openedAt = Compact.readLong(in);
        long abandonedAt = openedAt + Compact.readLong(in);
        long gap = Compact.readLong(in);
        long detectedAt = openedAt + Compact.readLong(in);
        String decision = Compact.readString(in);
        SessionStats session =
                new SessionStats(
                        (int) Compact.readLong(in),
                        (int) Compact.readLong(in),
                        Compact.readLong(in),
                        (int) Compact.readLong(in),
                        (int) Compact.readLong(in),
                        (int) Compact.readLong(in));
        return new AbandonedCart(
                cartId,
                storeId,
                customerId,
                anonymousId,
                items,
                value,
                currency,
                stage,
                reason,
                shipping,
                openedAt,
                abandonedAt,
                gap,
                detectedAt,
                decision,
                session,
                Compact.readContact(in));
    }

    static void writeEnrichment(Enrichment enrichment, DataOutputView out) throws IOException {
        out.writeBoolean(enrichment != null);
        if (enrichment == null) {
            return;
        }
        writeProfile(enrichment.profile(), out);
        Compact.writeString(enrichment.timeZone(), out);
        Priority priority = enrichment.priority();
        out.writeBoolean(priority != null);
        if (priority != null) {
            Compact.writeLong(priority.score(), out);
            Compact.writeCount(priority.reasons().size(), out);
            for (ReasonCode reason : priority.reasons()) {
                Compact.writeString(reason.code(), out);
                Compact.writeLong(reason.points(), out);
            }
            Compact.writeDecimal(priority.probability(), out);
            Compact.writeDecimal(priority.expectedValue(), out);
            writeName(priority.tier(), out);
        }
    }

    static Enrichment readEnrichment(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        CustomerProfile profile = readProfile(in);
        String timeZone = Compact.readString(in);
        Priority priority = null;
        if (in.readBoolean()) {
            int score = (int) Compact.readLong(in);
            int size = Compact.readCount(in);
            List<ReasonCode> reasons = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                reasons.add(new ReasonCode(Compact.readString(in), (int) Compact.readLong(in)));
            }
            priority =
                    new Priority(
                            score,
                            reasons,
                            Compact.readDecimal(in),
                            Compact.readDecimal(in),
                            readName(Tier.class, in));
        }
        return new Enrichment(profile, timeZone, priority);
    }

    private static void writeProfile(CustomerProfile profile, DataOutputView out)
            throws IOException {
        out.writeBoolean(profile != null);
        if (profile == null) {
            return;
        }
        Compact.writeString(profile.storeId(), out);
        Compact.writeString(profile.customerId(), out);
        Compact.writeString(profile.name(), out);
        Compact.writeString(profile.phone(), out);
        Compact.writeString(profile.email(), out);
        Compact.writeString(profile.language(), out);
        Compact.writeString(profile.timeZone(), out);
        Compact.writeCount(profile.consent().size(), out);
        // By channel, so the bytes do not depend on the map's iteration order.
        for (Channel channel : Channel.values()) {
            Consent consent = profile.consent().get(channel);
            if (consent != null) {
                writeName(channel, out);
                out.writeBoolean(consent.granted());
                writeOptionalTime(consent.at(), out);
            }
        }
        out.writeBoolean(profile.doNotContact());
        Compact.writeCount(profile.orderCount(), out);
        Compact.writeDecimal(profile.lifetimeValue(), out);
        writeOptionalTime(profile.lastOrderAt(), out);
    }

    private static CustomerProfile readProfile(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String storeId = Compact.readString(in);
        String customerId = Compact.readString(in);
        String name = Compact.readString(in);
        String phone = Compact.readString(in);
        String email = Compact.readString(in);
        String language = Compact.readString(in);
        String timeZone = Compact.readString(in);
        int consents = Compact.readCount(in);
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        for (int i = 0; i < consents; i++) {
            Channel channel = readName(Channel.class, in);
            consent.put(channel, new Consent(in.readBoolean(), readOptionalTime(in)));
        }
        return new CustomerProfile(
                storeId,
                customerId,
                name,
                phone,
                email,
                language,
                timeZone,
                consent,
                in.readBoolean(),
                Compact.readCount(in),
                Compact.readDecimal(in),
                readOptionalTime(in));
    }

    private static void writeDecision(ContactDecision decision, DataOutputView out)
            throws IOException {
        out.writeBoolean(decision != null);
        if (decision != null) {
            writeName(decision.outcome(), out);
            writeName(decision.channel(), out);
        }
    }

    private static ContactDecision readDecision(DataInputView in) throws IOException {
        return in.readBoolean()
                ? new ContactDecision(
                        readName(ContactDecision.Outcome.class, in), readName(Channel.class, in))
                : null;
    }

    private static void writeTiming(ContactTiming timing, DataOutputView out) throws IOException {
        out.writeBoolean(timing != null);
        if (timing != null) {
            writeOptionalTime(timing.notBefore(), out);
            Compact.writeLong(timing.dueBy(), out);
            Compact.writeLong(timing.contactAt(), out);
        }
    }

    private static ContactTiming readTiming(DataInputView in) throws IOException {
        return in.readBoolean()
                ? new ContactTiming(
                        readOptionalTime(in), Compact.readLong(in), Compact.readLong(in))
                : null;
    }

    public static void writeClosed(CartClosed closed, DataOutputView out) throws IOException {
        out.writeBoolean(closed != null);
        if (closed != null) {
            Compact.writeString(closed.cartId(), out);
            Compact.writeString(closed.storeId(), out);
            Compact.writeString(closed.customerId(), out);
            writeName(closed.cause(), out);
            Compact.writeLong(closed.eventTime(), out);
            Compact.writeString(closed.orderId(), out);
        }
    }

    public static CartClosed readClosed(DataInputView in) throws IOException {
        return in.readBoolean()
                ? new CartClosed(
                        Compact.readString(in),
                        Compact.readString(in),
                        Compact.readString(in),
                        readName(CartClosed.Cause.class, in),
                        Compact.readLong(in),
                        Compact.readString(in))
                : null;
    }

    /** A purchase, or null. */
    public static void writePurchase(Purchase purchase, DataOutputView out) throws IOException {
        out.writeBoolean(purchase != null);
        if (purchase != null) {
            Compact.writeString(purchase.storeId(), out);
            Compact.writeString(purchase.customerId(), out);
            Compact.writeString(purchase.cartId(), out);
            Compact.writeString(purchase.orderId(), out);
            Compact.writeLong(purchase.eventTime(), out);
            Compact.writeDecimal(purchase.value(), out);
            Compact.writeString(purchase.currency(), out);
        }
    }

    public static Purchase readPurchase(DataInputView in) throws IOException {
        return in.readBoolean()
                ? new Purchase(
                        Compact.readString(in),
                        Compact.readString(in),
                        Compact.readString(in),
                        Compact.readString(in),
                        Compact.readLong(in),
                        Compact.readDecimal(in),
                        Compact.readString(in))
                : null;
    }

    /** An outcome as read, with its bytes and where they were read (for a later dead letter). */
    public static void writeOutcome(ParsedOutcome parsed, DataOutputView out) throws IOException {
        out.writeBoolean(parsed != null);
        if (parsed == null) {
            return;
        }
        ContactOutcome outcome = parsed.outcome();
        out.writeBoolean(outcome != null);
        if (outcome != null) {
            Compact.writeString(outcome.taskId(), out);
            Compact.writeString(outcome.storeId(), out);
            Compact.writeString(outcome.cartId(), out);
            Compact.writeLong(outcome.attempt(), out);
            Compact.writeString(outcome.agentId(), out);
            writeName(outcome.channel(), out);
            writeName(outcome.outcome(), out);
            writeName(outcome.objection(), out);
            Compact.writeLong(outcome.time(), out);
            writeOptionalTime(outcome.callbackAt(), out);
            Compact.writeString(outcome.notes(), out);
        }
        DeadLetter letter = parsed.deadLetter();
        out.writeBoolean(letter != null);
        if (letter != null) {
            Compact.writeString(letter.reason(), out);
            writeBytes(letter.payload(), out);
            writePosition(letter.position(), out);
            Compact.writeLong(letter.rejectedAt(), out);
            Compact.writeLong(letter.payloadBytes(), out);
            writeName(letter.privacy(), out);
        }
        writeBytes(parsed.payload(), out);
        writePosition(parsed.position(), out);
    }

    public static ParsedOutcome readOutcome(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        ContactOutcome outcome = null;
        if (in.readBoolean()) {
            outcome =
                    new ContactOutcome(
                            Compact.readString(in),
                            Compact.readString(in),
                            Compact.readString(in),
                            (int) Compact.readLong(in),
                            Compact.readString(in),
                            readName(Channel.class, in),
                            readName(OutcomeCode.class, in),
                            readName(Objection.class, in),
                            Compact.readLong(in),
                            readOptionalTime(in),
                            Compact.readString(in));
        }
        DeadLetter letter = null;
        if (in.readBoolean()) {
            letter =
                    new DeadLetter(
                            Compact.readString(in),
                            readBytes(in),
                            readPosition(in),
                            Compact.readLong(in),
                            Compact.readLong(in),
                            readName(DeadLetter.Privacy.class, in));
        }
        return new ParsedOutcome(outcome, letter, readBytes(in), readPosition(in));
    }

    /** A release of an agent, or null. */
    public static void writeRelease(AgentRelease release, DataOutputView out) throws IOException {
        out.writeBoolean(release != null);
        if (release != null) {
            Compact.writeString(release.taskId(), out);
            Compact.writeLong(release.time(), out);
            Compact.writeString(release.reason(), out);
        }
    }

    public static AgentRelease readRelease(DataInputView in) throws IOException {
        return in.readBoolean()
                ? new AgentRelease(
                        Compact.readString(in), Compact.readLong(in), Compact.readString(in))
                : null;
    }

    private static void writePosition(SourcePosition position, DataOutputView out)
            throws IOException {
        out.writeBoolean(position != null);
        if (position != null) {
            Compact.writeString(position.source(), out);
            Compact.writeLong(position.partition(), out);
            Compact.writeLong(position.offset(), out);
        }
    }

    private static SourcePosition readPosition(DataInputView in) throws IOException {
        return in.readBoolean()
                ? new SourcePosition(
                        Compact.readString(in), (int) Compact.readLong(in), Compact.readLong(in))
                : null;
    }

    private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
        Compact.writeCount(bytes == null ? 0 : bytes.length + 1, out);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int header = Compact.readCount(in);
        if (header == 0) {
            return null;
        }
        byte[] bytes = new byte[header - 1];
        in.readFully(bytes);
        return bytes;
    }

    /** An enum constant or null, by name. */
    public static void writeName(Enum<?> value, DataOutputView out) throws IOException {
        Compact.writeString(value == null ? null : value.name(), out);
    }

    public static <E extends Enum<E>> E readName(Class<E> type, DataInputView in)
            throws IOException {
        String name = Compact.readString(in);
        return name == null ? null : Enum.valueOf(type, name);
    }

    /** An epoch-millis moment or null. */
    public static void writeOptionalTime(Long time, DataOutputView out) throws IOException {
        out.writeBoolean(time != null);
        if (time != null) {
            Compact.writeLong(time, out);
        }
    }

    public static Long readOptionalTime(DataInputView in) throws IOException {
        return in.readBoolean() ? Compact.readLong(in) : null;
    }
}
