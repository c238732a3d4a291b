package io.consentvault.ingest.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.consentvault.core.event.BoundedKey;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.StoredEvent;
import io.consentvault.core.store.EventsTable;
import io.consentvault.ingest.repository.EventReadRepository;
import io.consentvault.ingest.repository.EventReadRepository.Position;
import io.consentvault.state.repository.StateRepository;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repository tier of the {@code events} table, on the real database: what {@link EventInserts} writes through
 * {@link EventsTable#INPUT} and {@link EventsTable#WRITTEN} is what {@link EventReadRepository} and
 * {@link StateRepository#HISTORY_UNTIL} read back through {@link EventsTable#read}, column for column; the idempotency
 * claim of {@code event_keys} and {@link Idempotency}'s answers; the order of a user's history pages. (In this package
 * because the insert and {@link Idempotency} are the batch writer's own.) Each test uses organizations of its own.
 */
@QuarkusTest
class EventsTableTest {

    /** Items as JSON with sorted keys: jsonb keeps the value, not the text (it reorders keys and adds spaces). */
    private static final ObjectMapper SORTED = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Receive times with microseconds, the precision of timestamptz. */
    private static final Instant T1 = Instant.parse("2026-11-02T09:15:30.123456Z");
    private static final Instant T2 = Instant.parse("2026-11-02T09:15:31.654321Z");

    private static final String ITEMS = "[{\"action\": \"consent.given\", \"purpose\": \"publicit\u00e9\"},"
            + " {\"action\": \"consent.refused\", \"vendor\": \"755\", \"legal_basis\": \"legitimate_interest\"}]";

    @Inject
    Pool pool;

    @Inject
    EventReadRepository events;

    /**
     * An event with every column filled, each with a value of its own (times microseconds apart), so that two columns
     * swapped in the column list or in the mapping fail the comparison. Its event time is its creation time, as the
     * normaliser makes it; {@link #sparse} tells those two apart.
     */
    static ConsentEvent full(String org, String id, String user, Instant receivedAt, String idempotencyKey) {
        Instant createdAt = receivedAt.minusSeconds(60).plusNanos(7_000);
        return new ConsentEvent(org, id, BoundedKey.of(id), idempotencyKey == null ? null : "key:" + idempotencyKey,
                receivedAt, createdAt, receivedAt.minusSeconds(30).plusNanos(3_000), createdAt, user,
                BoundedKey.of(user), "customer", "FR", "\u00cele-de-France", "tcf", "notice-7",
                "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA", "web", "2.1.0",
                "https://shop.example/caf\u00e9?step=2", ITEMS, "203.0.113.9",
                "ConsentSDK/2.1 (iPhone; \u65e5\u672c\u8a9e)", idempotencyKey,
                "{\"user\": {\"id\": \"" + user + "\"},\n \"note\": \"Zo\u00eb \ud83c\udf6a \u65e5\u672c\u8a9e\"}",
                null, "key-1", List.of(), "BE", "{\"campaign\": \"spring\", \"n\": 1}", "{\"tier\": \"gold\"}");
    }

    /** An event with null in every nullable column, and an id longer than an index key (stored under a digest). */
    static ConsentEvent sparse(String org, Instant receivedAt) {
        String id = "\u00e9v\u00e9nement-" + "\u65e5".repeat(BoundedKey.MAX_PLAIN);
        return new ConsentEvent(org, id, BoundedKey.of(id), null, receivedAt, null, null, receivedAt, null, null, null,
                null, null, null, null, null, null, null, null, "[]", null, null, null,
                "{\"note\": \"\u00e9t\u00e9 \ud83c\udf6a\"}", null, null, List.of(), null, null, null);
    }

    /** What reading {@code e} back must give, field by field; the payload only when the read selects it. */
    static StoredEvent expected(ConsentEvent e, boolean withPayload) {
        return new StoredEvent(e.organizationId(), e.id(), e.receivedAt(), e.createdAt(), e.updatedAt(),
                e.eventTime(), e.userId(), e.userType(), e.country(), e.region(), e.regulation(), e.noticeId(),
                e.consentString(), e.sourceType(), e.sdkVersion(), e.sourceUrl(), sorted(e.items()), e.clientIp(),
                e.userAgent(), withPayload ? e.payload() : null, e.eventKey(), null, e.seenCountry(), e.metadata(),
                e.userMetadata());
    }

    /** A read event with its items in the form of {@link #expected}. */
    static StoredEvent comparable(StoredEvent s) {
        return copy(s, sorted(s.items()), s.payload());
    }

    static StoredEvent withoutPayload(StoredEvent s) {
        return copy(s, s.items(), null);
    }

    static StoredEvent copy(StoredEvent s, String items, String payload) {
        return new StoredEvent(s.organizationId(), s.id(), s.receivedAt(), s.createdAt(), s.updatedAt(),
                s.eventTime(), s.userId(), s.userType(), s.country(), s.region(), s.regulation(), s.noticeId(),
                s.consentString(), s.sourceType(), s.sdkVersion(), s.sourceUrl(), items, s.clientIp(), s.userAgent(),
                payload, s.eventKey(), s.version(), s.seenCountry(), s.metadata(), s.userMetadata());
    }

    static String sorted(String json) {
        try {
            return SORTED.writeValueAsString(SORTED.readValue(json, Object.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What one insert did: the keys it claimed ("organization key"), the events stored, the answers. */
    record Written(List<String> claimed, List<ConsentEvent> stored, List<IngestResult> answers) {
    }

    /**
     * A batch through {@link EventInserts} and {@link Idempotency}, in one transaction, as the writer does: the keys
     * claimed, then the events stored.
     */
    Written write(List<ConsentEvent> batch) throws Exception {
        Idempotency idempotency = new Idempotency(batch);
        return await(pool.withTransaction(conn -> EventInserts.claim(conn, idempotency.sorted).compose(claimed -> {
            List<String> keys = new ArrayList<>();
            if (claimed != null) {
                claimed.forEach(r -> keys.add(r.getString(0) + " " + r.getString(1)));
            }
            return idempotency.stored(conn, claimed)
                    .compose(stored -> EventInserts.insert(conn, stored.events(), Map.of(), false, 0)
                            .map(done -> new Written(keys, stored.events(), idempotency.answer(stored.earlier()))));
        })));
    }

    StoredEvent find(String org, String id) {
        return events.find(org, id).await().atMost(Duration.ofSeconds(30)).map(EventsTableTest::comparable)
                .orElse(null);
    }

    List<String> page(String org, String user, Position before, int limit) {
        return events.history(org, BoundedKey.of(user), before, limit).await().atMost(Duration.ofSeconds(30))
                .stream().map(StoredEvent::id).toList();
    }

    static Position after(ConsentEvent e) {
        return new Position(e.receivedAt(), e.eventKey());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aBatchWithEveryColumnFilledAndOneWithNullsReadsBackAsWritten() throws Exception {
        String org = Events.unique("org-events-columns");
        ConsentEvent full = full(org, "evt-full", "Zo\u00eb-\u65e5", T1, "idem-full");
        ConsentEvent sparse = sparse(org, T2);
        assertTrue(sparse.eventKey().startsWith("#"), "the id is stored under its digest");

        Written written = write(List.of(full, sparse));

        assertEquals(List.of(org + " key:idem-full"), written.claimed());
        assertEquals(List.of(new IngestResult(full.id(), T1, false), new IngestResult(sparse.id(), T2, false)),
                written.answers());
        assertEquals(expected(full, true), find(org, full.id()));
        assertEquals(expected(sparse, true), find(org, sparse.id()));
        // the written columns the row mapping does not read
        assertEquals(BoundedKey.of(full.userId()) + " idem-full", TestDatabase.text(
                "SELECT user_key || ' ' || idempotency_key FROM events WHERE organization_id = ? AND id = ?", org,
                full.id()));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ? AND id = ?"
                + " AND user_key IS NULL AND idempotency_key IS NULL", org, sparse.id()));
    }

    @Test
    void aSecondInsertOfTheSameKeyClaimsNothingAndIsAnsweredWithTheFirstEvent() throws Exception {
        String org = Events.unique("org-events-idempotency");
        ConsentEvent first = full(org, "evt-first", "ann", T1, "idem-1");
        ConsentEvent again = full(org, "evt-again", "ann", T2, "idem-1");

        Written one = write(List.of(first));
        assertEquals(List.of(org + " key:idem-1"), one.claimed());
        assertEquals(List.of(first), one.stored());

        Written two = write(List.of(again));
        assertEquals(List.of(), two.claimed());
        assertEquals(List.of(), two.stored());
        assertEquals(List.of(new IngestResult(first.id(), T1, true)), two.answers());

        assertEquals(null, find(org, again.id()));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
        assertEquals(first.id(), TestDatabase.text(
                "SELECT event_id FROM event_keys WHERE organization_id = ? AND dedup_key = 'key:idem-1'", org));
    }

    /**
     * Newest first, ties on the receive time by event key, pages continuing exactly after the last event shown; one
     * event a microsecond older than three that share a time, with the largest key, so a lost microsecond reorders it.
     */
    @Test
    void historyPagesNewestFirstAndContinuesExactlyAfterAPosition() throws Exception {
        String org = Events.unique("org-events-history");
        ConsentEvent z = full(org, "z", "pat", T1.minusNanos(1_000), null);
        ConsentEvent b = full(org, "b", "pat", T1, null);
        ConsentEvent c = full(org, "c", "pat", T1, null);
        ConsentEvent d = full(org, "d", "pat", T1, null);
        ConsentEvent e = full(org, "e", "pat", T2, null);
        ConsentEvent otherUser = full(org, "y", "sam", T1, null);
        ConsentEvent otherOrg = full(Events.unique("org-events-history-other"), "x", "pat", T1, null);
        write(List.of(c, e, otherUser, z, b, otherOrg, d));

        assertEquals(List.of("e", "d"), page(org, "pat", null, 2));
        assertEquals(List.of("c", "b"), page(org, "pat", after(d), 2));
        assertEquals(List.of("z"), page(org, "pat", after(b), 2));
        assertEquals(List.of(), page(org, "pat", after(z), 2));
        assertEquals(List.of("e", "d", "c", "b", "z"), page(org, "pat", null, 10));
    }

    /**
     * The reads that replay decisions ({@link StateRepository#HISTORY_UNTIL}, over
     * {@link EventsTable#COLUMNS_WITHOUT_PAYLOAD}): the payload is null, every other field as {@link EventsTable#COLUMNS}
     * reads it; events up to the instant, that microsecond included, oldest first.
     */
    @Test
    void readsWithoutThePayloadGiveEveryOtherFieldAsWritten() throws Exception {
        String org = Events.unique("org-events-no-payload");
        ConsentEvent e1 = full(org, "evt-1", "lee", T1, null);
        ConsentEvent e2 = full(org, "evt-2", "lee", T2, null);
        ConsentEvent e3 = full(org, "evt-3", "lee", T2.plusNanos(1_000), null); // a microsecond too late
        write(List.of(e3, e1, e2));

        List<StoredEvent> until = new ArrayList<>();
        for (Row r : await(pool.preparedQuery(StateRepository.HISTORY_UNTIL)
                .execute(Tuple.of(org, BoundedKey.of("lee"), e2.eventTime().atOffset(ZoneOffset.UTC))))) {
            until.add(comparable(EventsTable.read(r)));
        }

        assertEquals(List.of(expected(e1, false), expected(e2, false)), until);
        List<StoredEvent> withPayload = List.of(find(org, e1.id()), find(org, e2.id()));
        assertEquals(List.of(e1.payload(), e2.payload()), withPayload.stream().map(StoredEvent::payload).toList());
        assertEquals(withPayload.stream().map(EventsTableTest::withoutPayload).toList(), until);
        assertEquals(expected(e3, true), find(org, e3.id()));
    }
}
