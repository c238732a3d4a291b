package io.consentvault.state;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The hot cache of users' latest consent. Env: {@code CONSENT_CACHE_*}. */
@ConfigMapping(prefix = "consent.cache")
public interface StateConfig {

    /**
     * Most bytes of cached answers (the serialized user objects, plus a fixed overhead per entry). A typical user
     * without a TCF string weighs about 0.5 KB, so the default holds about half a million users.
     */
    @WithDefault("268435456")
    long maxBytes();
}
