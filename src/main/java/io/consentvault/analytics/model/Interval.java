package io.consentvault.analytics.model;

import java.time.Duration;
import java.time.Instant;

/**
 * The width of a bucket: a UTC day or a UTC hour. Both are fixed lengths in UTC (no daylight saving), so a bucket is
 * the instant rounded down to a multiple of its length since the epoch, in Java and in SQL ({@code date_bin}) alike.
 */
public enum Interval {
    DAY("day", Duration.ofDays(1), Duration.ofDays(30)), HOUR("hour", Duration.ofHours(1), Duration.ofHours(48));

    private final String parameter;
    private final Duration length;
    private final Duration defaultRange;

    Interval(String parameter, Duration length, Duration defaultRange) {
        this.parameter = parameter;
        this.length = length;
        this.defaultRange = defaultRange;
    }

    /** The interval a query parameter names ({@code day} or {@code hour}, as written), or null. */
    public static Interval of(String parameter) {
        for (Interval i : values()) {
            if (i.parameter.equals(parameter)) {
                return i;
            }
        }
        return null;
    }

    /** How it is written in the query and in the answer. */
    public String parameter() {
        return parameter;
    }

    public Duration length() {
        return length;
    }

    /** How much an answer spans when {@code from} is not given: 30 days, or 48 hours. */
    public Duration defaultRange() {
        return defaultRange;
    }

    /** The start of the bucket that holds {@code t}. */
    public Instant floor(Instant t) {
        long seconds = length.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
    }

    /** The start of the bucket after the one that holds {@code t}. */
    public Instant next(Instant t) {
        return floor(t).plus(length);
    }
}
