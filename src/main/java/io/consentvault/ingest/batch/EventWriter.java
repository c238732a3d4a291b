package io.consentvault.ingest.batch;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.ingest.model.ConsentEvent;
import io.consentvault.state.model.ConsentState;
import io.consentvault.state.repository.StateWriter;
import io.consentvault.state.repository.StateWriter.UserKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Writes one batch of events in one transaction: a single statement claims the idempotency keys and inserts every
 * event whose key was free, then {@link StateWriter} folds the stored events into the users' state (arrays through {@code unnest}: one plan for every batch size, one round trip). Events whose
 * key was taken are answered with the first event stored under it. Safe to run again after an ambiguous commit: rows
 * are keyed by their server-assigned id and receive time, and a key claimed by this very event counts as its own.
 * <p>
 * Called by a lane flusher, at most one batch per lane at a time; completes on a Vert.x event loop.
 */
@ApplicationScoped
public class EventWriter {

    static final String INSERT = """
            WITH input AS (
              SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                                   $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[],
                                   $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
                                   $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[],
                                   $23::text[], $24::text[])
                AS t(organization_id, id, event_key, dedup_key, received_at, created_at, updated_at, event_time,
                     user_id, user_key, user_type, country, region, regulation, notice_id, consent_string,
                     source_type, sdk_version, source_url, items, client_ip, user_agent, idempotency_key, payload)
            ), claimed AS (
              INSERT INTO event_keys (organization_id, dedup_key, event_id, received_at)
              SELECT organization_id, dedup_key, id, received_at FROM input WHERE dedup_key IS NOT NULL
              ON CONFLICT DO NOTHING
              RETURNING organization_id, dedup_key
            ), stored AS (
              INSERT INTO events (organization_id, event_key, received_at, id, user_key, user_id, user_type,
                                  created_at, updated_at, event_time, country, region, regulation, notice_id,
                                  consent_string, source_type, sdk_version, source_url, items, client_ip,
                                  user_agent, idempotency_key, payload)
              SELECT i.organization_id, i.event_key, i.received_at, i.id, i.user_key, i.user_id, i.user_type,
                     i.created_at, i.updated_at, i.event_time, i.country, i.region, i.regulation, i.notice_id,
                     i.consent_string, i.source_type, i.sdk_version, i.source_url, i.items::jsonb, i.client_ip,
                     i.user_agent, i.idempotency_key, i.payload
              FROM input i
              WHERE i.dedup_key IS NULL
                 OR EXISTS (SELECT 1 FROM claimed c
                            WHERE c.organization_id = i.organization_id AND c.dedup_key = i.dedup_key)
              ON CONFLICT DO NOTHING
            )
            SELECT organization_id, dedup_key FROM claimed
            """;

    static final String EXISTING_KEYS = """
            SELECT k.organization_id, k.dedup_key, k.event_id, k.received_at
            FROM event_keys k
            JOIN unnest($1::text[], $2::text[]) AS q(organization_id, dedup_key)
              ON k.organization_id = q.organization_id AND k.dedup_key = q.dedup_key
            """;

    private final Pool pool;
    private final StateWriter states;

    public EventWriter(Pool pool, StateWriter states) {
        this.pool = pool;
        this.states = states;
    }

    /** What a committed batch answers: one result per event in the order given, and the users' new states. */
    public record Written(List<IngestResult> results, Map<UserKey, ConsentState> states) {
    }

