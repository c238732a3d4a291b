package io.consentvault.ingest;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.Metrics;
import io.consentvault.support.Poll;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * When an idle lane flushes: with {@code max-wait} far longer than any answer here may take, an event is committed as
 * soon as its lane holds as many as the last batch held, not when the wait is over.
 */
@QuarkusTest
@TestProfile(GroupCommitTest.OneLaneLongWait.class)
class GroupCommitTest {

    /** Longer than any answer below is waited for: an answer within it came from a flush that did not wait. */
    private static final long ANSWERED_WITHIN_SECONDS = 15;

    public static class OneLaneLongWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("consent.ingest.lanes", "1", "consent.ingest.max-wait", "PT60S",
                    "consent.ingest.retry-for", "PT120S");
        }
    }

    @Test
    void anIdleLaneFlushesOnceItHoldsAsManyEventsAsItsLastBatch() throws Exception {
        String org = Events.unique("org-group");
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            // three events gather behind a commit held up by a lock, and are written as the next batch of three
            List<Future<Response>> gathered = new ArrayList<>();
            try (Connection blocker = TestDatabase.connect()) {
                blocker.setAutoCommit(false);
                blocker.createStatement().execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
                Future<Response> first = clients.submit(() -> post(org, "u0"));
                Poll.until("a batch blocked", Duration.ofSeconds(30),
                        () -> TestDatabase.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                + " AND query LIKE 'INSERT INTO events %'") == 1);
                for (int i = 1; i <= 3; i++) {
                    String user = "u" + i;
                    gathered.add(clients.submit(() -> post(org, user)));
                }
                Poll.until("three events queued", Duration.ofSeconds(30),
                        () -> Metrics.value("consent_ingest_lane_depth{") == 3);
                double batches = Metrics.value("consent_ingest_batch_size_count");
                blocker.rollback();
                assertEquals(201, first.get(ANSWERED_WITHIN_SECONDS, TimeUnit.SECONDS).statusCode());
                for (Future<Response> answer : gathered) {
                    assertEquals(201, answer.get(ANSWERED_WITHIN_SECONDS, TimeUnit.SECONDS).statusCode());
                }
                assertEquals(batches + 1, Metrics.value("consent_ingest_batch_size_count"));
            }

            // the idle lane now expects three: two wait for company, the third completes the batch
            double batches = Metrics.value("consent_ingest_batch_size_count");
            double events = Metrics.value("consent_ingest_batch_size_sum");
            Future<Response> a = clients.submit(() -> post(org, "u4"));
            Future<Response> b = clients.submit(() -> post(org, "u5"));
            Poll.until("two events waiting", Duration.ofSeconds(30),
                    () -> Metrics.value("consent_ingest_lane_depth{") == 2);
            assertFalse(a.isDone() || b.isDone());
            Future<Response> c = clients.submit(() -> post(org, "u6"));
            for (Future<Response> answer : List.of(a, b, c)) {
                assertEquals(201, answer.get(ANSWERED_WITHIN_SECONDS, TimeUnit.SECONDS).statusCode());
            }
            assertEquals(batches + 1, Metrics.value("consent_ingest_batch_size_count"));
            assertEquals(events + 3, Metrics.value("consent_ingest_batch_size_sum"));
            assertEquals(7, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
        } finally {
            clients.shutdownNow();
        }
    }

    private static Response post(String org, String user) {
        return Api.as(org).contentType(ContentType.JSON).body(Events.event(org, user)).when()
                .post("/v1/consents/events").andReturn();
    }
}
