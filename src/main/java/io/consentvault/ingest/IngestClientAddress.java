package io.consentvault.ingest;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.consentvault.platform.http.ClientAddress;
import io.consentvault.privacy.PrivacyConfig;

/**
 * The client address of the requests that carry events, set up from this service's settings: the trusted proxies
 * ({@code consent.ingest.trusted-proxies}) and what privacy allows to keep ({@code consent.privacy.client-ip},
 * {@code consent.privacy.ip-hash-secret}).
 */
@Singleton
public class IngestClientAddress {

    @Produces
    @Singleton
    ClientAddress clientAddress(IngestConfig ingest, PrivacyConfig privacy) {
        ClientAddress.Storage storage = privacy.clientIp();
        String secret = privacy.ipHashSecret().filter(s -> !s.isBlank()).orElse(null);
        if (storage == ClientAddress.Storage.HASHED && secret == null) {
            throw new IllegalStateException("consent.privacy.client-ip=hashed needs consent.privacy.ip-hash-secret");
        }
        return new ClientAddress(ingest.trustedProxies().orElse(java.util.List.of()), storage, secret);
    }
}
