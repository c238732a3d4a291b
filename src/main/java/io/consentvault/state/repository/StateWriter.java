package io.consentvault.state.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.ingest.model.ConsentEvent;
import io.consentvault.state.cache.StateChanges;
import io.consentvault.state.model.ConsentMerge;
import io.consentvault.state.model.ConsentState;
import io.consentvault.state.model.StateCodec;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Folds a committed batch of events into the users' latest state, inside the batch's transaction: the batch is merged
 * per user in memory ({@link ConsentMerge}), then written as one batched upsert. Rows are created if missing and
 * locked in key order by one statement, so concurrent batches (other lanes, other replicas) serialise per user without
 * deadlocks, and no merge is computed from a state another transaction is changing. The update and the announcement
 * are pipelined on the connection.
 * <p>
 * Called by {@code EventWriter} on the Vert.x event loop of the transaction's connection.
 */
@ApplicationScoped
public class StateWriter {

    /**
     * Creates missing rows and locks existing ones in one statement, answering every row as it stands: an upsert whose
     * update changes nothing. Rows go in key order, so concurrent batches lock in the same order. (An upsert routes
     * each row to its partition; a SELECT FOR UPDATE or UPDATE joined with the batch would be planned against every
     * partition.)
     */
    static final String LOCK = """
            INSERT INTO consent_state AS s (organization_id, user_key, user_id, user_type)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ORDER BY 1, 2
            ON CONFLICT (organization_id, user_key) DO UPDATE SET version = s.version
            RETURNING s.organization_id, s.user_key, s.user_id, s.user_type, s.decisions::text, s.created_at,
                      s.updated_at, s.version
            """;

    static final String UPDATE = """
            INSERT INTO consent_state AS s (organization_id, user_key, user_id, decisions, created_at, updated_at,
                                            version)
            SELECT organization_id, user_key, '', decisions::jsonb, created_at, updated_at, version
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[])
              AS u(organization_id, user_key, decisions, created_at, updated_at, version)
            ON CONFLICT (organization_id, user_key) DO UPDATE
            SET decisions = EXCLUDED.decisions, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                version = EXCLUDED.version
            """;

    public static final String NOTIFY = "SELECT pg_notify('" + StateChanges.CHANNEL + "', m) FROM unnest($1::text[]) m";

    private final StateChanges changes;

    public StateWriter(StateChanges changes) {
        this.changes = changes;
    }

    /** Key of a user's state: organization and bounded user key. */
    public record UserKey(String organizationId, String userKey) implements Comparable<UserKey> {
        @Override
        public int compareTo(UserKey o) {
            int c = organizationId.compareTo(o.organizationId);
            return c != 0 ? c : userKey.compareTo(o.userKey);
        }
    }

    /**
     * Applies the newly stored events (in arrival order) and answers the states that changed, to be published once
     * the transaction commits.
     */
    public Future<Map<UserKey, ConsentState>> apply(SqlConnection conn, List<ConsentEvent> stored) {
        Map<UserKey, List<ConsentEvent>> byUser = new TreeMap<>();
        for (ConsentEvent e : stored) {
            if (e.userKey() != null) {
                byUser.computeIfAbsent(new UserKey(e.organizationId(), e.userKey()), k -> new ArrayList<>()).add(e);
            }
        }
        if (byUser.isEmpty()) {
            return Future.succeededFuture(Map.of());
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
                    Map<UserKey, ConsentState> changed = new LinkedHashMap<>();
                    for (Row r : rows) {
                        UserKey key = new UserKey(r.getString(0), r.getString(1));
                        ConsentState before = StateCodec.decode(r.getString(2), r.getString(3), r.getString(4),
                                instant(r.getOffsetDateTime(5)), instant(r.getOffsetDateTime(6)), r.getInteger(7));
                        ConsentState after = before;
                        for (ConsentEvent e : byUser.get(key)) {
                            after = ConsentMerge.apply(after, facts(e));
                        }
                        if (after != before) {
                            changed.put(key, after);
                        }
                    }
                    return changed.isEmpty() ? Future.succeededFuture(changed) : write(conn, changed);
                });
    }

    public static ConsentMerge.EventFacts facts(ConsentEvent e) {
        return new ConsentMerge.EventFacts(new ConsentState.Source(e.eventTime(), e.receivedAt(), e.id()),
                e.decisions(), e.country(), "tcf".equals(e.regulation()) ? e.consentString() : null);
    }

    private Future<Map<UserKey, ConsentState>> write(SqlConnection conn, Map<UserKey, ConsentState> changed) {
        int n = changed.size();
        String[] orgs = new String[n], keys = new String[n], decisions = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n], updated = new OffsetDateTime[n];
        Integer[] versions = new Integer[n];
        int i = 0;
        for (Map.Entry<UserKey, ConsentState> e : changed.entrySet()) {
            orgs[i] = e.getKey().organizationId();
            keys[i] = e.getKey().userKey();
            decisions[i] = StateCodec.encode(e.getValue());
            created[i] = utc(e.getValue().createdAt());
            updated[i] = utc(e.getValue().updatedAt());
            versions[i] = e.getValue().version();
            i++;
        }
        conn.preparedQuery(UPDATE).execute(Tuple.of(orgs, keys, decisions, created, updated, versions));
        return conn.preparedQuery(NOTIFY).execute(Tuple.tuple().addArrayOfString(changes.messages(changed.keySet())))
                .map(changed);
    }

    private static OffsetDateTime utc(java.time.Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static java.time.Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
