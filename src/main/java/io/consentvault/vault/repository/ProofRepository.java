package io.consentvault.vault.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.event.StoredEvent;
import io.consentvault.core.store.EventsTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The proof behind a record (its stored event) and the erasure receipts. Non-blocking. */
@ApplicationScoped
public class ProofRepository {

    static final String EVENT = "SELECT " + EventsTable.COLUMNS
            + " FROM events WHERE organization_id = $1 AND event_key = $2 AND received_at = $3";

    static final String ERASURES = "SELECT id, erased_at, events_removed FROM erasures WHERE organization_id = $1"
            + " ORDER BY erased_at DESC, id DESC LIMIT $2";

    static final String ERASURES_BEFORE = "SELECT id, erased_at, events_removed FROM erasures"
            + " WHERE organization_id = $1 AND erased_at <= $2 AND (erased_at, id) < ($2, $3)"
            + " ORDER BY erased_at DESC, id DESC LIMIT $4";

    private final Pool pool;

    public ProofRepository(Pool pool) {
        this.pool = pool;
    }

    /** The event a record was made from: one primary-key probe into one partition. */
    public Uni<Optional<StoredEvent>> event(String organizationId, String eventKey, Instant receivedAt) {
        return pool.preparedQuery(EVENT)
                .execute(Tuple.of(organizationId, eventKey, OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC)))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(EventsTable.read(it.next().getDelegate())) : Optional.empty();
                });
    }

    /** An erasure receipt: no personal data. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Receipt(String erasureId, Instant erasedAt, long eventsRemoved) {
    }

    /** The organization's receipts, newest first, after {@code after} (exclusive) when given. */
    public Uni<List<Receipt>> erasures(String organizationId, Receipt after, int limit) {
        var rows = after == null
                ? pool.preparedQuery(ERASURES).execute(Tuple.of(organizationId, limit))
                : pool.preparedQuery(ERASURES_BEFORE).execute(Tuple.of(organizationId,
                        OffsetDateTime.ofInstant(after.erasedAt(), ZoneOffset.UTC), after.erasureId(), limit));
        return rows.map(set -> {
            List<Receipt> page = new ArrayList<>();
            set.forEach(r -> page.add(new Receipt(r.getString(0), r.getOffsetDateTime(1).toInstant(), r.getLong(2))));
            return page;
        });
    }
}
