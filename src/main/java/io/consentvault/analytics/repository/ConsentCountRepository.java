package io.consentvault.analytics.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.analytics.model.ConsentQuery;
import io.consentvault.analytics.model.Counts;
import io.consentvault.analytics.model.Interval;
import io.consentvault.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Counts one organization's events and records in UTC buckets, in one statement: the whole UTC hours of the range
 * from the rollup that ingest keeps ({@code consent_counts}, {@code purpose_counts}: a few rows an hour, summed over
 * its writers), the parts of an hour at either end of the range from the events themselves (bounded by the
 * organization and {@code event_time}, the API's {@code created_at}: {@code events_vault_time_idx}), and the distinct
 * users of each bucket, which no sum of hours gives, from the same index alone (it carries {@code user_key}), each
 * bucket's users sorted and counted ({@code count(DISTINCT)}: 730 ms for 30 days at 10M records, against 1.0-1.2 s for
 * a hash table of (bucket, user) pairs; load-tests/README.md). Only the counts come back. Non-blocking.
 */
@ApplicationScoped
public class ConsentCountRepository {

    /**
     * How long the statement may run, and a plan for its own range: a generic plan would know neither how wide the
     * range is nor the organization's share of the rows. The sorts of a wide range's users get {@code work_mem}
     * enough not to spill.
     */
    static final String SETTINGS = "SET LOCAL statement_timeout = '10s'; SET LOCAL plan_cache_mode = force_custom_plan;"
            + " SET LOCAL work_mem = '64MB'";

    /** A bucket's start, in SQL, for an instant {@code %s}: a multiple of its length ($4 seconds) since 2000. */
    private static final String BUCKET = "date_bin($4::integer * interval '1 second', %s, timestamptz '2000-01-01 00:00:00+00')";

    /**
     * The counts: $1 organization, $2 from, $3 to, $4 the bucket's length in seconds, $5 the purposes asked for (null:
     * all), $6 and $7 the whole hours of the range (the rollup's part, {@code [$6, $7)}, empty when $6 = $7; the
     * events' parts are {@code [$2, $6)} and {@code [$7, $3)}). Rows of three kinds: a bucket's totals (purpose and
     * users null), a bucket's purpose with its four change counts (users null), a bucket's distinct users (only users
     * set). Items of the events' parts are read as the view {@code consent_records} reads them (migration V7) and as
     * ingest counts them ({@link io.consentvault.core.store.ConsentCountsTable}): the action as text, the purpose
     * when it is a string, the change from {@code item_changes}; an event without items still counts as an event.
     */
    static final String COUNTS = """
            WITH edge AS MATERIALIZED (
                SELECT %1$s AS bucket, CASE WHEN jsonb_typeof(e.items) = 'array' THEN e.items ELSE '[]' END AS items,
                       e.item_changes
                FROM events e
                WHERE e.organization_id = $1
                  AND (e.event_time >= $2 AND e.event_time < $6 OR e.event_time >= $7 AND e.event_time < $3)
            ), edge_item AS MATERIALIZED (
                SELECT bucket, jsonb_array_elements(items) AS item, unnest(item_changes) AS change FROM edge
            ), totals AS (
                SELECT %2$s AS bucket, sum(events) AS events, sum(shown) AS shown, sum(agree_to_all) AS agree,
                       sum(disagree_to_all) AS disagree, sum(save_choices) AS save
                FROM consent_counts WHERE organization_id = $1 AND hour >= $6 AND hour < $7 GROUP BY 1
                UNION ALL
                SELECT bucket, count(*), 0, 0, 0, 0 FROM edge GROUP BY 1
                UNION ALL
                SELECT bucket, 0, count(*) FILTER (WHERE item->>'action' = 'preference.shown'),
                       count(*) FILTER (WHERE item->>'action' = 'preferences.click.agreetoall'),
                       count(*) FILTER (WHERE item->>'action' = 'preferences.click.disagreetoall'),
                       count(*) FILTER (WHERE item->>'action' = 'preferences.click.savechoices')
                FROM edge_item GROUP BY 1
            ), purposes AS (
                SELECT %2$s AS bucket, purpose, sum(granted) AS granted, sum(renewed) AS renewed,
                       sum(withdrawn) AS withdrawn, sum(refused) AS refused
                FROM purpose_counts
                WHERE organization_id = $1 AND hour >= $6 AND hour < $7 AND ($5::text[] IS NULL OR purpose = ANY($5::text[]))
                GROUP BY 1, 2
                UNION ALL
                SELECT bucket, item->>'purpose', count(*) FILTER (WHERE change = 'granted'),
                       count(*) FILTER (WHERE change = 'renewed'), count(*) FILTER (WHERE change = 'withdrawn'),
                       count(*) FILTER (WHERE change = 'refused')
                FROM edge_item
                WHERE jsonb_typeof(item->'purpose') = 'string' AND change IN ('granted', 'renewed', 'withdrawn', 'refused')
                  AND ($5::text[] IS NULL OR item->>'purpose' = ANY($5::text[]))
                GROUP BY 1, 2
            )
            SELECT bucket, NULL AS purpose, sum(events)::bigint AS a, sum(shown)::bigint AS b, sum(agree)::bigint AS c,
                   sum(disagree)::bigint AS d, sum(save)::bigint AS e, NULL::bigint AS users
            FROM totals GROUP BY 1
            UNION ALL
            SELECT bucket, purpose, sum(granted)::bigint, sum(renewed)::bigint, sum(withdrawn)::bigint,
                   sum(refused)::bigint, NULL, NULL
            FROM purposes GROUP BY 1, 2
            UNION ALL
            SELECT %1$s, NULL, NULL, NULL, NULL, NULL, NULL, count(DISTINCT e.user_key)
            FROM events e
            WHERE e.organization_id = $1 AND e.event_time >= $2 AND e.event_time < $3
            GROUP BY 1
            """
            .formatted(BUCKET.formatted("e.event_time"), BUCKET.formatted("hour"));

