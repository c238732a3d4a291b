package io.consentvault.ingest.batch;

import java.util.List;
import java.util.Map;

import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.store.RecordsTable;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * The vault records of a batch's stored events into {@code consent_records}, one statement for the whole batch, in the
 * batch's transaction: an acknowledged event is searchable at once.
 */
public final class RecordInserts {

    /** First attempt: none of these records can exist yet. */
    public static final String INSERT = "INSERT INTO consent_records (" + RecordsTable.WRITTEN + ") SELECT * FROM "
            + RecordsTable.INPUT;

    /**
     * After an ambiguous failure: the records that an earlier attempt committed stay as they were. The table has no
     * unique key to conflict on (see the migration): each record is looked for where its id would find it.
     */
    public static final String INSERT_AGAIN = "INSERT INTO consent_records (" + RecordsTable.WRITTEN
            + ") SELECT * FROM " + RecordsTable.INPUT + " AS i (" + RecordsTable.WRITTEN + ")"
            + " WHERE NOT EXISTS (SELECT 1 FROM consent_records r WHERE r.organization_id = i.organization_id"
            + " AND r.created_at = i.created_at AND r.received_at = i.received_at AND r.event_key = i.event_key"
            + " AND r.event_index = i.event_index)";

    private RecordInserts() {
    }

    /** Inserts the records of these events, with the change of each item; nothing to do for events without items. */
    static Future<?> insert(SqlConnection conn, List<ConsentEvent> stored, Map<ConsentEvent, String[]> changes,
            boolean again) {
        if (RecordsTable.count(stored) == 0) {
            return Future.succeededFuture();
        }
        return conn.preparedQuery(again ? INSERT_AGAIN : INSERT).execute(RecordsTable.arrays(stored, changes));
    }
}
