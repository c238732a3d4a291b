package io.consentvault.ingest.batch;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.store.ConsentCountsTable;
import io.consentvault.core.store.EventsTable;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The events of a batch into the {@code events} table, in two statements of one transaction: first the batch claims
 * its idempotency keys in {@code event_keys} ({@link #CLAIM}), which decides the events to store; once the merge has
 * said what each of their items did to the users' state, they are inserted with it ({@link #INSERT}), which makes them
 * the vault's records, and adds them to the analytics rollup. One plan for every batch size (arrays through {@code unnest}, {@link EventsTable#INPUT}).
 */
public final class EventInserts {

    /** Claims the keys that are free; answers the (organization, key) pairs claimed. */
    public static final String CLAIM = """
            INSERT INTO event_keys (organization_id, dedup_key, event_id, received_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
            ON CONFLICT DO NOTHING
            RETURNING organization_id, dedup_key
            """;

    /**
     * First attempt: no event of the batch can be stored yet, so the insert checks no conflict, and stores every event
     * or fails; the counts of the analytics rollup are added beside it ({@link ConsentCountsTable#ADD}).
     */
    public static final String INSERT = "INSERT INTO events (" + EventsTable.WRITTEN + ") SELECT " + EventsTable.VALUES
            + " FROM " + EventsTable.INPUT;

    /**
     * After an ambiguous failure (the commit may have landed): the events already stored are skipped, and only those
     * it stores are counted, in the same statement, as writer {@code $31} ({@link ConsentCountsTable#change}).
     */
    public static final String INSERT_AGAIN = ConsentCountsTable.change("counted AS (INSERT INTO events ("
            + EventsTable.WRITTEN + ") SELECT " + EventsTable.VALUES + " FROM " + EventsTable.INPUT
            + " ON CONFLICT DO NOTHING RETURNING organization_id, event_time, items, item_changes)", "$31::smallint",
            1);

    private EventInserts() {
    }

    /**
     * Claims the idempotency keys of these rows (sorted by key, so that concurrent batches take their locks in one
     * order). Answers the pairs claimed; null, with no statement sent, when no row has a key.
     */
    static Future<RowSet<Row>> claim(SqlConnection conn, List<ConsentEvent> sorted) {
        List<ConsentEvent> keyed = new ArrayList<>(sorted.size());
        for (ConsentEvent e : sorted) {
            if (e.dedupKey() != null) {
                keyed.add(e);
            }
        }
        if (keyed.isEmpty()) {
            return Future.succeededFuture(null);
        }
        int n = keyed.size();
        String[] org = new String[n], key = new String[n], id = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ConsentEvent e = keyed.get(i);
            org[i] = e.organizationId();
            key[i] = e.dedupKey();
            id[i] = e.id();
            received[i] = e.receivedAt().atOffset(ZoneOffset.UTC);
        }
        return conn.preparedQuery(CLAIM).execute(Tuple.of(org, key, id, received));
    }

    /**
     * Inserts the events to store, with what each did ({@code effects}, by event identity: each item's change, the
     * user's version after it), and adds them to the analytics rollup as {@code writer}; {@code again} after an attempt
     * that may have committed.
     */
    public static Future<?> insert(SqlConnection conn, List<ConsentEvent> stored,
            Map<ConsentEvent, BatchMerge.Effect> effects, boolean again, int writer) {
        if (stored.isEmpty()) {
            return Future.succeededFuture();
        }
        if (again) {
            return conn.preparedQuery(INSERT_AGAIN).execute(EventsTable.arrays(stored, effects)
                    .addShort((short) writer));
        }
        // sent together: the counts' statement does not wait for the insert's answer (and fails after it if it fails)
        Future<RowSet<Row>> events = conn.preparedQuery(INSERT).execute(EventsTable.arrays(stored, effects));
        Future<RowSet<Row>> counts = conn.preparedQuery(ConsentCountsTable.ADD)
                .execute(ConsentCountsTable.add(writer, stored, effects));
        return Future.all(events, counts);
    }
}
