package io.consentvault.core.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.decision.ConsentState.Decision;
import io.consentvault.core.decision.ConsentState.Flag;
import io.consentvault.core.decision.ConsentState.Source;
import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.UserKey;
import io.consentvault.ingest.model.EventNormalizer;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.state.repository.StateRepository;
import io.consentvault.state.repository.StateWriter;
import io.consentvault.support.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repository tier of the {@code consent_state} table, on the real database: a state written by {@link StateWriter}
 * (the guarded upsert, or LOCK and UPDATE under row locks) is the state {@link StateRepository#load} reads back through
 * {@link StateTable} and {@link StateCodec}, to the microsecond; a deleted row is gone. Each test uses an organization
 * of its own.
 */
@QuarkusTest
class StateTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Event times and receive times with microseconds, the precision of timestamptz and of the stored sources. */
    private static final Instant T1 = Instant.parse("2026-11-03T08:00:00.123456Z");
    private static final Instant T2 = Instant.parse("2026-11-03T09:30:00.654321Z");
    private static final Instant T3 = Instant.parse("2026-11-03T10:45:00.000001Z");

    private static final String TC1 = "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA";
    private static final String TC2 = "CQBvJoAQBvJoAAfKABENBRFgAP_gAEPgAAAAAAAAAAA";

    @Inject
    StateWriter writer;

    @Inject
    Pool pool;

    /** Both flags of two purposes and of a vendor, a country and a TC string, decided at {@link #T1}. */
    static String first(String org, String user) {
        return """
                {"organization_id": "%s", "user": {"id": "%s", "type": "customer", "country": "FR"},
                 "regulation": "tcf", "consent_string": "%s", "created_at": "%s",
                 "events": [{"action": "consent.given", "purpose": "ads"},
                            {"action": "consent.given", "purpose": "ads", "legal_basis": "legitimate_interest"},
                            {"action": "consent.refused", "purpose": "measurement",
                             "legal_basis": "legitimate_interest"},
                            {"action": "consent.given", "vendor": "755"},
                            {"action": "consent.refused", "vendor": "755", "legal_basis": "legitimate_interest"}]}
                """.formatted(org, user, TC1, T1);
    }

    /** Later, at {@link #T2}: ads refused, a new vendor, another country and TC string. */
    static String second(String org, String user) {
        return """
                {"organization_id": "%s", "user": {"id": "%s", "country": "DE"},
                 "regulation": "tcf", "consent_string": "%s", "created_at": "%s",
                 "events": [{"action": "consent.refused", "purpose": "ads"},
                            {"action": "consent.given", "vendor": "42"}]}
                """.formatted(org, user, TC2, T2);
    }

    /** Later still, at {@link #T3}: vendor 755 by legitimate interest after all. */
    static String third(String org, String user) {
        return """
                {"organization_id": "%s", "user": {"id": "%s"}, "created_at": "%s",
                 "events": [{"action": "consent.given", "vendor": "755", "legal_basis": "legitimate_interest"}]}
                """.formatted(org, user, T3);
    }

    /** The event as the ingest path builds it, received a little after its time. */
    static ConsentEvent event(String body, Instant receivedAt) {
        try {
            return EventNormalizer.normalize(JSON.readTree(body), body,
                    new RequestContext(receivedAt, "203.0.113.9", "test", null, null), null, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Source source(ConsentEvent e) {
        return new Source(e.eventTime(), e.receivedAt(), e.id());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Merges the events onto the users' stored states (none: a new row) and writes them with the guarded upsert. */
    Map<UserKey, ConsentState> writeGuarded(List<ConsentEvent> events, Map<UserKey, ConsentState> bases)
            throws Exception {
        long firstRevision = await(StateWriter.firstRevision(pool));
        return await(pool.withTransaction(conn -> writer.writeGuarded(conn,
                BatchMerge.merge(events, bases, firstRevision))));
    }

    Map<UserKey, ConsentState> load(UserKey... keys) throws Exception {
        return await(StateRepository.load(pool, List.of(keys)));
    }

    static Map<UserKey, ConsentState> newRows(UserKey... keys) {
        Map<UserKey, ConsentState> bases = new HashMap<>();
        for (UserKey key : keys) {
            bases.put(key, null);
        }
        return bases;
    }

    @Test
    void aMergedStateWrittenByTheGuardedUpsertReadsBackAsWritten() throws Exception {
        String org = Events.unique("org-state-columns");
        UserKey key = new UserKey(org, "ann");
        ConsentEvent e1 = event(first(org, "ann"), T1.plusSeconds(2).plusNanos(1_000));
        ConsentEvent e2 = event(second(org, "ann"), T2.plusSeconds(1).plusNanos(999_000));

        Map<UserKey, ConsentState> written = writeGuarded(List.of(e1, e2), newRows(key));

        long revision = written.get(key).revision();
        assertTrue(revision > 0 && revision % 1048576 == 0, "a first revision is a fresh multiple of 2^20");
        Map<String, Decision> purposes = new TreeMap<>(Map.of(
                "ads", new Decision(new Flag<>(false, source(e2)), new Flag<>(true, source(e1))),
                "measurement", new Decision(Flag.none(), new Flag<>(false, source(e1)))));
        Map<String, Decision> vendors = new TreeMap<>(Map.of(
                "42", new Decision(new Flag<>(true, source(e2)), Flag.none()),
                "755", new Decision(new Flag<>(true, source(e1)), new Flag<>(false, source(e1)))));
        ConsentState expected = new ConsentState("ann", "customer", purposes, vendors, new Flag<>("DE", source(e2)),
                new Flag<>(TC2, source(e2)), Flag.none(), Flag.none(), T1, T2, 2, revision);
        assertEquals(Map.of(key, expected), written);
        assertEquals(Map.of(key, expected), load(key));
    }

    /** LOCK answers the stored row, the merge onto it is the guarded path's merge, and UPDATE stores it. */
    @Test
    void applyingUnderRowLocksOnAStoredRowGivesTheStateTheMergeGives() throws Exception {
        String org = Events.unique("org-state-apply");
        UserKey key = new UserKey(org, "bo");
        writeGuarded(List.of(event(first(org, "bo"), T1.plusSeconds(2))), newRows(key));
        ConsentState stored = load(key).get(key);
        List<ConsentEvent> batch = List.of(event(second(org, "bo"), T2.plusSeconds(1)),
                event(third(org, "bo"), T3.plusNanos(1_000)));

        ConsentState merged = BatchMerge.merge(batch, Map.of(key, stored), 0).after().get(key);
        assertEquals(stored.version() + 2, merged.version());
        assertEquals(stored.revision() + 1, merged.revision());
        assertEquals(T3, merged.updatedAt());

        Map<UserKey, ConsentState> applied = await(pool.withTransaction(conn -> writer.apply(conn, batch)))
                .changed();

        assertEquals(Map.of(key, merged), applied);
        assertEquals(Map.of(key, merged), load(key));
    }

    @Test
    void deleteRemovesTheUsersRowAndAnswersTrueThenFalse() throws Exception {
        String org = Events.unique("org-state-delete");
        UserKey key = new UserKey(org, "cy");
        UserKey neighbour = new UserKey(org, "cy-2");
        Map<UserKey, ConsentState> written = writeGuarded(
                List.of(event(first(org, "cy"), T1.plusSeconds(2)), event(first(org, "cy-2"), T1.plusSeconds(3))),
                newRows(key, neighbour));
        assertEquals(Set.of(key, neighbour), written.keySet());
        assertEquals(written, load(key, neighbour));

        assertEquals(true, await(pool.withTransaction(conn -> writer.delete(conn, key))));
        assertEquals(Map.of(neighbour, written.get(neighbour)), load(key, neighbour));
        assertEquals(false, await(pool.withTransaction(conn -> writer.delete(conn, key))));
    }
}
