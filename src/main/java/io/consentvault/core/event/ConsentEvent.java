package io.consentvault.core.event;

import java.time.Instant;
import java.util.List;

import io.consentvault.core.decision.ConsentRules;

/**
 * One validated, normalised event as it is written: the row of the {@code events} table. Immutable; built on the
 * event loop by the ingest feature's normaliser, written by a lane flusher.
 *
 * @param dedupKey the idempotency key ({@code id:<client id>} or {@code key:<Idempotency-Key>}), or null
 * @param eventTime {@code createdAt} when the client gave it, else {@code receivedAt}: the time the state merge uses
 * @param items the {@code events[]} decisions as JSON text
 * @param payload the request body of this event, as received
 * @param decisions what the items (over the decoded consent string) decide, for the state merge
 * @param apiKeyId the key that sent the event
 * @param eventItems the items of {@code events[]}, one vault record each
 * @param seenCountry the country of the connection that sent it (a trusted proxy's header, or the client IP's), or null
 * @param metadata the payload's {@code metadata} object as JSON text, or null
 * @param userMetadata the payload's {@code user.metadata} object as JSON text, or null
 */
public record ConsentEvent(
        String organizationId,
        String id,
        String eventKey,
        String dedupKey,
        Instant receivedAt,
        Instant createdAt,
        Instant updatedAt,
        Instant eventTime,
        String userId,
        String userKey,
        String userType,
        String country,
        String region,
        String regulation,
        String noticeId,
        String consentString,
        String sourceType,
        String sdkVersion,
        String sourceUrl,
        String items,
        String clientIp,
        String userAgent,
        String idempotencyKey,
        String payload,
        ConsentRules.Decisions decisions,
        String apiKeyId,
        List<EventItem> eventItems,
        String seenCountry,
        String metadata,
        String userMetadata) {

    /** Heap of a queued event's own fields beyond its texts: the record, instants, request context. */
    private static final int OVERHEAD = 640;
    /** What one item costs while queued, parsed for its vault record. */
    private static final int PER_ITEM = 120;
    /** What one decision costs once merged into a user's state (see the state cache's weigher). */
    private static final int PER_DECISION = 160;

    /**
     * The bytes this event holds while queued and while its batch is merged: its texts (two bytes a character at most)
     * and what its decisions become in the user's state. Lanes and flushes are bounded by this, not by a count alone.
     */
    public long estimatedBytes() {
        // metadata is a part of the payload: its text is counted once more
        long texts = length(payload) + length(metadata) + length(userMetadata) + length(items) + length(consentString)
                + length(userId) + length(id)
                + length(userAgent) + length(sourceUrl);
        int decided = decisions == null ? 0 : decisions.purposes().size() + decisions.vendors().size();
        return OVERHEAD + 2 * texts + (long) PER_DECISION * decided
                + (long) PER_ITEM * (eventItems == null ? 0 : eventItems.size());
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }
}
