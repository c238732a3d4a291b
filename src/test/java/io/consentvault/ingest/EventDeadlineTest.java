package io.consentvault.ingest;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentvault.ingest.batch.Lanes;
import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.Poll;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each event has one deadline, {@code retry-for} from its arrival, which the batches ahead of it do not extend: an event
 * that waited past it behind a slow commit is answered 503 and never written, rather than given a window of its own
 * once its batch starts (which let a queued event wait several windows).
 */
@QuarkusTest
@TestProfile(EventDeadlineTest.OneLaneShortDeadline.class)
class EventDeadlineTest {

    static final Duration RETRY_FOR = Duration.ofMillis(500);

    public static class OneLaneShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("consent.ingest.lanes", "1", "consent.ingest.max-wait", "PT0S",
                    "consent.ingest.retry-for", RETRY_FOR.toString(), "consent.ingest.retry-after-seconds", "3");
        }
    }

    @Inject
    Lanes lanes;

    @Test
    void anEventThatOutwaitedItsDeadlineBehindASlowCommitIsAnswered503AndNeverWritten() throws Exception {
        String org = Events.unique("org-deadline");
        String first = Events.unique("first");
        String late = Events.unique("late");
        Api.key(org);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (Connection blocker = TestDatabase.connect()) {
            // hold the events table so the lane's first commit cannot finish
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            Future<Response> firstAnswer = clients.submit(() -> post(org, Events.eventWithId(org, "u1", first)));
            Poll.until("the first event's commit blocked", Duration.ofSeconds(30),
                    () -> TestDatabase.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            + " AND query LIKE 'INSERT INTO events %'") == 1);
            Future<Response> lateAnswer = clients.submit(() -> post(org, Events.eventWithId(org, "u2", late)));
            Poll.until("the second event queued behind that commit", Duration.ofSeconds(30),
                    () -> lanes.depth() == 1);
            // it was queued before this instant, so its deadline is before this plus retry-for
            long queued = System.nanoTime();
            Poll.until("the queued event's deadline passed", RETRY_FOR.multipliedBy(10),
                    () -> System.nanoTime() - queued > RETRY_FOR.toNanos());
            blocker.rollback();

            // the commit already under way completes; the event that waited past its deadline is not written
            assertEquals(201, firstAnswer.get(30, TimeUnit.SECONDS).statusCode());
            Response answer = lateAnswer.get(30, TimeUnit.SECONDS);
            assertEquals(503, answer.statusCode(), answer.asString());
            assertEquals("application/problem+json", answer.contentType());
            assertEquals("3", answer.header("Retry-After"));
            assertTrue(answer.jsonPath().getString("detail").contains("nothing was stored"), answer.asString());
        } finally {
            clients.shutdownNow();
        }
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE id = ?", first));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM events WHERE id = ?", late));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM event_keys WHERE event_id = ?", late));
        // its lane is free again: the same event, sent again, is stored
        Api.as(org).contentType(ContentType.JSON).body(Events.eventWithId(org, "u2", late)).when()
                .post("/v1/consents/events").then().statusCode(201);
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE id = ?", late));
    }

    private static Response post(String org, String body) {
        return Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").andReturn();
    }
}
