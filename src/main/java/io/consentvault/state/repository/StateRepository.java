package io.consentvault.state.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentMerge;
import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.EventRules;
import io.consentvault.core.event.StoredEvent;
import io.consentvault.core.event.UserKey;
import io.consentvault.core.store.EventsTable;
import io.consentvault.core.store.StateTable;
import io.consentvault.core.tcf.ConsentStrings;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Reads users' state: the latest (for the cache's loader, many keys in one query), and the state at an instant,
 * replayed from the user's history through the same {@link ConsentMerge}. Non-blocking.
 */
@ApplicationScoped
public class StateRepository {

    /**
     * One primary-key probe per user, into the one partition that can hold it. Written as a lateral subquery that
     * cannot be flattened ({@code OFFSET 0}) rather than as a join: PostgreSQL costs a joined probe as one per
     * partition (it does not count run-time pruning), so a join of a few users with the 16 partitions planned as a
     * hash join over sequential scans of all of them (8 ms a batch at 50,000 users, growing with the table), and a
     * prepared statement kept that plan. The lateral form leaves the planner no join to choose.
     */
    public static final String LOAD = """
            SELECT %s
            FROM unnest($1::text[], $2::text[]) AS k(organization_id, user_key)
            CROSS JOIN LATERAL (
              SELECT * FROM consent_state s
              WHERE s.organization_id = k.organization_id AND s.user_key = k.user_key
              OFFSET 0
            ) s
            """.formatted(StateTable.columns("s."));

    public static final String HISTORY_UNTIL = """
            SELECT %s
            FROM events
            WHERE organization_id = $1 AND user_key = $2 AND event_time <= $3
            ORDER BY received_at, event_key
            """.formatted(EventsTable.COLUMNS_WITHOUT_PAYLOAD);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Pool pool;
    private final ConsentStrings strings;
    private final io.vertx.core.Vertx vertx;

    public StateRepository(Pool pool, ConsentStrings strings, io.vertx.core.Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
        this.strings = strings;
    }

    /** The stored states of these users; users without one are absent from the answer. */
    public CompletableFuture<Map<UserKey, ConsentState>> load(Collection<? extends UserKey> keys) {
        return load(pool, keys).toCompletionStage().toCompletableFuture();
    }

    /** The same, through the given client (a transaction's connection sees its own writes and no later ones). */
    public static Future<Map<UserKey, ConsentState>> load(SqlClient client, Collection<? extends UserKey> keys) {
        String[] orgs = new String[keys.size()];
        String[] userKeys = new String[keys.size()];
        int i = 0;
        for (UserKey k : keys) {
            orgs[i] = k.organizationId();
            userKeys[i++] = k.userKey();
        }
        return client.preparedQuery(LOAD).execute(Tuple.tuple().addArrayOfString(orgs).addArrayOfString(userKeys))
                .map(rows -> {
                    Map<UserKey, ConsentState> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(StateTable.key(r), StateTable.state(r));
                    }
                    return found;
                });
    }

    /**
     * The state as it was at {@code at}: every event whose time (the client's {@code created_at}, else its receive
     * time) is not after {@code at}, merged in the order received. Null when the user had no event by then.
     */
    public CompletableFuture<ConsentState> stateAt(String organizationId, String userKey, Instant at) {
        // a long history is thousands of merges: folded on a worker thread, never on the event loop
        return pool.preparedQuery(HISTORY_UNTIL)
                .execute(Tuple.of(organizationId, userKey, at.atOffset(ZoneOffset.UTC)))
                .compose(rows -> vertx.<ConsentState>executeBlocking(() -> {
                    ConsentState state = null;
                    for (Row r : rows) {
                        StoredEvent e = EventsTable.read(r);
                        if (state == null) {
                            state = ConsentState.empty(e.userId(), e.userType());
                        }
                        state = ConsentMerge.apply(state, EventRules.facts(e, strings));
                    }
                    return state;
                }, false)).toCompletionStage().toCompletableFuture();
    }
}
