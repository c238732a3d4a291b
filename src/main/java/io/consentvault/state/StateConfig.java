package io.consentvault.state;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The hot cache of users' latest consent. Env: {@code CONSENT_CACHE_*}. */
@ConfigMapping(prefix = "consent.cache")
public interface StateConfig {

    /**
     * Most bytes of cached answers (the serialized user objects, plus a fixed overhead per entry). A typical user
     * without a TCF string weighs about 0.5 KB. Unset: a quarter of the JVM's maximum heap ({@link #bound}), so that
     * the cache never crowds out the heap it lives in whatever memory the pod is given.
     */
    Optional<Long> maxBytes();

    /** The bound in force: {@link #maxBytes}, else a quarter of {@code maxHeap}. */
    static long bound(Optional<Long> maxBytes, long maxHeap) {
        return maxBytes.orElse(maxHeap / 4);
    }
}
