package io.consentvault.ingest.model;

import java.time.Instant;

/**
 * What the server knows of a request beside its body: the proof fields, the time it arrived, the key that sent it and
 * the country of the connection ({@code seenCountry}, null when nothing tells it).
 */
public record RequestContext(Instant receivedAt, String clientIp, String userAgent, String idempotencyKey,
        String apiKeyId, String seenCountry) {

    /** A request whose country is not known. */
    public RequestContext(Instant receivedAt, String clientIp, String userAgent, String idempotencyKey,
            String apiKeyId) {
        this(receivedAt, clientIp, userAgent, idempotencyKey, apiKeyId, null);
    }
}
