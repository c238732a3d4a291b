package io.consentvault.state.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.decision.ConsentMerge;
import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.UserKey;
import io.consentvault.core.store.StateCodec;
import io.consentvault.core.store.StateTable;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Folds a committed batch of events into the users' latest state, inside the batch's transaction: the batch is merged
 * per user in memory ({@link ConsentMerge}), then written as one batched upsert, and announced. Two ways:
 * <ul>
 * <li>{@link #merge} + {@link #writeGuarded}, the usual one: the merge starts from the state this replica already holds
 * (its cache, or a plain read), and the upsert writes only where the stored state is still that one (same revision,
 * still there). Where it is not (another replica wrote the user, or the user was erased), the statement raises
 * SQLSTATE 40001 and the whole batch is rolled back, to be written again the second way.</li>
 * <li>{@link #apply}: rows are created if missing and locked in key order by one statement, so concurrent batches
 * (other lanes, other replicas) serialise per user without deadlocks and no merge starts from a state another
 * transaction is changing; then the update. Costs one more statement and one more row version per user.</li>
 * </ul>
 * Every write that changes a row sets its revision to the one it merged onto plus one; a new row starts at a revision
 * drawn by {@link #FIRST_REVISION}, never used before for any row. Statements are pipelined on the connection. Called
 * by {@code EventWriter} on the Vert.x event loop of the transaction's connection.
 */
@ApplicationScoped
public class StateWriter {

    /**
     * Creates missing rows and locks existing ones in one statement, answering every row as it stands: an upsert whose
     * update changes nothing. Rows go in key order, so concurrent batches lock in the same order. (An upsert routes
     * each row to its partition; a SELECT FOR UPDATE or UPDATE joined with the batch would be planned against every
     * partition.)
     */
    public static final String LOCK = """
            INSERT INTO consent_state AS s (organization_id, user_key, user_id, user_type)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ORDER BY 1, 2
            ON CONFLICT (organization_id, user_key) DO UPDATE SET version = s.version
            RETURNING %s
            """.formatted(StateTable.columns("s."));

    public static final String UPDATE = """
            INSERT INTO consent_state AS s (organization_id, user_key, user_id, decisions, created_at, updated_at,
                                            version, revision)
            SELECT organization_id, user_key, '', decisions::jsonb, created_at, updated_at, version, revision
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[],
                        $7::bigint[])
              AS u(organization_id, user_key, decisions, created_at, updated_at, version, revision)
            ON CONFLICT (organization_id, user_key) DO UPDATE
            SET decisions = EXCLUDED.decisions, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                version = EXCLUDED.version, revision = EXCLUDED.revision
            """;

    /**
     * The guarded upsert. Row {@code i} (1-based) of a user the writer believes stored carries version {@code -i}: on
     * conflict, {@code $10[i]} is the revision it expects and {@code $11[i]} the version it writes. That sentinel
     * insert lands only if the row vanished meanwhile (erased); a new user's row carries its real version and must not
     * conflict. Any row not written as expected fails the count, and {@code consent_state_changed()} raises SQLSTATE
     * 40001. A user whose state the batch left as it was is written with the revision it expects: its row does not
     * change, and a merge onto it stays valid.
     */
    public static final String UPSERT_GUARDED = """
            WITH written AS (
              INSERT INTO consent_state AS s (organization_id, user_key, user_id, user_type, decisions, created_at,
                                              updated_at, version, revision)
              SELECT organization_id, user_key, user_id, user_type, decisions::jsonb, created_at, updated_at, version,
                     revision
              FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                          $7::timestamptz[], $8::int[], $9::bigint[])
                AS u(organization_id, user_key, user_id, user_type, decisions, created_at, updated_at, version,
                     revision)
              ORDER BY 1, 2
              ON CONFLICT (organization_id, user_key) DO UPDATE
              SET decisions = EXCLUDED.decisions, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                  version = ($11::int[])[-EXCLUDED.version], revision = EXCLUDED.revision
              WHERE EXCLUDED.version < 0
                AND s.revision = ($10::bigint[])[-EXCLUDED.version]
              RETURNING s.version
            )
            SELECT consent_state_changed() FROM (SELECT count(*) AS n FROM written WHERE version >= 0) w
            WHERE w.n <> $12
            """;

    /**
     * The first revision of the rows a batch creates: a multiple of 2^20 never drawn before (as the column's default
     * draws for rows created by {@link #LOCK}), so a user erased and written again never comes back to a revision some
     * replica may still hold for the erased row.
     */
    public static final String FIRST_REVISION = "SELECT nextval('consent_state_incarnation') * 1048576";

    public static final String DELETE = "DELETE FROM consent_state WHERE organization_id = $1 AND user_key = $2";

    public static final String NOTIFY = "SELECT pg_notify('" + StateChanges.CHANNEL + "', m) FROM unnest($1::text[]) m";

    private final StateChanges changes;

    public StateWriter(StateChanges changes) {
        this.changes = changes;
    }

    /** Draws the first revision of the rows a batch may create (see {@link #FIRST_REVISION}). */
    public static Future<Long> firstRevision(SqlClient client) {
        return client.preparedQuery(FIRST_REVISION).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Writes a merge (every user of it, so that every base is checked) and announces the changes, pipelined; fails
     * with SQLSTATE 40001 when a base was not the stored state any more, and the transaction is then aborted.
     */
    public Future<Map<UserKey, ConsentState>> writeGuarded(SqlConnection conn, BatchMerge.Merged merged) {
        int n = merged.after().size();
        if (n == 0) {
            return Future.succeededFuture(Map.of());
        }
        String[] orgs = new String[n], keys = new String[n], ids = new String[n], types = new String[n],
                decisions = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n], updated = new OffsetDateTime[n];
        Integer[] versions = new Integer[n], newVersions = new Integer[n];
        Long[] revisions = new Long[n], expectedRevisions = new Long[n];
        int i = 0;
        for (Map.Entry<UserKey, ConsentState> e : merged.after().entrySet()) {
            ConsentState base = merged.before().get(e.getKey());
            ConsentState state = e.getValue();
            orgs[i] = e.getKey().organizationId();
            keys[i] = e.getKey().userKey();
            ids[i] = state.userId();
            types[i] = state.userType();
            decisions[i] = StateCodec.encode(state);
            created[i] = utc(state.createdAt());
            updated[i] = utc(state.updatedAt());
            versions[i] = base == null ? state.version() : -(i + 1);
            revisions[i] = state.revision();
            expectedRevisions[i] = base == null ? -1 : base.revision();
            newVersions[i] = state.version();
            i++;
        }
        Future<?> upsert = conn.preparedQuery(UPSERT_GUARDED).execute(Tuple.from(new Object[]{orgs, keys, ids, types,
                decisions, created, updated, versions, revisions, expectedRevisions, newVersions, n}));
        Future<Map<UserKey, ConsentState>> announced = announce(conn, merged.changed());
        return Future.all(upsert, announced).map(done -> merged.changed());
    }

    /**
     * Applies the newly stored events (in arrival order) under row locks and answers the states that changed, to be
     * published once the transaction commits.
     */
    public Future<BatchMerge.Merged> apply(SqlConnection conn, List<ConsentEvent> stored) {
        Map<UserKey, List<ConsentEvent>> byUser = BatchMerge.byUser(stored);
        if (byUser.isEmpty()) {
            return Future.succeededFuture(BatchMerge.merge(stored, Map.of(), 0));
        }
        int n = byUser.size();
        String[] orgs = new String[n], keys = new String[n], ids = new String[n], types = new String[n];
        int i = 0;
        for (Map.Entry<UserKey, List<ConsentEvent>> e : byUser.entrySet()) {
            orgs[i] = e.getKey().organizationId();
            keys[i] = e.getKey().userKey();
            ids[i] = e.getValue().get(0).userId();
            types[i] = e.getValue().get(0).userType();
            i++;
        }
        return conn.preparedQuery(LOCK).execute(Tuple.of(orgs, keys, ids, types))
                .compose(rows -> {
                    // every user has a row now (created if missing): each merge starts from the row as locked
                    Map<UserKey, ConsentState> locked = new HashMap<>();
                    for (Row r : rows) {
                        locked.put(StateTable.key(r), StateTable.state(r));
                    }
                    BatchMerge.Merged merged = BatchMerge.merge(stored, locked, 0);
                    return merged.changed().isEmpty()
                            ? Future.succeededFuture(merged)
                            : write(conn, merged.changed()).map(merged);
                });
    }

    private Future<Map<UserKey, ConsentState>> write(SqlConnection conn, Map<UserKey, ConsentState> changed) {
        int n = changed.size();
        String[] orgs = new String[n], keys = new String[n], decisions = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n], updated = new OffsetDateTime[n];
        Integer[] versions = new Integer[n];
        Long[] revisions = new Long[n];
        int i = 0;
        for (Map.Entry<UserKey, ConsentState> e : changed.entrySet()) {
            orgs[i] = e.getKey().organizationId();
            keys[i] = e.getKey().userKey();
            decisions[i] = StateCodec.encode(e.getValue());
            created[i] = utc(e.getValue().createdAt());
            updated[i] = utc(e.getValue().updatedAt());
            versions[i] = e.getValue().version();
            revisions[i] = e.getValue().revision();
            i++;
        }
        conn.preparedQuery(UPDATE).execute(Tuple.of(orgs, keys, decisions, created, updated, versions, revisions));
        return announce(conn, changed);
    }

    private Future<Map<UserKey, ConsentState>> announce(SqlConnection conn, Map<UserKey, ConsentState> changed) {
        if (changed.isEmpty()) {
            return Future.succeededFuture(changed);
        }
        return conn.preparedQuery(NOTIFY).execute(Tuple.tuple().addArrayOfString(changes.messages(changed)))
                .map(changed);
    }

    /** Deletes the user's state; true when there was a row. */
    public Future<Boolean> delete(SqlConnection conn, UserKey user) {
        return conn.preparedQuery(DELETE).execute(Tuple.of(user.organizationId(), user.userKey()))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Tells every replica, when the transaction commits, that the user is erased. */
    public Future<Void> announceErasure(SqlConnection conn, UserKey user) {
        return conn.preparedQuery(NOTIFY).execute(Tuple.tuple().addArrayOfString(changes.erased(List.of(user))))
                .mapEmpty();
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

}
