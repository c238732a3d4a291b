package io.consentvault.ingest.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.consentvault.core.event.ConsentEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Idempotency of one batch: an event is stored once per idempotency key ({@code dedupKey}) and organization. Within
 * the batch only the first event of a key is written; after the insert, the events whose key another transaction had
 * claimed are answered with the event stored first under it ({@link #EXISTING_KEYS}). A key claimed by this very event
 * (an earlier attempt whose commit landed) counts as its own. Not thread-safe: one per batch attempt.
 */
public final class Idempotency {

    /** The events stored first under these keys: one primary-key probe per key (see {@code StateRepository.LOAD}). */
    public static final String EXISTING_KEYS = """
            SELECT k.organization_id, k.dedup_key, k.event_id, k.received_at
            FROM unnest($1::text[], $2::text[]) AS q(organization_id, dedup_key)
            CROSS JOIN LATERAL (
              SELECT * FROM event_keys k
              WHERE k.organization_id = q.organization_id AND k.dedup_key = q.dedup_key
              OFFSET 0
            ) k
            """;

    private final List<ConsentEvent> events;
    private final Map<String, ConsentEvent> firstByKey = new HashMap<>();
    /** The rows to insert (a key twice in the batch: only the first), in arrival order. */
    final List<ConsentEvent> rows;
    /** The same rows sorted by key, so that concurrent batches take their row locks in the same order. */
    final List<ConsentEvent> sorted;

    Idempotency(List<ConsentEvent> events) {
        this.events = events;
        this.rows = new ArrayList<>(events.size());
        for (ConsentEvent e : events) {
            if (e.dedupKey() == null || firstByKey.putIfAbsent(key(e), e) == null) {
                rows.add(e);
            }
        }
        this.sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(ConsentEvent::organizationId).thenComparing(ConsentEvent::eventKey));
    }

    /** The events that were stored, in arrival order, and the earlier events that the others repeat. */
    record Stored(List<ConsentEvent> events, Map<String, IngestResult> earlier) {
    }

    /**
     * Splits the rows by whether their key was claimed ({@code claimedRows}: null when no row has a key), and looks up
     * the earlier events of the others.
     */
    Future<Stored> stored(SqlConnection conn, RowSet<Row> claimedRows) {
        Set<String> claimed = new HashSet<>();
        if (claimedRows != null) {
            for (Row r : claimedRows) {
                claimed.add(r.getString(0) + '\0' + r.getString(1));
            }
        }
        List<ConsentEvent> taken = new ArrayList<>();
        List<ConsentEvent> stored = new ArrayList<>(rows.size());
        for (ConsentEvent e : rows) { // arrival order, for the state merge
            if (e.dedupKey() == null || claimed.contains(key(e))) {
                stored.add(e);
            } else {
                taken.add(e);
            }
        }
        return taken.isEmpty()
                ? Future.succeededFuture(new Stored(stored, Map.of()))
                : existing(conn, taken).map(found -> new Stored(stored, found));
    }

    /** One answer per event of the batch, in its order. */
    List<IngestResult> answer(Map<String, IngestResult> earlier) {
        List<IngestResult> results = new ArrayList<>(events.size());
        for (ConsentEvent e : events) {
            if (e.dedupKey() == null) {
                results.add(new IngestResult(e.id(), e.receivedAt(), false));
                continue;
            }
            String key = key(e);
            IngestResult before = earlier.get(key);
            ConsentEvent first = firstByKey.get(key);
            if (before != null
                    && !(before.id().equals(first.id()) && before.receivedAt().equals(first.receivedAt()))) {
                results.add(before);
            } else if (first != e) {
                results.add(new IngestResult(first.id(), first.receivedAt(), true));
            } else {
                results.add(new IngestResult(e.id(), e.receivedAt(), false));
            }
        }
        return results;
    }

    private static String key(ConsentEvent e) {
        return e.organizationId() + '\0' + e.dedupKey();
    }

    private static Future<Map<String, IngestResult>> existing(SqlConnection conn, List<ConsentEvent> taken) {
        String[] orgs = new String[taken.size()];
        String[] keys = new String[taken.size()];
        for (int i = 0; i < orgs.length; i++) {
            orgs[i] = taken.get(i).organizationId();
            keys[i] = taken.get(i).dedupKey();
        }
        return conn.preparedQuery(EXISTING_KEYS).execute(Tuple.tuple().addArrayOfString(orgs).addArrayOfString(keys))
                .map(found -> {
                    Map<String, IngestResult> byKey = new LinkedHashMap<>();
                    for (Row r : found) {
                        byKey.put(r.getString(0) + '\0' + r.getString(1),
                                new IngestResult(r.getString(2), r.getOffsetDateTime(3).toInstant(), true));
                    }
                    return byKey;
                });
    }
}
