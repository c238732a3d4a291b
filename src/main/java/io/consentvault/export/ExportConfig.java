package io.consentvault.export;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The daily export's settings ({@code CONSENT_EXPORT_*} in the environment). */
@ConfigMapping(prefix = "consent.export")
public interface ExportConfig {

    /** Where exports go: {@code file:///path} or {@code s3://bucket/prefix}; absent: exports are off. */
    Optional<String> destination();

    /** A custom S3 endpoint (an S3-compatible store); absent: AWS. */
    Optional<String> s3Endpoint();

    /** When the previous day is exported (cron, UTC); {@code off} disables it. */
    @WithDefault("0 0 2 * * ?")
    String schedule();

    /** How many past days the schedule catches up after downtime, at most. */
    @WithDefault("31")
    int catchUpDays();

    /** How often a replica looks for runs to do (queued, or left running by a replica that died). */
    @WithDefault("10s")
    String poll();

    /** A part file is closed once its compressed size reaches this. */
    @WithDefault("134217728")
    long partMaxBytes();

    /** The deflate level of the part files: 1 (fastest) to 9 (smallest). */
    @WithDefault("3")
    int gzipLevel();

    /** Rows read from the database at a time. */
    @WithDefault("2000")
    int fetchRows();
}
