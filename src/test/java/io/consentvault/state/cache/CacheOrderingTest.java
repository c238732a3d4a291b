package io.consentvault.state.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import io.consentvault.privacy.ErasureService;
import io.consentvault.state.repository.StateChanges;
import io.consentvault.state.repository.StateWriter;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.sqlclient.Pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This replica's puts of the states it committed against what it heard meanwhile: a put that arrives after an
 * announcement of a newer write, or after an erasure, or after a newer state was loaded, must not be served.
 */
@QuarkusTest
class CacheOrderingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T1 = Instant.parse("2026-11-01T10:00:00Z");

    @Inject
    StateCache cache;

    @Inject
    StateWriter writer;

    @Inject
    ErasureService erasures;

    @Inject
    Pool pool;

    /** A user's state written through the guarded upsert, one event at a time, every one stored. */
    private final class User {
        final UserKey key;
        ConsentState state;

        User(String org, String id) {
            this.key = new UserKey(org, id);
        }

        /** Stores one more decision (purpose "ads", {@code minutes} after t1) and answers the state written. */
        ConsentState decide(String action, int minutes) throws Exception {
            String body = "{\"organization_id\": \"" + key.organizationId() + "\", \"user\": {\"id\": \""
                    + key.userKey() + "\"}, \"created_at\": \"" + T1.plusSeconds(60L * minutes)
                    + "\", \"events\": [{\"action\": \"" + action + "\", \"purpose\": \"ads\"}]}";
            ConsentEvent event = EventNormalizer.normalize(JSON.readTree(body), body,
                    new RequestContext(Instant.now(), "203.0.113.9", "test", null, null), null, null);
            Map<UserKey, ConsentState> bases = new HashMap<>();
            bases.put(key, state);
            long first = state != null
                    ? 0
                    : StateWriter.firstRevision(pool).toCompletionStage().toCompletableFuture().get(10,
                            TimeUnit.SECONDS);
            BatchMerge.Merged merged = BatchMerge.merge(List.of(event), bases, first);
            pool.withTransaction(conn -> writer.writeGuarded(conn, merged)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            state = merged.after().get(key);
            return state;
        }
    }

    CachedUser get(UserKey key) throws Exception {
        return cache.get(key).get(10, TimeUnit.SECONDS);
    }

    static Boolean ads(CachedUser user) {
        return user.state().purposes().get("ads").consent().value();
    }

    @Test
    void aLatePutOfAnOlderStateAfterAnAnnouncementOfANewerOneIsNotServed() throws Exception {
        User user = new User(Events.unique("org-order"), "kim");
        ConsentState r = user.decide("consent.given", 0);
        cache.committed(Map.of(user.key, r), Set.of()); // this replica committed revision r
        ConsentState newer = user.decide("consent.refused", 1); // another replica writes r + 1
        assertEquals(r.revision() + 1, newer.revision());

        cache.invalidated(Map.of(user.key, newer.revision())); // its announcement is heard
        cache.committed(Map.of(user.key, r), Set.of()); // then a put of revision r arrives late

        CachedUser served = get(user.key);
        assertEquals(newer.revision(), served.state().revision());
        assertEquals(false, ads(served));

        // a state newer than the announced one is put as usual
        ConsentState newest = user.decide("consent.given", 2);
        cache.committed(Map.of(user.key, newest), Set.of());
        assertEquals(newest.revision(), cache.peek(user.key).state().revision());
        assertEquals(true, ads(cache.peek(user.key)));
    }

    @Test
    void aLatePutDoesNotReplaceANewerStateLoadedMeanwhile() throws Exception {
        User user = new User(Events.unique("org-order"), "lou");
        ConsentState r = user.decide("consent.given", 0);
        ConsentState newer = user.decide("consent.refused", 1);
        assertEquals(newer.revision(), get(user.key).state().revision()); // loaded before the announcement

        cache.committed(Map.of(user.key, r), Set.of());

        assertEquals(newer.revision(), get(user.key).state().revision());
        assertEquals(false, ads(get(user.key)));
    }

    @Test
    void aLatePutAfterAnErasureOnThisReplicaDoesNotBringTheUserBack() throws Exception {
        User user = new User(Events.unique("org-order"), "max");
        ConsentState r = user.decide("consent.given", 0);
        cache.committed(Map.of(user.key, r), Set.of());

        assertTrue(erasures.erase(user.key).await().atMost(Duration.ofSeconds(10)).isPresent());
        cache.committed(Map.of(user.key, r), Set.of()); // the put of a commit from before the erasure arrives late

        CachedUser served = get(user.key);
        assertFalse(served.exists());
        assertNull(served.state());
    }

    @Test
    void aLatePutAfterAnErasureAnnouncedByAnotherReplicaDoesNotBringTheUserBack() throws Exception {
        User user = new User(Events.unique("org-order"), "ned");
        ConsentState r = user.decide("consent.given", 0);
        cache.committed(Map.of(user.key, r), Set.of());
        TestDatabase.execute("DELETE FROM consent_state WHERE organization_id = '" + user.key.organizationId()
                + "' AND user_key = 'ned'"); // erased on another replica

        cache.invalidated(Map.of(user.key, StateChanges.GONE));
        cache.committed(Map.of(user.key, r), Set.of());

        assertFalse(get(user.key).exists());
    }

    @Test
    void aUsersFirstStateIsLeftToTheFirstReadUnlessTheUserIsHeld() throws Exception {
        User fresh = new User(Events.unique("org-order"), "ola");
        ConsentState first = fresh.decide("consent.given", 0);
        cache.committed(Map.of(fresh.key, first), Set.of(fresh.key));
        assertNull(cache.peek(fresh.key)); // not put: a burst of one-event users must not push out the read ones
        assertEquals(first.revision(), get(fresh.key).state().revision()); // the first read loads it

        ConsentState second = fresh.decide("consent.refused", 1);
        cache.committed(Map.of(fresh.key, second), Set.of());
        assertEquals(second.revision(), cache.peek(fresh.key).state().revision());
        assertEquals(false, ads(cache.peek(fresh.key)));

        User unknown = new User(Events.unique("org-order"), "pia");
        assertFalse(get(unknown.key).exists()); // an edge proxy asked before the user's first event
        ConsentState created = unknown.decide("consent.given", 0);
        cache.committed(Map.of(unknown.key, created), Set.of(unknown.key));
        assertEquals(created.revision(), cache.peek(unknown.key).state().revision()); // never served as unknown
        assertEquals(true, ads(cache.peek(unknown.key)));
    }
}
