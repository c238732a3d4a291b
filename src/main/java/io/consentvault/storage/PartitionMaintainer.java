package io.consentvault.storage;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.consentvault.core.store.ConsentCountsTable;
import io.consentvault.platform.lifecycle.ServiceStart;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the monthly partitions of {@code events} ready ahead of time and applies retention. A partition created for a
 * month that already has rows in the default partition takes those rows over in the same transaction. Replicas
 * serialise on an advisory lock, so any number of them may run this. Runs once at start (before the service is ready)
 * and then on a schedule, on a worker thread.
 */
@ApplicationScoped
public class PartitionMaintainer {

    private static final Logger LOG = Logger.getLogger(PartitionMaintainer.class);
    private static final long LOCK_ID = 0x636f6e73656e74L; // "consent"
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'events_p'yyyyMM");
    /** What a month detached by retention is named until its counts are subtracted and it is dropped. */
    private static final String RETIRED = "events_retired_p";

    private final Pool pool;
    private final StorageConfig config;

    public PartitionMaintainer(Pool pool, StorageConfig config) {
        this.pool = pool;
        this.config = config;
    }

    void onStart(@Observes ServiceStart start) {
        maintain(Instant.now());
    }

    @Scheduled(every = "${consent.storage.maintenance-every:PT1H}", delayed = "PT1M", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        maintain(Instant.now());
    }

    /**
     * Prepares the current month and {@code partitions-ahead} more, then drops what retention no longer keeps, then
     * folds the analytics rollup's rows of the hours before the last two into one row an hour.
     */
    public void maintain(Instant now) {
        YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        ensurePartitions(current, current.plusMonths(config.partitionsAhead()));
        config.retention().ifPresent(retention -> applyRetention(now.minus(retention)));
        compactCounts(now.minus(Duration.ofHours(2)));
    }

