package io.consentvault.analytics.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The answer of {@code GET /v1/analytics/consents}: every bucket of the query's range in order, empty ones included
 * (zeros, a null rate), so that a chart of it is continuous. Every bucket's {@code purposes} map has the same keys, in
 * code point order: the purposes asked for, or else every purpose with a counted change somewhere in the range.
 */
@RegisterForReflection(ignoreNested = false)
public record ConsentAnalytics(String interval, List<Bucket> buckets) {

    /** One UTC day or hour. {@code start} is its first instant. */
    public record Bucket(Instant start, long events, long users, long shown, long agreeToAll, long disagreeToAll,
            long saveChoices, Map<String, PurposeCounts> purposes) {
    }

    /**
     * The changes of a purpose's records in a bucket, and {@code opt_in_rate} = (granted + renewed) / (granted +
     * renewed + withdrawn + refused), null when all four are zero (written as null, never left out).
     */
    public record PurposeCounts(long granted, long renewed, long withdrawn, long refused, Double optInRate) {

        static final PurposeCounts NONE = of(0, 0, 0, 0);

        static PurposeCounts of(long granted, long renewed, long withdrawn, long refused) {
            long in = granted + renewed;
            long all = in + withdrawn + refused;
            return new PurposeCounts(granted, renewed, withdrawn, refused, all == 0 ? null : (double) in / all);
        }
    }

    /** The answer to {@code query} from what the database counted. */
    public static ConsentAnalytics of(ConsentQuery query, Counts counts) {
        Map<Instant, Counts.BucketRow> rows = new HashMap<>();
        counts.buckets().forEach(r -> rows.put(r.start(), r));
        // per bucket, per purpose: granted, renewed, withdrawn, refused
        Map<Instant, Map<String, long[]>> changes = new HashMap<>();
        Set<String> purposes = new TreeSet<>(query.purposes());
        for (Counts.ChangeRow c : counts.changes()) {
            int i = Counts.CHANGES.indexOf(c.change());
            if (i < 0 || !(query.purposes().isEmpty() || query.purposes().contains(c.purpose()))) {
                continue;
            }
            purposes.add(c.purpose());
            changes.computeIfAbsent(c.start(), s -> new HashMap<>()).computeIfAbsent(c.purpose(),
                    p -> new long[4])[i] += c.records();
        }
        List<Bucket> buckets = new ArrayList<>();
        for (Instant start : query.bucketStarts()) {
            Counts.BucketRow r = rows.getOrDefault(start, new Counts.BucketRow(start, 0, 0, 0, 0, 0, 0));
            Map<String, long[]> inBucket = changes.getOrDefault(start, Map.of());
            Map<String, PurposeCounts> byPurpose = new LinkedHashMap<>();
            for (String p : purposes) {
                long[] n = inBucket.get(p);
                byPurpose.put(p, n == null ? PurposeCounts.NONE : PurposeCounts.of(n[0], n[1], n[2], n[3]));
            }
            buckets.add(new Bucket(start, r.events(), r.users(), r.shown(), r.agreeToAll(), r.disagreeToAll(),
                    r.saveChoices(), byPurpose));
        }
        return new ConsentAnalytics(query.interval().parameter(), buckets);
    }
}
