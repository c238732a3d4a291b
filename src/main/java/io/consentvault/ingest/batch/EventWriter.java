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
import io.consentvault.state.cache.CachedUser;
import io.consentvault.state.cache.StateCache;
import io.consentvault.state.model.ConsentState;
import io.consentvault.state.repository.StateRepository;
import io.consentvault.state.repository.StateWriter;
import io.consentvault.state.repository.StateWriter.UserKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Writes one batch of events in one transaction: a single statement claims the idempotency keys and inserts every
 * event whose key was free (arrays through {@code unnest}: one plan for every batch size), then {@link StateWriter}
 * folds the stored events into the users' state. Events whose
 * key was taken are answered with the first event stored under it. Safe to run again after an ambiguous commit: rows
 * are keyed by their server-assigned id and receive time, and a key claimed by this very event counts as its own.
 * <p>
 * Called by a lane flusher, at most one batch per lane at a time; completes on a Vert.x event loop.
 */
@ApplicationScoped
public class EventWriter {

    /** First attempt: no event of the batch can be stored yet, so the events insert checks no conflict. */
    public static final String INSERT = insert("");

    /** After an ambiguous failure (the commit may have landed): the events already stored are skipped. */
    public static final String INSERT_AGAIN = insert("ON CONFLICT DO NOTHING");

    private static String insert(String onConflict) {
        return """
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
                  %s
                )
                SELECT organization_id, dedup_key FROM claimed
                """.formatted(onConflict);
    }

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

    private final Pool pool;
    private final StateWriter states;
    private final StateCache cache;
    private final Counter stale;

    public EventWriter(Pool pool, StateWriter states, StateCache cache, MeterRegistry registry) {
        this.pool = pool;
        this.states = states;
        this.cache = cache;
        this.stale = Counter.builder("consent.state.stale.merges")
                .description("batches written again under row locks: a state changed under their merge")
                .register(registry);
    }

    /** What a committed batch answers: one result per event in the order given, and the users' new states. */
    public record Written(List<IngestResult> results, Map<UserKey, ConsentState> states) {
    }

    /**
     * Stores the batch and folds it into the users' state, in one transaction. Usually two round trips: the events
     * (with the states this replica does not hold and, if some user may get a new row, its first revision, read
     * alongside), then the guarded state upsert, the announcement and the commit, pipelined. When a state turns out to
     * have changed under the merge, the batch is written again, on the same connection, with the users' rows locked
     * first.
     * <p>
     * Transactions are driven with plain BEGIN / COMMIT / ROLLBACK so that the commit can be pipelined behind the last
     * statement; every statement's own result decides, since a COMMIT after a failed statement answers ROLLBACK.
     */
    public Future<Written> write(List<ConsentEvent> batch, boolean again) {
        Batch b = new Batch(batch, again ? INSERT_AGAIN : INSERT);
        Map<UserKey, ConsentState> bases = new HashMap<>();
        List<UserKey> unknown = new ArrayList<>();
        for (UserKey key : StateWriter.byUser(b.rows).keySet()) {
            CachedUser held = cache.peek(key);
            if (held != null) {
                bases.put(key, held.state());
            } else {
                unknown.add(key);
            }
        }
        return pool.getConnection().compose(conn -> optimistic(conn, b, bases, unknown).recover(failure -> {
            if (failure instanceof PgException pg && "40001".equals(pg.getSqlState())) {
                stale.increment();
                return locked(conn, b);
            }
            return Future.failedFuture(failure);
        }).eventually(() -> conn.close()));
    }

