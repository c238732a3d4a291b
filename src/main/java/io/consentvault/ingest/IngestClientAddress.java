package io.consentvault.ingest;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.consentvault.platform.http.ClientAddress;
import io.consentvault.platform.http.ConnectionCountry;
import io.consentvault.privacy.PrivacyConfig;

/**
 * The client address of the requests that carry events, set up from this service's settings: the trusted proxies
 * ({@code consent.ingest.trusted-proxies}) and what privacy allows to keep ({@code consent.privacy.client-ip},
 * {@code consent.privacy.ip-hash-secret}); and the country of their connection ({@code consent.ingest.country-header},
 * {@code consent.ingest.country-database}).
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

    @Produces
    @Singleton
    ConnectionCountry connectionCountry(ClientAddress address, IngestConfig ingest) {
        return new ConnectionCountry(address, ingest.countryHeader().orElse(null),
                ingest.countryDatabase().orElse(null));
    }

    void close(@Disposes ConnectionCountry country) {
        country.close();
    }
}