    private final Pool pool;

    public ConsentCountRepository(Pool pool) {
        this.pool = pool;
    }

    /** The counts of the query's range; a 503 problem when they take longer than the statement's time limit. */
    public Uni<Counts> counts(ConsentQuery query) {
        Instant wholeFrom = Interval.HOUR.floor(query.from()).equals(query.from())
                ? query.from()
                : Interval.HOUR.next(query.from());
        Instant wholeTo = Interval.HOUR.floor(query.to());
        if (!wholeFrom.isBefore(wholeTo)) {
            wholeFrom = wholeTo = query.to(); // no whole hour: the events' part is the range
        }
        Tuple binds = Tuple.of(query.organizationId(), utc(query.from()), utc(query.to()),
                (int) query.interval().length().toSeconds(),
                query.purposes().isEmpty() ? null : query.purposes().toArray(String[]::new), utc(wholeFrom))
                .addOffsetDateTime(utc(wholeTo));
        return pool.withTransaction(conn -> conn.query(SETTINGS).execute()
                .chain(() -> conn.preparedQuery(COUNTS).execute(binds)))
                .map(ConsentCountRepository::counts)
                .onFailure(ConsentCountRepository::timedOut).transform(e -> ProblemException.unavailable(
                        "counting this range took longer than the time limit; ask for a shorter range", 5));
    }

    /** The rows of {@link #COUNTS}: per bucket, its totals, its purposes' changes and its distinct users. */
    static Counts counts(RowSet<Row> rows) {
        Map<Instant, long[]> buckets = new TreeMap<>();
        List<Counts.ChangeRow> changes = new ArrayList<>();
        for (Row r : rows) {
            Instant start = r.getOffsetDateTime("bucket").toInstant();
            long[] b = buckets.computeIfAbsent(start, t -> new long[6]);
            Long users = r.getLong("users");
            String purpose = r.getString("purpose");
            if (users != null) {
                b[1] = users;
            } else if (purpose == null) {
                b[0] = r.getLong("a");
                b[2] = r.getLong("b");
                b[3] = r.getLong("c");
                b[4] = r.getLong("d");
                b[5] = r.getLong("e");
            } else {
                String[] columns = {"a", "b", "c", "d"};
                for (int i = 0; i < columns.length; i++) {
                    long n = r.getLong(columns[i]);
                    if (n != 0) {
                        changes.add(new Counts.ChangeRow(start, purpose, Counts.CHANGES.get(i), n));
                    }
                }
            }
        }
        List<Counts.BucketRow> out = new ArrayList<>();
        buckets.forEach((start, b) -> out.add(new Counts.BucketRow(start, b[0], b[1], b[2], b[3], b[4], b[5])));
        return new Counts(out, changes);
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** The statement ran past its {@code statement_timeout} (SQLSTATE 57014, query_canceled). */
    private static boolean timedOut(Throwable failure) {
        return failure instanceof PgException pg && "57014".equals(pg.getSqlState());
    }
}
