package io.consentvault.core.event;

import java.time.Instant;

/**
 * One event as stored and read back (the {@code events} table's row mapping is {@code EventsTable}'s); {@code version}
 * is its user's version once it was merged (null for events stored before that was kept).
 */
public record StoredEvent(String organizationId, String id, Instant receivedAt, Instant createdAt, Instant updatedAt,
        Instant eventTime, String userId, String userType, String country, String region, String regulation,
        String noticeId, String consentString, String sourceType, String sdkVersion, String sourceUrl, String items,
        String clientIp, String userAgent, String payload, String eventKey, Integer version, String seenCountry,
        String metadata, String userMetadata) {
}
