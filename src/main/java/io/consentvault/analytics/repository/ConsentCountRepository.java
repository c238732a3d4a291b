package io.consentvault.analytics.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.analytics.model.ConsentQuery;
import io.consentvault.analytics.model.Counts;
import io.consentvault.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
     * The counts: $1 organization, $2 from, $3 to, $4 the bucket's length in seconds, $5 the purposes asked for (null: all).
     * Each item is read as the view {@code consent_records} reads it (migration V7): its {@code action} and
     * {@code purpose} when they are strings, its {@code change} from the event's {@code item_changes}. An event
     * without items still counts as an event and its user as a user. One pass over the events: the grouping sets give a
     * row per (bucket, user), summed into the bucket's row, and a row per (bucket, purpose, change).
     */
    static final String COUNTS = """
            WITH item AS (
                SELECT date_bin($4::integer * interval '1 second', e.event_time, timestamptz '2000-01-01 00:00:00+00') AS bucket,
                       e.user_id, i.n,
                       i.v->>'action' AS action,
                       CASE WHEN jsonb_typeof(i.v->'purpose') = 'string' THEN i.v->>'purpose' END AS purpose,
                       e.item_changes[i.n] AS change
                FROM events e
                LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.items) = 'array' THEN e.items
                                                            ELSE '[]' END) WITH ORDINALITY AS i(v, n) ON true
                WHERE e.organization_id = $1 AND e.event_time >= $2 AND e.event_time < $3
            ), grouped AS (
                SELECT bucket, user_id, purpose, change, GROUPING(user_id) AS per_purpose,
                       count(*) FILTER (WHERE n IS NULL OR n = 1) AS events,
                       count(*) FILTER (WHERE action = 'preference.shown') AS shown,
                       count(*) FILTER (WHERE action = 'preferences.click.agreetoall') AS agree,
                       count(*) FILTER (WHERE action = 'preferences.click.disagreetoall') AS disagree,
                       count(*) FILTER (WHERE action = 'preferences.click.savechoices') AS save,
                       count(*) AS records
                FROM item
                GROUP BY GROUPING SETS ((bucket, user_id), (bucket, purpose, change))
            )
            SELECT bucket, per_purpose, purpose, change,
                   sum(events)::bigint AS events, count(user_id) AS users, sum(shown)::bigint AS shown,
                   sum(agree)::bigint AS agree, sum(disagree)::bigint AS disagree, sum(save)::bigint AS save,
                   sum(records)::bigint AS records
            FROM grouped
            WHERE per_purpose = 0
               OR (purpose IS NOT NULL AND change IN ('granted', 'renewed', 'withdrawn', 'refused')
                   AND ($5::text[] IS NULL OR purpose = ANY($5::text[])))
            GROUP BY bucket, per_purpose, purpose, change
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
                .map(rows -> {
                    List<Counts.BucketRow> buckets = new ArrayList<>();
                    List<Counts.ChangeRow> changes = new ArrayList<>();
                    for (Row r : rows) {
                        var start = r.getOffsetDateTime("bucket").toInstant();
                        if (r.getInteger("per_purpose") == 0) {
                            buckets.add(new Counts.BucketRow(start, r.getLong("events"), r.getLong("users"),
                                    r.getLong("shown"), r.getLong("agree"), r.getLong("disagree"), r.getLong("save")));
                        } else {
                            changes.add(new Counts.ChangeRow(start, r.getString("purpose"), r.getString("change"),
                                    r.getLong("records")));
                        }
                    }
                    return new Counts(buckets, changes);
                })
                .onFailure(ConsentCountRepository::timedOut).transform(e -> ProblemException.unavailable(
                        "counting this range took longer than the time limit; ask for a shorter range", 5));
    }

    /** The statement ran past its {@code statement_timeout} (SQLSTATE 57014, query_canceled). */
    private static boolean timedOut(Throwable failure) {
        return failure instanceof PgException pg && "57014".equals(pg.getSqlState());
    }
}
