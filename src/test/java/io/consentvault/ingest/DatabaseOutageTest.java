package io.consentvault.ingest;

import java.time.Duration;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.consentvault.platform.embedded.PostgresCluster;
import io.consentvault.support.Api;
import io.consentvault.support.Burst;
import io.consentvault.support.Events;
import io.consentvault.support.Metrics;
import io.consentvault.support.Poll;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL goes away in the middle of a burst and comes back: every acknowledged event is stored, and no event
 * answered 503 is.
 */
@QuarkusTest
class DatabaseOutageTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void noAcknowledgedEventIsLostWhenTheDatabaseRestartsMidBurst() throws Exception {
        String org = Events.unique("org-outage");
        Set<String> acknowledged;
        Set<String> refused;
        double retriesBefore = Metrics.value("consent_ingest_batch_retries_total");
        PostgresCluster pg = TestDatabase.server();
        try (Burst burst = Burst.start("http://localhost:" + port, org, Api.key(org), 16, 120)) {
            Poll.until("part of the burst acknowledged", Duration.ofSeconds(60),
                    () -> burst.acknowledged.size() >= 300);
            pg.stop();
            try {
                Poll.until("the service to notice the outage", Duration.ofSeconds(30),
                        () -> Metrics.value("consent_ingest_batch_retries_total") > retriesBefore);
                given().when().get("/q/health/ready").then().statusCode(503);
                // a read the cache cannot answer: the database's absence is said, not a 500
                Api.as(org).when().get("/v1/consents/users/never-seen").then().statusCode(503)
                        .header("Retry-After", "1").contentType("application/problem+json");
                Api.as(org).contentType("application/json").body("{\"user_ids\": [\"never-seen-either\"]}").when()
                        .post("/v1/consents/users/lookup").then().statusCode(503).header("Retry-After", "1");
            } finally {
                pg.restart();
            }
            burst.await();
            acknowledged = burst.acknowledged;
            refused = burst.refused;
            assertEquals(0, burst.unexpected.get() + burst.unreachable.get(), "answers other than 200/201/503");
        } finally {
            if (!pg.isAccepting()) {
                pg.restart();
            }
        }
        given().when().get("/q/health/ready").then().statusCode(200);
        assertEquals(16 * 120, acknowledged.size() + refused.size());
        assertTrue(acknowledged.size() > 300, "the service took events again after the database came back");
        Set<String> stored = TestDatabase.texts("SELECT id FROM events WHERE organization_id = ?", org);
        for (String id : acknowledged) {
            assertTrue(stored.contains(id), "acknowledged event " + id + " lost");
        }
        for (String id : refused) {
            assertTrue(!stored.contains(id), "event answered 503 but stored: " + id);
        }
        assertEquals(stored.size(), TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org),
                "an event stored twice");
    }
}
