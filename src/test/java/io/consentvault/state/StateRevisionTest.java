package io.consentvault.state;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.UserKey;
import io.consentvault.ingest.model.EventNormalizer;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.state.repository.StateRepository;
import io.consentvault.state.repository.StateWriter;
import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.Metrics;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The guarded state write against another replica's write that changed a user's state without changing its version (a
 * decision repeated with a newer time): a merge onto the older state must not land.
 */
@QuarkusTest
class StateRevisionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T1 = Instant.parse("2026-11-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-01T11:00:00Z");
    private static final Instant T3 = Instant.parse("2026-11-01T12:00:00Z");

    @Inject
    StateWriter writer;

    @Inject
    Pool pool;

    static String body(String org, String user, String action, Instant at) {
        return "{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"" + user + "\"}, \"created_at\": \"" + at
                + "\", \"events\": [{\"action\": \"" + action + "\", \"purpose\": \"ads\"}]}";
    }

    /** The event as the ingest path builds it, received now. */
    static ConsentEvent event(String org, String user, String action, Instant at) {
        try {
            String body = body(org, user, action, at);
            return EventNormalizer.normalize(JSON.readTree(body), body,
                    new RequestContext(Instant.now(), "203.0.113.9", "test", null, null), null, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a merge through the guarded upsert, in its own transaction. */
    Map<UserKey, ConsentState> writeGuarded(BatchMerge.Merged merged) throws Exception {
        return pool.withTransaction(conn -> writer.writeGuarded(conn, merged)).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    long firstRevision() throws Exception {
        return StateWriter.firstRevision(pool).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    ConsentState stored(UserKey key) throws Exception {
        return StateRepository.load(pool, List.of(key)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).get(key);
    }

    static Map<UserKey, ConsentState> base(UserKey key, ConsentState state) {
        Map<UserKey, ConsentState> bases = new HashMap<>();
        bases.put(key, state);
        return bases;
    }

    static ConsentState.Flag<Boolean> ads(ConsentState state) {
        return state.purposes().get("ads").consent();
    }

    @Test
    void aMergeOntoAStateRewrittenWithTheSameValueAndANewerTimeFails() throws Exception {
        String org = Events.unique("org-revision");
        UserKey key = new UserKey(org, "ida");
        ConsentState s = writeGuarded(BatchMerge.merge(List.of(event(org, "ida", "consent.given", T1)),
                base(key, null), firstRevision())).get(key);

        // replica A: the grant repeated at t3, merged onto S (the value stays, its source and time change)
        ConsentState a = writeGuarded(BatchMerge.merge(List.of(event(org, "ida", "consent.given", T3)),
                base(key, s), 0)).get(key);
        assertEquals(s.version(), a.version());

        // replica B: a refusal at t2, merged onto the same S, which B still holds
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> writeGuarded(BatchMerge.merge(List.of(event(org, "ida", "consent.refused", T2)),
                        base(key, s), 0)));
        assertEquals("40001", assertInstanceOf(PgException.class, failure.getCause()).getSqlState());

        ConsentState stored = stored(key);
        assertEquals(true, ads(stored).value());
        assertEquals(T3, ads(stored).source().eventTime());
        assertEquals(s.version(), stored.version());
    }

    /**
     * The same race through the ingest path: this replica holds S in its cache (the other replica's announcement is
     * not heard yet), so its guarded write fails and the batch is written again under row locks, onto the stored state.
     */
    @Test
    void aBatchMergedOntoAStaleCachedStateIsWrittenAgainUnderLocksAndConverges() throws Exception {
        String org = Events.unique("org-revision-http");
        UserKey key = new UserKey(org, "jo");
        post(body(org, "jo", "consent.given", T1));
        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/jo").then().statusCode(200);
        ConsentState s = stored(key);

        // another replica repeats the grant at t3 (its announcement carries this replica's id: not heard here)
        writeGuarded(BatchMerge.merge(List.of(event(org, "jo", "consent.given", T3)), base(key, s), 0));
        double staleBefore = Metrics.value("consent_state_stale_merges_total");

        post(body(org, "jo", "consent.refused", T2));

        assertEquals(staleBefore + 1, Metrics.value("consent_state_stale_merges_total"));
        ConsentState stored = stored(key);
        assertEquals(true, ads(stored).value());
        assertEquals(T3, ads(stored).source().eventTime());
        assertEquals(1, stored.version());
        assertEquals(2, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    static void post(String body) {
        Api.as(UserApiTest.orgOf(body)).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events")
                .then().statusCode(201);
    }
}
