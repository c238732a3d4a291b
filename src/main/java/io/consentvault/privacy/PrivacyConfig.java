package io.consentvault.privacy;

import java.util.Optional;

import io.consentvault.platform.http.ClientAddress;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How much of the client's IP address is kept as proof. Env: {@code CONSENT_PRIVACY_*}. */
@ConfigMapping(prefix = "consent.privacy")
public interface PrivacyConfig {

    /** {@code full}, {@code truncated}, {@code hashed} or {@code none}. */
    @WithDefault("full")
    ClientAddress.Storage clientIp();

    /** The secret of {@code hashed} (required then); rotating it makes old and new hashes incomparable. */
    Optional<String> ipHashSecret();
}