    /** Stores the batch and folds it into the users' state, in one transaction. */
    public Future<Written> write(List<ConsentEvent> batch) {
        // The same key twice in one batch: only the first is written, the others replay it.
        Map<String, ConsentEvent> firstByKey = new HashMap<>();
        List<ConsentEvent> rows = new ArrayList<>(batch.size());
        for (ConsentEvent e : batch) {
            if (e.dedupKey() == null || firstByKey.putIfAbsent(e.organizationId() + '\0' + e.dedupKey(), e) == null) {
                rows.add(e);
            }
        }
        // Sorted by key so that concurrent batches take their row locks in the same order.
        List<ConsentEvent> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(ConsentEvent::organizationId).thenComparing(ConsentEvent::eventKey));
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT).execute(arrays(sorted))
                .compose(claimedRows -> {
                    Set<String> claimed = new HashSet<>();
                    for (Row r : claimedRows) {
                        claimed.add(r.getString(0) + '\0' + r.getString(1));
                    }
                    List<ConsentEvent> taken = new ArrayList<>();
                    List<ConsentEvent> stored = new ArrayList<>(rows.size());
                    for (ConsentEvent e : rows) { // arrival order, for the state merge
                        if (e.dedupKey() == null || claimed.contains(e.organizationId() + '\0' + e.dedupKey())) {
                            stored.add(e);
                        } else {
                            taken.add(e);
                        }
                    }
                    Future<Map<String, IngestResult>> earlier = taken.isEmpty()
                            ? Future.succeededFuture(Map.of())
                            : existing(conn, taken);
                    return earlier.compose(found -> states.apply(conn, stored)
                            .map(changed -> new Written(answer(batch, firstByKey, found), changed)));
                }));
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

    private static List<IngestResult> answer(List<ConsentEvent> batch, Map<String, ConsentEvent> firstByKey,
            Map<String, IngestResult> existing) {
        List<IngestResult> results = new ArrayList<>(batch.size());
        for (ConsentEvent e : batch) {
            if (e.dedupKey() == null) {
                results.add(new IngestResult(e.id(), e.receivedAt(), false));
                continue;
            }
            String key = e.organizationId() + '\0' + e.dedupKey();
            IngestResult earlier = existing.get(key);
            ConsentEvent first = firstByKey.get(key);
            if (earlier != null
                    && !(earlier.id().equals(first.id()) && earlier.receivedAt().equals(first.receivedAt()))) {
                results.add(earlier);
            } else if (first != e) {
                results.add(new IngestResult(first.id(), first.receivedAt(), true));
            } else {
                results.add(new IngestResult(e.id(), e.receivedAt(), false));
            }
        }
        return results;
    }

    private static Tuple arrays(List<ConsentEvent> rows) {
        int n = rows.size();
        String[] org = new String[n], id = new String[n], eventKey = new String[n], dedup = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n], created = new OffsetDateTime[n],
                updated = new OffsetDateTime[n], eventTime = new OffsetDateTime[n];
        String[] userId = new String[n], userKey = new String[n], userType = new String[n], country = new String[n],
                region = new String[n], regulation = new String[n], notice = new String[n], consent = new String[n],
                sourceType = new String[n], sdk = new String[n], url = new String[n], items = new String[n],
                ip = new String[n], ua = new String[n], idem = new String[n], payload = new String[n];
        for (int i = 0; i < n; i++) {
            ConsentEvent e = rows.get(i);
            org[i] = e.organizationId();
            id[i] = e.id();
            eventKey[i] = e.eventKey();
            dedup[i] = e.dedupKey();
            received[i] = utc(e.receivedAt());
            created[i] = utc(e.createdAt());
            updated[i] = utc(e.updatedAt());
            eventTime[i] = utc(e.eventTime());
            userId[i] = e.userId();
            userKey[i] = e.userKey();
            userType[i] = e.userType();
            country[i] = e.country();
            region[i] = e.region();
            regulation[i] = e.regulation();
            notice[i] = e.noticeId();
            consent[i] = e.consentString();
            sourceType[i] = e.sourceType();
            sdk[i] = e.sdkVersion();
            url[i] = e.sourceUrl();
            items[i] = e.items();
            ip[i] = e.clientIp();
            ua[i] = e.userAgent();
            idem[i] = e.idempotencyKey();
            payload[i] = e.payload();
        }
        return Tuple.from(new Object[]{org, id, eventKey, dedup, received, created, updated, eventTime, userId,
                userKey, userType, country, region, regulation, notice, consent, sourceType, sdk, url, items, ip, ua,
                idem, payload});
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
