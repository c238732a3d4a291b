package io.consentvault.core.event;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentMerge;
import io.consentvault.core.decision.ConsentRules;
import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.tcf.ConsentStringDecoder;
import io.consentvault.core.tcf.ConsentStrings;

/**
 * The rules that turn an event into facts, in one place: what it decides (the decoded consent string, overlaid by the
 * explicit items of {@code events[]}: an item's flag wins over the string's for the same purpose or vendor), which
 * string is its {@code tcfcs} (the consent string of a {@code tcf} event; a GPP string decides but is not a TC string),
 * and the facts the state merge takes from it. Used on ingest ({@link ConsentEvent}), on replay of a stored history
 * and by the event view ({@link StoredEvent}). Stateless.
 */
public final class EventRules {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventRules() {
    }

    /** What an event decides: its consent string's decisions (null: none), overlaid by its items. */
    public static ConsentRules.Decisions decisions(ConsentRules.Decisions fromString, JsonNode items) {
        return ConsentRules.overlay(fromString, ConsentRules.of(items));
    }

    /** The event's TCF string, the {@code tcfcs} of the export layout and of the state; null for other regulations. */
    public static String tcfcs(String regulation, String consentString) {
        return "tcf".equals(regulation) ? consentString : null;
    }

    /** The facts of an event being written: its decisions were worked out when it was checked. */
    public static ConsentMerge.EventFacts facts(ConsentEvent e) {
        return new ConsentMerge.EventFacts(new ConsentState.Source(e.eventTime(), e.receivedAt(), e.id()),
                e.decisions(), e.country(), tcfcs(e.regulation(), e.consentString()), e.seenCountry(),
                e.userMetadata());
    }

    /** The facts of a stored event, worked out again from its items and string. */
    public static ConsentMerge.EventFacts facts(StoredEvent e, ConsentStrings strings) {
        return new ConsentMerge.EventFacts(new ConsentState.Source(e.eventTime(), e.receivedAt(), e.id()),
                decisions(e, strings).decisions(), e.country(), tcfcs(e.regulation(), e.consentString()),
                e.seenCountry(), e.userMetadata());
    }

    /** What a stored event decides, and its decoded string (null when it has none that decodes). */
    public record Read(ConsentRules.Decisions decisions, ConsentStringDecoder.Decoded decoded) {
    }

    /**
     * What a stored event decides. A string stored before strings were checked, and that does not decode, decides
     * nothing (it is shown as it is).
     */
    public static Read decisions(StoredEvent e, ConsentStrings strings) {
        return decisions(e, items(e), strings);
    }

    /** The stored event's items, parsed. */
    public static JsonNode items(StoredEvent e) {
        try {
            return MAPPER.readTree(e.items());
        } catch (Exception ex) {
            throw new IllegalStateException("stored items are not JSON", ex);
        }
    }

    /** What a stored event decides, its items already read ({@link EventItem#parse}). */
    public static Read decisions(StoredEvent e, List<EventItem> items, ConsentStrings strings) {
        ConsentStringDecoder.Decoded decoded = decoded(e, strings);
        return new Read(ConsentRules.overlay(decoded == null ? null : decoded.decisions(), ConsentRules.of(items)),
                decoded);
    }

    /** What a stored event decides, its {@link #items} already parsed. */
    public static Read decisions(StoredEvent e, JsonNode items, ConsentStrings strings) {
        ConsentStringDecoder.Decoded decoded = decoded(e, strings);
        return new Read(decisions(decoded == null ? null : decoded.decisions(), items), decoded);
    }

    /** The event's string decoded; null when it has none, or one stored before strings were checked that does not decode. */
    private static ConsentStringDecoder.Decoded decoded(StoredEvent e, ConsentStrings strings) {
        try {
            return strings.decode(e.regulation(), e.consentString());
        } catch (ConsentStringDecoder.InvalidConsentString ex) {
            return null; // it decides nothing
        }
    }

    /** The time an event's decisions count from: the client's {@code created_at}, else its receive time. */
    public static Instant eventTime(Instant createdAt, Instant receivedAt) {
        return createdAt != null ? createdAt : receivedAt;
    }
}
