package io.consentvault.ingest.model;

import java.time.Instant;

/** What the server knows of a request beside its body: the proof fields and the time it arrived. */
public record RequestContext(Instant receivedAt, String clientIp, String userAgent, String idempotencyKey) {
}
