package io.consentvault.privacy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.ingest.model.Uuid7;
import io.consentvault.state.cache.StateCache;
import io.consentvault.state.cache.StateChanges;
import io.consentvault.state.repository.StateWriter;
import io.consentvault.state.repository.StateWriter.UserKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Erases a user: in one transaction, the state, every event and their idempotency keys go, a record that an erasure
 * happened is kept (organization, time, how many events; nothing about whom), and every replica is told to drop the
 * user from its cache. Events that arrive later start a new history. Non-blocking.
 */
@ApplicationScoped
public class ErasureService {

    public static final String DELETE_STATE = "DELETE FROM consent_state WHERE organization_id = $1 AND user_key = $2";

    /**
     * The user's events, and their idempotency keys looked up by event id in one index scan (a list, not a join: a
     * join with the deleted events could be planned as a hash join over the whole key table).
     */
    public static final String DELETE_EVENTS = """
            WITH gone AS (
              DELETE FROM events WHERE organization_id = $1 AND user_key = $2 RETURNING id
            ), keys AS (
              DELETE FROM event_keys
              WHERE organization_id = $1 AND left(event_id, 128) = ANY (ARRAY(SELECT left(id, 128) FROM gone))
                AND event_id = ANY (ARRAY(SELECT id FROM gone))
            )
            SELECT count(*) FROM gone
            """;

    public static final String RECORD = "INSERT INTO erasures (id, organization_id, erased_at, events_removed)"
            + " VALUES ($1, $2, $3, $4)";

    private final Pool pool;
    private final StateCache cache;
    private final StateChanges changes;

    public ErasureService(Pool pool, StateCache cache, StateChanges changes) {
        this.pool = pool;
        this.cache = cache;
        this.changes = changes;
    }

    /** The receipt of an erasure. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Erasure(String erasureId, Instant erasedAt, long eventsRemoved) {
    }

    /** Erases the user; empty when the organization holds nothing of that user. */
    public Uni<Optional<Erasure>> erase(UserKey user) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(conn -> conn.preparedQuery(DELETE_STATE)
                .execute(Tuple.of(user.organizationId(), user.userKey()))
                .chain(state -> conn.preparedQuery(DELETE_EVENTS)
                        .execute(Tuple.of(user.organizationId(), user.userKey()))
                        .chain(events -> {
                            long removed = events.iterator().next().getLong(0);
                            if (state.rowCount() == 0 && removed == 0) {
                                return Uni.createFrom().item(Optional.<Erasure>empty());
                            }
                            Erasure erasure = new Erasure(Uuid7.next(now.toEpochMilli()), now, removed);
                            return conn.preparedQuery(RECORD).execute(Tuple.of(erasure.erasureId(),
                                    user.organizationId(), now.atOffset(ZoneOffset.UTC), removed))
                                    .chain(() -> conn.preparedQuery(StateWriter.NOTIFY).execute(Tuple.tuple()
                                            .addArrayOfString(changes.erased(List.of(user)))))
                                    .replaceWith(Optional.of(erasure));
                        })))
                .invoke(done -> cache.erased(user));
    }
}