    private Future<Written> optimistic(SqlConnection conn, Batch b, Map<UserKey, ConsentState> bases,
            List<UserKey> unknown) {
        Future<?> begin = conn.query("BEGIN").execute();
        Future<RowSet<Row>> inserted = conn.preparedQuery(b.insert).execute(arrays(b.sorted));
        Future<Map<UserKey, ConsentState>> loaded = unknown.isEmpty()
                ? Future.succeededFuture(Map.of())
                : StateRepository.load(conn, unknown);
        // a user not held, or held as unknown, may get a new row, which needs its first revision
        Future<Long> firstRevision = unknown.isEmpty() && !bases.containsValue(null)
                ? Future.succeededFuture(0L)
                : StateWriter.firstRevision(conn);
        return endOnFailure(conn, Future.all(begin, inserted, loaded, firstRevision)
                .compose(done -> b.stored(conn, inserted.result()))).compose(stored -> {
                    bases.putAll(loaded.result());
                    for (UserKey key : unknown) {
                        bases.putIfAbsent(key, null); // not stored yet: a new row
                    }
                    Future<Map<UserKey, ConsentState>> state = states.writeGuarded(conn,
                            StateWriter.merge(stored.events(), bases, firstRevision.result()));
                    Future<?> commit = conn.query("COMMIT").execute();
                    return Future.all(state, commit)
                            .transform(ar -> ar.succeeded()
                                    ? Future.succeededFuture(new Written(b.answer(stored.earlier()), state.result()))
                                    : Future.failedFuture(
                                            afterCommitSent(state.failed() ? state.cause() : ar.cause())));
                });
    }

    private Future<Written> locked(SqlConnection conn, Batch b) {
        Future<?> begin = conn.query("BEGIN").execute();
        Future<RowSet<Row>> inserted = conn.preparedQuery(b.insert).execute(arrays(b.sorted));
        return endOnFailure(conn, Future.all(begin, inserted)
                .compose(done -> b.stored(conn, inserted.result()))
                .compose(stored -> states.apply(conn, stored.events())
                        .map(changed -> new Written(b.answer(stored.earlier()), changed))))
                .compose(written -> conn.query("COMMIT").execute().map(written)
                        .recover(failure -> Future.failedFuture(afterCommitSent(failure))));
    }

    /**
     * A failure once COMMIT was sent: an answer from the database (an error, SQLSTATE 40001 from the guard) means
     * nothing was committed; a lost connection means the commit may have landed.
     */
    private static Throwable afterCommitSent(Throwable failure) {
        return failure instanceof PgException ? failure : new CommitOutcomeUnknownException(failure);
    }

    /** A failure before the commit was sent leaves the transaction open: it is rolled back before anything else. */
    private static <T> Future<T> endOnFailure(SqlConnection conn, Future<T> work) {
        return work.recover(failure -> conn.query("ROLLBACK").execute().transform(x -> Future.failedFuture(failure)));
    }

    /** The events that were stored, in arrival order, and the earlier events that the others repeat. */
    private record Stored(List<ConsentEvent> events, Map<String, IngestResult> earlier) {
    }

    /** One batch as written: the rows to insert (a key twice in the batch: only the first), sorted and in order. */
    private static final class Batch {
        final List<ConsentEvent> events;
        final Map<String, ConsentEvent> firstByKey = new HashMap<>();
        final List<ConsentEvent> rows;
        final List<ConsentEvent> sorted;
        final String insert;

        Batch(List<ConsentEvent> events, String insert) {
            this.events = events;
            this.insert = insert;
            this.rows = new ArrayList<>(events.size());
            for (ConsentEvent e : events) {
                if (e.dedupKey() == null
                        || firstByKey.putIfAbsent(e.organizationId() + '\0' + e.dedupKey(), e) == null) {
                    rows.add(e);
                }
            }
            // Sorted by key so that concurrent batches take their row locks in the same order.
            this.sorted = new ArrayList<>(rows);
            sorted.sort(Comparator.comparing(ConsentEvent::organizationId).thenComparing(ConsentEvent::eventKey));
        }

        /** Splits the rows by whether their key was claimed, and looks up the earlier events of the others. */
        Future<Stored> stored(SqlConnection conn, RowSet<Row> claimedRows) {
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
            return taken.isEmpty()
                    ? Future.succeededFuture(new Stored(stored, Map.of()))
                    : existing(conn, taken).map(found -> new Stored(stored, found));
        }

        List<IngestResult> answer(Map<String, IngestResult> earlier) {
            return EventWriter.answer(events, firstByKey, earlier);
        }
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
