package io.consentvault.privacy;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How much of the client's IP address is kept as proof. Env: {@code CONSENT_PRIVACY_*}. */
@ConfigMapping(prefix = "consent.privacy")
public interface PrivacyConfig {

    /** What is stored of the client IP. */
    enum IpStorage {
        /** the address as seen: the strongest proof */
        FULL,
        /** IPv4 to its /24, IPv6 to its /48: locates the network, not the device */
        TRUNCATED,
        /** an HMAC of the address with {@code ip-hash-secret}: proves a match without revealing it */
        HASHED,
        /** nothing */
        NONE
    }

    /** {@code full}, {@code truncated}, {@code hashed} or {@code none}. */
    @WithDefault("full")
    IpStorage clientIp();

    /** The secret of {@code hashed} (required then); rotating it makes old and new hashes incomparable. */
    Optional<String> ipHashSecret();
}
