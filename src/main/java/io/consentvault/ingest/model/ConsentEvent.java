package io.consentvault.ingest.model;

import java.time.Instant;

import io.consentvault.state.ConsentRules;

/**
 * One validated, normalised event as it is written: the row of the {@code events} table. Immutable; built on the
 * event loop by {@link EventNormalizer}, written by a lane flusher.
 *
 * @param dedupKey the idempotency key ({@code id:<client id>} or {@code key:<Idempotency-Key>}), or null
 * @param eventTime {@code createdAt} when the client gave it, else {@code receivedAt}: the time the state merge uses
 * @param items the {@code events[]} decisions as JSON text
 * @param payload the request body of this event, as received
 * @param decisions what the items decide, for the state merge
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
        ConsentRules.Decisions decisions) {
}
