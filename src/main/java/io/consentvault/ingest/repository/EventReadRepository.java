package io.consentvault.ingest.repository;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.event.BoundedKey;
import io.consentvault.core.event.StoredEvent;
import io.consentvault.core.store.EventsTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads stored events. Non-blocking; called from resources on the event loop. */
@ApplicationScoped
public class EventReadRepository {

    /** A user's newest events. */
    public static final String HISTORY = "SELECT " + EventsTable.COLUMNS + " FROM events"
            + " WHERE organization_id = $1 AND user_key = $2"
            + " ORDER BY received_at DESC, event_key DESC LIMIT $3";

    /** A user's events older than a position (receive time, event key). */
    public static final String HISTORY_BEFORE = "SELECT " + EventsTable.COLUMNS + " FROM events"
            + " WHERE organization_id = $1 AND user_key = $2 AND (received_at, event_key) < ($3, $4)"
            + " ORDER BY received_at DESC, event_key DESC LIMIT $5";

    /** One event of an organization by id, through the primary key (organization, event key, receive time). */
    public static final String FIND = "SELECT " + EventsTable.COLUMNS
            + " FROM events WHERE organization_id = $1 AND event_key = $2 AND id = $3 LIMIT 1";

    private final Pool pool;

    public EventReadRepository(Pool pool) {
        this.pool = pool;
    }

    /** One page of a user's history, newest first, after the position {@code before} (exclusive) when given. */
    public Uni<java.util.List<StoredEvent>> history(String organizationId, String userKey, Position before, int limit) {
        Uni<io.vertx.mutiny.sqlclient.RowSet<Row>> rows = before == null
                ? pool.preparedQuery(HISTORY).execute(Tuple.of(organizationId, userKey, limit))
                : pool.preparedQuery(HISTORY_BEFORE)
                        .execute(Tuple.of(organizationId, userKey,
                                before.receivedAt().atOffset(java.time.ZoneOffset.UTC), before.eventKey(), limit));
        return rows.map(set -> {
            java.util.List<StoredEvent> page = new java.util.ArrayList<>();
            set.forEach(r -> page.add(EventsTable.read(r.getDelegate())));
            return page;
        });
    }

    /** A place in a user's history: the receive time and event key of an event. */
    public record Position(java.time.Instant receivedAt, String eventKey) {
    }

    /**
     * The event stored under this id in the organization. (Always within an organization: no index leads with the
     * event key alone, so a lookup without the organization could only scan every partition.)
     */
    public Uni<Optional<StoredEvent>> find(String organizationId, String id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(organizationId, BoundedKey.of(id), BoundedKey.storable(id)))
                .map(set -> {
                    var it = set.iterator();
                    return it.hasNext() ? Optional.of(EventsTable.read(it.next().getDelegate())) : Optional.empty();
                });
    }
}
