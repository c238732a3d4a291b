package io.consentvault.export.run;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.event.Uuid7;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The {@code export_runs} table as the runner and the schedule use it: queue a run, claim one under a session
 * advisory lock, write its progress and its end. Non-blocking.
 */
@ApplicationScoped
public class ExportRuns {

    /** Queues a run; answers false when a run of that date is already queued or running (or scheduled twice). */
    public static final String QUEUE = """
            INSERT INTO export_runs (id, organization_id, date, trigger, status, created_at)
            VALUES ($1, $2, $3, $4, 'queued', $5)
            ON CONFLICT DO NOTHING
            """;

    /** Runs that want a replica: queued, or running (a running one whose lock is free lost its replica). */
    public static final String PENDING = "SELECT id FROM export_runs WHERE status IN ('queued', 'running')"
            + " ORDER BY created_at LIMIT 50";

    /** The run's lock, held by the session of the replica that runs it, for as long as it runs. */
    public static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended('export-run:' || $1, 0))";

    public static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended('export-run:' || $1, 0))";

    /** Starts (or starts again) a run that is still pending, at this cutoff. */
    public static final String START = """
            UPDATE export_runs SET status = 'running', started_at = $2, cutoff_at = $2, finished_at = NULL,
                   users_written = 0, events_written = 0, bytes_written = 0, rows_expected = NULL, manifest = NULL,
                   error_title = NULL, error_detail = NULL, attempts = attempts + 1
            WHERE id = $1 AND status IN ('queued', 'running')
            RETURNING organization_id, date
            """;

    public static final String EXPECTED = "UPDATE export_runs SET rows_expected = $2 WHERE id = $1";

    public static final String PROGRESS = "UPDATE export_runs SET users_written = $2, events_written = $3,"
            + " bytes_written = $4 WHERE id = $1 AND status = 'running'";

    public static final String SUCCEEDED = "UPDATE export_runs SET status = 'succeeded', finished_at = $2,"
            + " users_written = $3, events_written = $4, bytes_written = $5, manifest = $6 WHERE id = $1";

    public static final String FAILED = "UPDATE export_runs SET status = 'failed', finished_at = $2,"
            + " error_title = $3, error_detail = $4 WHERE id = $1";

    /**
     * The days the schedule owes each organization: from the day after its last scheduled run (at most
     * {@code $2} days back, and not before the organization existed) to {@code $1}, yesterday.
     */
    public static final String OWED = """
            SELECT o.id, d::date
            FROM organizations o
            CROSS JOIN LATERAL (
              SELECT max(r.date) AS last FROM export_runs r
              WHERE r.organization_id = o.id AND r.trigger = 'scheduled'
            ) l
            CROSS JOIN LATERAL generate_series(
              greatest(coalesce(l.last + 1, $1::date), $1::date - ($2::integer - 1), o.created_at::date),
              $1::date, interval '1 day') AS d
            WHERE $3::text IS NULL OR o.id = $3
            """;

    private final Pool pool;

    public ExportRuns(Pool pool) {
        this.pool = pool;
    }

    /** A new run's id: time-ordered. */
    public static String newId() {
        return "exp_" + Uuid7.next(System.currentTimeMillis()).replace("-", "");
    }

    /** Queues the schedule's runs for every day owed up to {@code yesterday}; answers how many were queued. */
    public Future<Integer> queueOwed(LocalDate yesterday, int catchUpDays) {
        return queueOwed(yesterday, catchUpDays, null);
    }

    /** {@link #queueOwed(LocalDate, int)} for one organization only ({@code null}: every one). */
    public Future<Integer> queueOwed(LocalDate yesterday, int catchUpDays, String organizationId) {
        return pool.preparedQuery(OWED).execute(Tuple.of(yesterday, catchUpDays, organizationId)).compose(rows -> {
            List<Tuple> runs = new ArrayList<>();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            for (Row r : rows) {
                runs.add(Tuple.of(newId(), r.getString(0), r.getLocalDate(1), "scheduled",
                        now.atOffset(ZoneOffset.UTC)));
            }
            return runs.isEmpty()
                    ? Future.succeededFuture(0)
                    : pool.preparedQuery(QUEUE).executeBatch(runs).map(result -> {
                        int queued = 0;
                        for (var rs = result; rs != null; rs = rs.next()) {
                            queued += rs.rowCount();
                        }
                        return queued;
                    });
        });
    }

    /** The ids of the runs that want a replica, oldest first. */
    public Future<List<String>> pending() {
        return pool.preparedQuery(PENDING).execute().map(rows -> {
            List<String> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getString(0)));
            return ids;
        });
    }

    /** Tries the run's lock on this connection (a session lock: it lasts until released or the session ends). */
    static Future<Boolean> tryLock(SqlConnection conn, String id) {
        return conn.preparedQuery(TRY_LOCK).execute(Tuple.of(id)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    static Future<?> unlock(SqlConnection conn, String id) {
        return conn.preparedQuery(UNLOCK).execute(Tuple.of(id));
    }
}
