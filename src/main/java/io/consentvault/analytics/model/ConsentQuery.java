package io.consentvault.analytics.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.vault.query.Instants;

/**
 * What a consent analytics request asks for: one organization's events with {@code created_at} in
 * {@code [from, to)}, counted in UTC buckets of {@code interval}, and the purposes its {@code purposes} map shows
 * (empty: every purpose with a change in the range). {@link #of} reads the query parameters and refuses, naming the
 * parameter, what is not valid; nothing else builds one, so a query always has 1 to {@link #MAX_BUCKETS} buckets.
 */
public record ConsentQuery(String organizationId, Instant from, Instant to, Interval interval, Set<String> purposes) {

    /** The most buckets one answer holds: a year and a month of days, or 16 days of hours. */
    public static final int MAX_BUCKETS = 400;
    /** The most {@code purpose} parameters one request may repeat. */
    public static final int MAX_PURPOSES = 100;

    /**
     * The query of these parameters, each null when absent. {@code interval} defaults to {@code day}; {@code to} to
     * the end of the bucket that holds {@code now} (so the current day or hour is the last bucket); {@code from} to
     * the start of the bucket that makes the answer 30 day buckets, or 48 hour buckets, long. Instants
     * are read as the vault reads them ({@link Instants}): RFC 3339 with any offset, or {@code YYYY-MM-DD} (00:00Z).
     *
     * @throws ProblemException 400, each error naming its query parameter
     */
    public static ConsentQuery of(String organizationId, String fromText, String toText, String intervalText,
            List<String> purposeValues, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        Interval interval = intervalText == null ? Interval.DAY : Interval.of(intervalText);
        if (interval == null) {
            errors.add(FieldError.query("interval", "must be day or hour"));
        }
        Instant from = fromText == null ? null : Instants.parse(fromText);
        if (fromText != null && from == null) {
            errors.add(FieldError.query("from", "must be an RFC 3339 date-time or YYYY-MM-DD"));
        }
        Instant to = toText == null ? null : Instants.parse(toText);
        if (toText != null && to == null) {
            errors.add(FieldError.query("to", "must be an RFC 3339 date-time or YYYY-MM-DD"));
        }
        Set<String> purposes = new TreeSet<>(purposeValues == null ? List.of() : purposeValues);
        if (purposes.size() > MAX_PURPOSES) {
            errors.add(FieldError.query("purpose", "at most " + MAX_PURPOSES + " purposes"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (to == null) {
            to = interval.next(from != null && from.isAfter(now) ? from : now);
        }
        if (from == null) {
            // the start of the bucket that many buckets back: 30 day or 48 hour buckets, whatever to cuts
            from = interval.floor(to.minusNanos(1)).minus(interval.defaultRange()).plus(interval.length());
        }
        if (!from.isBefore(to)) {
            throw ProblemException.invalid(List.of(FieldError.query("to", "must be after from")));
        }
        long buckets = bucketCount(from, to, interval);
        if (buckets > MAX_BUCKETS) {
            throw ProblemException.invalid(List.of(FieldError.query("from", "from " + from + " to " + to + " is "
                    + buckets + " " + interval.parameter() + " buckets; at most " + MAX_BUCKETS + " in one answer")));
        }
        return new ConsentQuery(organizationId, from, to, interval, Collections.unmodifiableSet(purposes));
    }

    /** How many UTC buckets of the interval meet {@code [from, to)}. */
    static long bucketCount(Instant from, Instant to, Interval interval) {
        Instant first = interval.floor(from);
        Instant last = interval.floor(to.minusNanos(1));
        return (last.getEpochSecond() - first.getEpochSecond()) / interval.length().toSeconds() + 1;
    }

    /** The start of every bucket, in order: the first holds {@code from}, the last holds the instant before {@code to}. */
    public List<Instant> bucketStarts() {
        List<Instant> starts = new ArrayList<>();
        for (Instant t = interval.floor(from); t.isBefore(to); t = t.plus(interval.length())) {
            starts.add(t);
        }
        return starts;
    }
}
