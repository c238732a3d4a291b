package io.consentvault.ingest;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With one small lane: a full lane answers 503 + Retry-After at once and stores nothing of that event; the events
 * already queued are committed once the database moves again. Also: a trusted proxy's X-Forwarded-For is believed.
 */
@QuarkusTest
@TestProfile(BackpressureTest.OneSmallLane.class)
class BackpressureTest {

    public static class OneSmallLane implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("consent.ingest.lanes", "1", "consent.ingest.lane-capacity", "5",
                    "consent.ingest.max-wait", "PT0S", "consent.ingest.retry-after-seconds", "7",
                    "consent.ingest.trusted-proxies", "127.0.0.1/32,10.0.0.0/8", "consent.rate-limit.per-second", "1",
                    "consent.rate-limit.burst", "20", "consent.privacy.client-ip", "truncated");
        }
    }

    @Test
    void aFullLaneAnswers503AndStoresNothingOfThatEvent() throws Exception {
        String org = Events.unique("org-full");
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<Response>> waiting = new ArrayList<>();
        try (Connection blocker = TestDatabase.connect()) {
            // hold the events table so the lane's commit cannot finish
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            for (int i = 0; i < 6; i++) {
                String user = "u" + i;
                waiting.add(clients.submit(() -> post(org, Events.event(org, user))));
            }
            // one event in the blocked commit, five queued behind it: the lane is full
            Poll.until("one batch blocked and five events queued", Duration.ofSeconds(30),
                    () -> TestDatabase.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            + " AND query LIKE 'INSERT INTO events %'") == 1
                            && Metrics.value("consent_ingest_lane_depth{") == 5);

            String refusedId = Events.unique("refused");
            Api.as(org).contentType(ContentType.JSON).body(Events.eventWithId(org, "u-late", refusedId))
                    .when().post("/v1/consents/events")
                    .then().statusCode(503)
                    .header("Retry-After", "7")
                    .contentType("application/problem+json")
                    .body("status", equalTo(503));
            blocker.rollback();

            for (Future<Response> answer : waiting) {
                assertEquals(201, answer.get().statusCode());
            }
            assertEquals(0, TestDatabase.count("SELECT count(*) FROM events WHERE id = ?", refusedId));
            assertEquals(0, TestDatabase.count("SELECT count(*) FROM event_keys WHERE event_id = ?", refusedId));
            assertEquals(6, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aKeyOverItsRateGets429WithRateLimitHeaders() {
        String org = Events.unique("org-rate");
        int limited = 0;
        for (int i = 0; i < 25; i++) {
            var answer = Api.as(org).when().get("/v1/consents/users/nobody").andReturn();
            if (answer.statusCode() == 429) {
                limited++;
                assertEquals("1", answer.header("Retry-After"));
                assertEquals("\"key\";r=0;t=1", answer.header("RateLimit"));
                assertEquals("\"key\";q=1;w=1", answer.header("RateLimit-Policy"));
                assertEquals("application/problem+json", answer.contentType());
            } else {
                assertEquals(404, answer.statusCode());
            }
        }
        // a burst of 20, then about one a second
        assertTrue(limited >= 3 && limited <= 5, "limited: " + limited);
        // another key has its own bucket
        Api.as(Events.unique("org-rate-other")).when().get("/v1/consents/users/nobody").then().statusCode(404);
    }

    @Test
    void aTrustedProxySaysWhoTheClientIsAndOnlyItsNetworkIsKept() {
        String org = Events.unique("org-proxy");
        String id = Api.as(org).contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.7, 10.1.2.3")
                .body(Events.event(org, "u")).when().post("/v1/consents/events")
                .then().statusCode(201).extract().path("id");
        Api.as(org).when().get("/v1/consents/events/" + id).then().statusCode(200).body("ip", equalTo("198.51.100.0"));
    }

    @Test
    void forwardedForSentAsSeveralLinesIsOneList() {
        String org = Events.unique("org-proxy-lines");
        // the client wrote the first line; the proxy in front of the trusted one appended the second
        String id = Api.as(org).contentType(ContentType.JSON).header("X-Forwarded-For", "203.0.113.50")
                .header("X-Forwarded-For", "198.51.100.7, 10.1.2.3").body(Events.event(org, "u")).when()
                .post("/v1/consents/events").then().statusCode(201).extract().path("id");
        Api.as(org).when().get("/v1/consents/events/" + id).then().statusCode(200).body("ip", equalTo("198.51.100.0"));
    }

    private static Response post(String org, String body) {
        return Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").andReturn();
    }
}
