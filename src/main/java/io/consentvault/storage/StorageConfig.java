package io.consentvault.storage;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Partitions and retention of the event tables. Env: {@code CONSENT_STORAGE_*}. */
@ConfigMapping(prefix = "consent.storage")
public interface StorageConfig {

    /** Monthly partitions kept ready ahead of the current month, so a month boundary never lands in the default. */
    @WithDefault("2")
    int partitionsAhead();

    /**
     * How long events are kept, counted from their receive time; whole monthly partitions older than this are
     * dropped. Unset keeps everything (proof of consent is usually kept for years).
     */
    Optional<Duration> retention();

    /** How often partitions are prepared and retention applied (also once at start). */
    @WithDefault("PT1H")
    Duration maintenanceEvery();
}
