package io.consentvault.ingest.repository;

import java.time.Instant;
import java.time.OffsetDateTime;

import io.vertx.mutiny.sqlclient.Row;

/** One row of the events table as read back. */
public record StoredEvent(String organizationId, String id, Instant receivedAt, Instant createdAt, Instant updatedAt,
        Instant eventTime, String userId, String userType, String country, String region, String regulation,
        String noticeId, String consentString, String sourceType, String sdkVersion, String sourceUrl, String items,
        String clientIp, String userAgent, String payload, String eventKey) {

    static StoredEvent from(Row r) {
        return new StoredEvent(r.getString(0), r.getString(1), instant(r.getOffsetDateTime(2)),
                instant(r.getOffsetDateTime(3)), instant(r.getOffsetDateTime(4)), instant(r.getOffsetDateTime(5)),
                r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11),
                r.getString(12), r.getString(13), r.getString(14), r.getString(15), r.getString(16), r.getString(17),
                r.getString(18), r.getString(19), r.size() > 20 ? r.getString(20) : null);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