    /**
     * Creates the monthly partitions from {@code first} to {@code last}, both included, where missing, each in its own
     * transaction. A month that fails is logged and left for the next run, and the months after it are still prepared
     * (until then its events go to the default partition, as for any month not prepared). Answers the months that
     * failed.
     */
    public List<YearMonth> ensurePartitions(YearMonth first, YearMonth last) {
        List<YearMonth> failed = new ArrayList<>();
        for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
            YearMonth m = month;
            try {
                pool.withTransaction(conn -> lock(conn).chain(() -> createIfMissing(conn, m))).await()
                        .atMost(Duration.ofMinutes(5));
            } catch (RuntimeException e) {
                LOG.errorf(e, "partition for %s not prepared; the next run tries again", m);
                failed.add(m);
            }
        }
        return failed;
    }

    /** The names of the monthly partitions that exist now. */
    public List<String> partitions() {
        return pool.query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'events'::regclass AND c.relname LIKE 'events\\_p%' ORDER BY 1
                """).execute().map(rows -> {
            List<String> names = new ArrayList<>();
            rows.forEach(r -> names.add(r.getString(0)));
            return names;
        }).await().atMost(Duration.ofMinutes(1));
    }

    /** Columns without planner statistics, as on the parent (V4): analysing their documents costs, and helps nothing. */
    static final String NO_STATISTICS = " ALTER COLUMN items SET STATISTICS 0, ALTER COLUMN payload SET STATISTICS 0,"
            + " ALTER COLUMN consent_string SET STATISTICS 0, ALTER COLUMN user_agent SET STATISTICS 0";

    private Uni<Void> createIfMissing(SqlConnection conn, YearMonth month) {
        String name = NAME.format(month);
        String from = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        String to = month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        return conn.preparedQuery("SELECT to_regclass($1) IS NOT NULL")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(name))
                .chain(rows -> {
                    if (rows.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().voidItem();
                    }
                    String range = "FOR VALUES FROM ('" + from + "') TO ('" + to + "')";
                    // Rows of that month may sit in the default partition; they move into the new one. Until the
                    // ATTACH, new rows of that month land in the default partition too, and ATTACH fails if it finds
                    // one there: so the default partition is locked first, which waits for the inserts in flight and
                    // holds back new ones until the commit; the move then sees every row. No deadlock with inserts:
                    // they hold ROW EXCLUSIVE on the parent while they wait for the default partition, and ATTACH
                    // takes SHARE UPDATE EXCLUSIVE on the parent, which does not conflict with it. (Readers of
                    // events also wait, since they open the default partition: the move is short, and ATTACH took
                    // the same lock before.)
                    String sql = "CREATE TABLE " + name + " (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS);"
                            + "ALTER TABLE " + name + NO_STATISTICS + ";"
                            + "LOCK TABLE events_default IN ACCESS EXCLUSIVE MODE;"
                            + "WITH moved AS (DELETE FROM events_default WHERE received_at >= '" + from
                            + "' AND received_at < '" + to + "' RETURNING *) INSERT INTO " + name
                            + " SELECT * FROM moved;"
                            + "ALTER TABLE events ATTACH PARTITION " + name + " " + range;
                    LOG.infof("creating partition %s", name);
                    return conn.query(sql).execute().replaceWithVoid();
                });
    }

    /**
     * Drops the months whose last instant is older than {@code cutoff}, and deletes older rows of the default partition
     * and older idempotency keys; the analytics rollup loses the counts of the events that go. In steps of their own
     * transactions, so that none takes the locks of an erasure in the opposite order, and none counts an event that an
     * erasure is deleting under it: the months first leave {@code events} (detached and renamed
     * {@code events_retired_pYYYYMM}, out of the reach of every read and erasure once in-flight ones end); then each
     * retired month's counts are subtracted and it is dropped, one transaction each (a run stopped between the steps
     * is finished by the next); then the default partition's older rows are deleted with their counts, as an erasure
     * deletes; then the keys.
     */
    void applyRetention(Instant cutoff) {
        YearMonth keepFrom = YearMonth.from(cutoff.atZone(ZoneOffset.UTC));
        String cutoffText = cutoff.atOffset(ZoneOffset.UTC).toString();
        Duration limit = Duration.ofMinutes(30);
        pool.withTransaction(conn -> lock(conn).chain(() -> conn.query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'events'::regclass AND c.relname LIKE 'events\\_p%'
                """).execute()).chain(rows -> {
            StringBuilder sql = new StringBuilder();
            for (Row r : rows) {
                String name = r.getString(0);
                // a whole month goes once its last instant is older than the cutoff
                if (YearMonth.parse(name.substring("events_p".length()), DateTimeFormatter.ofPattern("yyyyMM"))
                        .isBefore(keepFrom)) {
                    LOG.infof("retention: dropping partition %s", name);
                    sql.append("ALTER TABLE events DETACH PARTITION ").append(name).append("; ALTER TABLE ")
                            .append(name).append(" RENAME TO ").append(name.replace("events_p", RETIRED)).append(';');
                }
            }
            return sql.isEmpty() ? Uni.createFrom().voidItem() : conn.query(sql.toString()).execute().replaceWithVoid();
        })).await().atMost(limit);
        String maintenance = Integer.toString(ConsentCountsTable.MAINTENANCE);
        List<String> retired = pool.query("SELECT relname FROM pg_class WHERE relkind = 'r'"
                + " AND relnamespace = current_schema()::regnamespace AND relname LIKE 'events\\_retired\\_p%'")
                .execute().await().atMost(limit).stream().map(r -> r.getString(0)).toList();
        for (String name : retired) {
            pool.withTransaction(conn -> lock(conn)
                    .chain(() -> conn.query("SELECT to_regclass('" + name + "') IS NOT NULL").execute())
                    .chain(there -> !there.iterator().next().getBoolean(0)
                            ? Uni.createFrom().voidItem() // another replica finished it
                            : conn.query(ConsentCountsTable.change("counted AS (SELECT organization_id, event_time,"
                                    + " items, item_changes FROM " + name + ")", maintenance, -1) + "; DROP TABLE "
                                    + name).execute().replaceWithVoid()))
                    .await().atMost(limit);
        }
        pool.withTransaction(conn -> lock(conn).chain(() -> conn.query(ConsentCountsTable.change(
                "counted AS (DELETE FROM events_default WHERE received_at < '" + cutoffText
                        + "' RETURNING organization_id, event_time, items, item_changes)",
                maintenance, -1)).execute())).await().atMost(limit);
        pool.query("DELETE FROM event_keys WHERE received_at < '" + cutoffText + "'").execute().await().atMost(limit);
    }

    /**
     * Folds the writers' rows of the analytics rollup for hours before {@code before} into one row an hour
     * ({@link ConsentCountsTable#COMPACT}), each table in a transaction of its own. A failure is logged and left for
     * the next run: the answers are the same either way.
     */
    void compactCounts(Instant before) {
        Tuple at = Tuple.of(before.atOffset(ZoneOffset.UTC));
        for (String sql : List.of(ConsentCountsTable.COMPACT, ConsentCountsTable.COMPACT_PURPOSES)) {
            try {
                pool.withTransaction(conn -> conn.preparedQuery(sql).execute(at)).await().atMost(Duration.ofMinutes(5));
            } catch (RuntimeException e) {
                LOG.errorf(e, "analytics counts not compacted; the next run tries again");
            }
        }
    }

    private static Uni<Void> lock(SqlConnection conn) {
        return conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")").execute().replaceWithVoid();
    }
}
