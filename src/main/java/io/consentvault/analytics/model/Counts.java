package io.consentvault.analytics.model;

import java.time.Instant;
import java.util.List;

/**
 * What the database counted for a {@link ConsentQuery}: a row per bucket that holds events, and a row per bucket,
 * purpose and change that holds records. Buckets without events have no row.
 */
public record Counts(List<BucketRow> buckets, List<ChangeRow> changes) {

    /** The changes a purpose's counts are made of, in the order of the answer. */
    public static final List<String> CHANGES = List.of("granted", "renewed", "withdrawn", "refused");

    /** One bucket's events, distinct users, and items of the four banner actions. */
    public record BucketRow(Instant start, long events, long users, long shown, long agreeToAll, long disagreeToAll,
            long saveChoices) {
    }

    /** How many records of a purpose had this change in a bucket. */
    public record ChangeRow(Instant start, String purpose, String change, long records) {
    }
}
