package io.consentvault.ingest.batch;

import java.util.List;

import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.store.EventsTable;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

/**
 * The events of a batch into the {@code events} table, in one statement that also claims their idempotency keys in
 * {@code event_keys} and inserts only the events whose key was free (or that have none): one round trip, one plan for
 * every batch size (arrays through {@code unnest}, {@link EventsTable#INPUT}). Answers the keys it claimed, which
 * {@link Idempotency} turns into answers.
 */
public final class EventInserts {

    /** First attempt: no event of the batch can be stored yet, so the events insert checks no conflict. */
    public static final String INSERT = insert("");

    /** After an ambiguous failure (the commit may have landed): the events already stored are skipped. */
    public static final String INSERT_AGAIN = insert("ON CONFLICT DO NOTHING");

    private EventInserts() {
    }

    private static String insert(String onConflict) {
        return """
                WITH input AS (
                  SELECT * FROM %s
                ), claimed AS (
                  INSERT INTO event_keys (organization_id, dedup_key, event_id, received_at)
                  SELECT organization_id, dedup_key, id, received_at FROM input WHERE dedup_key IS NOT NULL
                  ON CONFLICT DO NOTHING
                  RETURNING organization_id, dedup_key
                ), stored AS (
                  INSERT INTO events (%s)
                  SELECT %s
                  FROM input i
                  WHERE i.dedup_key IS NULL
                     OR EXISTS (SELECT 1 FROM claimed c
                                WHERE c.organization_id = i.organization_id AND c.dedup_key = i.dedup_key)
                  %s
                )
                SELECT organization_id, dedup_key FROM claimed
                """.formatted(EventsTable.INPUT.strip(), EventsTable.WRITTEN, EventsTable.VALUES, onConflict);
    }

    /**
     * Inserts the rows (sorted by key, so that concurrent batches take their locks in one order); {@code again} after
     * an attempt that may have committed. Answers the (organization, key) pairs claimed.
     */
    static Future<RowSet<Row>> insert(SqlConnection conn, List<ConsentEvent> sorted, boolean again) {
        return conn.preparedQuery(again ? INSERT_AGAIN : INSERT).execute(EventsTable.arrays(sorted));
    }
}
