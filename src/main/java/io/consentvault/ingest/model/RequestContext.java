package io.consentvault.ingest.model;

import java.time.Instant;

/**
 * What the server knows of a request beside its body: the proof fields, the time it arrived and the key that sent it.
 */
public record RequestContext(Instant receivedAt, String clientIp, String userAgent, String idempotencyKey,
        String apiKeyId) {
}
