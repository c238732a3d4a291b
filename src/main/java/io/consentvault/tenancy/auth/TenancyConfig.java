package io.consentvault.tenancy.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Per-key rate limit: a token bucket per key and per replica. Env: {@code CONSENT_RATE_LIMIT_*}. (The admin token is
 * {@code CONSENT_ADMIN_TOKEN}; unset, the admin routes refuse everyone.)
 */
@ConfigMapping(prefix = "consent.rate-limit")
public interface TenancyConfig {

    /**
     * Requests per second one key may make on one replica. A web SDK's key is shared by every visitor of a site, so
     * the default is generous; lower it for server-side keys.
     */
    @WithDefault("5000")
    int perSecond();

    /** Requests a key may make at once above its rate (the bucket's size). */
    @WithDefault("10000")
    int burst();
}
