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
import io.consentvault.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Counts one organization's events and records in UTC buckets, in one statement bounded by the organization and the
 * range of {@code event_time} (the API's {@code created_at}), so that it reads {@code events_vault_time_idx} in every
 * partition: events are partitioned by receive time, which a client's {@code created_at} does not bound, so each
 * partition is probed, and those without an event in the range cost one index descent. Items are taken apart and
 * counted in the database; only the counts come back. Non-blocking.
 */
@ApplicationScoped
public class ConsentCountRepository {

    /**
     * How long the statement may run, and a plan for its own range: a generic plan would know neither how wide the
     * range is nor the organization's share of the rows. Hash tables of a wide range's (bucket, user) pairs get
     * {@code work_mem} enough not to spill.
     */
    static final String SETTINGS = "SET LOCAL statement_timeout = '10s'; SET LOCAL plan_cache_mode = force_custom_plan;"
            + " SET LOCAL work_mem = '64MB'";

    /**
     * The counts: $1 organization, $2 from, $3 to, $4 the bucket's length in seconds, $5 the purposes asked for (null:
     * all). Rows of two kinds: a bucket's events and users (action null), and the items of a bucket with the same
     * action, purpose and change. The events of the range are read twice, once per kind, each read an index range
     * scan (or a scan of a partition the range covers) that PostgreSQL may share between parallel workers:
     * <ul>
     * <li>users are counted as (bucket, user) groups in a hash table, not by sorting the range's events;
     * <li>items are taken apart in the select list (set-returning functions in lockstep: the n-th item beside the
     * n-th element of {@code item_changes}), which needs no per-event function scan, and grouped on the raw values;
     * only the groups that count are kept, after grouping, so no per-item test runs above the workers.
     * </ul>
     * Items are read as the view {@code consent_records} reads them (migration V7): the action as text, the purpose
     * when it is a string, the change from {@code item_changes}. An event without items still counts as an event.
     * Measured against other shapes (one pass with grouping sets; a per-event subquery): load-tests/README.md.
     */
    static final String COUNTS = """
            WITH event AS NOT MATERIALIZED (
                SELECT date_bin($4::integer * interval '1 second', e.event_time, timestamptz '2000-01-01 00:00:00+00')
                           AS bucket,
                       e.user_id, CASE WHEN jsonb_typeof(e.items) = 'array' THEN e.items ELSE '[]' END AS items,
                       e.item_changes
                FROM events e
                WHERE e.organization_id = $1 AND e.event_time >= $2 AND e.event_time < $3
            ), per_user AS (
                SELECT bucket, user_id, count(*) AS events FROM event GROUP BY bucket, user_id
            ), item AS (
                SELECT bucket, jsonb_array_elements(items)->>'action' AS action,
                       jsonb_array_elements(items)->'purpose' AS purpose, unnest(item_changes) AS change
                FROM event
            )
            SELECT bucket, NULL AS action, NULL AS purpose, NULL AS change, sum(events)::bigint AS n,
                   count(user_id) AS users
            FROM per_user GROUP BY bucket
            UNION ALL
            SELECT bucket, action, CASE WHEN jsonb_typeof(purpose) = 'string' THEN purpose #>> '{}' END, change,
                   count(*), NULL
            FROM item
            GROUP BY bucket, action, purpose, change
            HAVING action IN ('preference.shown', 'preferences.click.agreetoall', 'preferences.click.disagreetoall',
                              'preferences.click.savechoices')
                OR (jsonb_typeof(purpose) = 'string' AND change IN ('granted', 'renewed', 'withdrawn', 'refused')
                    AND ($5::text[] IS NULL OR purpose #>> '{}' = ANY($5::text[])))
            """;

    private final Pool pool;

    public ConsentCountRepository(Pool pool) {
        this.pool = pool;
    }

    /** The counts of the query's range; a 503 problem when they take longer than the statement's time limit. */
    public Uni<Counts> counts(ConsentQuery query) {
        Tuple binds = Tuple.of(query.organizationId(), OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC),
                (int) query.interval().length().toSeconds(),
                query.purposes().isEmpty() ? null : query.purposes().toArray(String[]::new));
        return pool.withTransaction(conn -> conn.query(SETTINGS).execute()
                .chain(() -> conn.preparedQuery(COUNTS).execute(binds)))
                .map(ConsentCountRepository::counts)
                .onFailure(ConsentCountRepository::timedOut).transform(e -> ProblemException.unavailable(
                        "counting this range took longer than the time limit; ask for a shorter range", 5));
    }

    /** The rows of {@link #COUNTS}: per bucket, its events and users, and its items' actions and changes. */
    static Counts counts(RowSet<Row> rows) {
        Map<Instant, long[]> buckets = new TreeMap<>();
        List<Counts.ChangeRow> changes = new ArrayList<>();
        for (Row r : rows) {
            Instant start = r.getOffsetDateTime("bucket").toInstant();
            long[] b = buckets.computeIfAbsent(start, t -> new long[6]);
            String action = r.getString("action");
            long n = r.getLong("n");
            if (action == null && r.getValue("users") != null) {
                b[0] = n;
                b[1] = r.getLong("users");
                continue;
            }
            switch (action == null ? "" : action) {
                case "preference.shown" -> b[2] += n;
                case "preferences.click.agreetoall" -> b[3] += n;
                case "preferences.click.disagreetoall" -> b[4] += n;
                case "preferences.click.savechoices" -> b[5] += n;
                default -> {
                }
            }
            String purpose = r.getString("purpose");
            String change = r.getString("change");
            if (purpose != null && change != null && Counts.CHANGES.contains(change)) {
                changes.add(new Counts.ChangeRow(start, purpose, change, n));
            }
        }
        List<Counts.BucketRow> out = new ArrayList<>();
        buckets.forEach((start, b) -> out.add(new Counts.BucketRow(start, b[0], b[1], b[2], b[3], b[4], b[5])));
        return new Counts(out, changes);
    }

    /** The statement ran past its {@code statement_timeout} (SQLSTATE 57014, query_canceled). */
    private static boolean timedOut(Throwable failure) {
        return failure instanceof PgException pg && "57014".equals(pg.getSqlState());
    }
}
