package io.consentvault.privacy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.event.UserKey;
import io.consentvault.core.event.Uuid7;
import io.consentvault.core.store.ConsentCountsTable;
import io.consentvault.state.StateUpdates;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Erases a user: in one transaction, the state ({@link StateUpdates}), every event and their idempotency keys go, a
 * record that an erasure happened is kept (organization, time, how many events; nothing about whom), and every replica
 * is told to drop the user from its cache. Events that arrive later start a new history. Non-blocking.
 */
@ApplicationScoped
public class ErasureService {

    /**
     * The user's events, and their idempotency keys looked up by event id in one index scan (a list, not a join: a
     * join with the deleted events could be planned as a hash join over the whole key table); their counts leave the
     * analytics rollup. Answers the number of events deleted, on each changed row of the rollup (none if none).
     */
    public static final String DELETE_EVENTS = ConsentCountsTable.change("""
            gone AS (
              DELETE FROM events WHERE organization_id = $1 AND user_key = $2
              RETURNING id, organization_id, event_time, items, item_changes
            ), keys AS (
              DELETE FROM event_keys
              WHERE organization_id = $1 AND left(event_id, 128) = ANY (ARRAY(SELECT left(id, 128) FROM gone))
                AND event_id = ANY (ARRAY(SELECT id FROM gone))
            ), counted AS (
              SELECT organization_id, event_time, items, item_changes FROM gone
            )""", Integer.toString(ConsentCountsTable.MAINTENANCE), -1) + " RETURNING (SELECT count(*) FROM gone)";

    public static final String RECORD = "INSERT INTO erasures (id, organization_id, erased_at, events_removed)"
            + " VALUES ($1, $2, $3, $4)";

    private final Pool pool;
    private final StateUpdates states;

    public ErasureService(Pool pool, StateUpdates states) {
        this.pool = pool;
        this.states = states;
    }

    /** The receipt of an erasure. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Erasure(String erasureId, Instant erasedAt, long eventsRemoved) {
    }

    /** Erases the user; empty when the organization holds nothing of that user. */
    public Uni<Optional<Erasure>> erase(UserKey user) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(conn -> Uni.createFrom()
                .completionStage(() -> states.delete(conn.getDelegate(), user).toCompletionStage())
                .chain(hadState -> conn.preparedQuery(DELETE_EVENTS)
                        .execute(Tuple.of(user.organizationId(), user.userKey()))
                        .chain(events -> {
                            long removed = events.size() == 0 ? 0 : events.iterator().next().getLong(0);
                            if (!hadState && removed == 0) {
                                return Uni.createFrom().item(Optional.<Erasure>empty());
                            }
                            Erasure erasure = new Erasure(Uuid7.next(now.toEpochMilli()), now, removed);
                            return conn.preparedQuery(RECORD).execute(Tuple.of(erasure.erasureId(),
                                    user.organizationId(), now.atOffset(ZoneOffset.UTC), removed))
                                    .chain(() -> Uni.createFrom().completionStage(
                                            () -> states.announceErasure(conn.getDelegate(), user)
                                                    .toCompletionStage()))
                                    .replaceWith(Optional.of(erasure));
                        })))
                .invoke(done -> states.erased(user));
    }
}
