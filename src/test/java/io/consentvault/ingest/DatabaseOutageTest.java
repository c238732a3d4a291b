package io.consentvault.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.consentvault.platform.embedded.EmbeddedPostgres;
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
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        AtomicInteger unexpected = new AtomicInteger();
        double retriesBefore = Metrics.value("consent_ingest_batch_retries_total");
        EmbeddedPostgres pg = TestDatabase.server();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int sender = t;
                senders.add(clients.submit(() -> {
                    for (int i = 0; i < 120; i++) {
                        String id = "ev-" + sender + "-" + i;
                        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                + "/v1/consents/events")).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        Events.eventWithId(org, "user-" + sender, id)))
                                .build();
                        try {
                            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (status == 201 || status == 200) {
                                acknowledged.add(id);
                            } else if (status == 503) {
                                refused.add(id);
                            } else {
                                unexpected.incrementAndGet();
                            }
                        } catch (Exception e) {
                            unexpected.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Poll.until("part of the burst acknowledged", Duration.ofSeconds(60), () -> acknowledged.size() >= 300);
            pg.stop();
            try {
                Poll.until("the service to notice the outage", Duration.ofSeconds(30),
                        () -> Metrics.value("consent_ingest_batch_retries_total") > retriesBefore);
                given().when().get("/q/health/ready").then().statusCode(503);
            } finally {
                pg.restart();
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        } finally {
            clients.shutdownNow();
            if (!pg.isAccepting()) {
                pg.restart();
            }
        }
        assertEquals(0, unexpected.get(), "answers other than 200/201/503");
        given().when().get("/q/health/ready").then().statusCode(200);
        assertEquals(16 * 120, acknowledged.size() + refused.size());
        assertTrue(acknowledged.size() > 300, "the service took events again after the database came back");
        for (String id : acknowledged) {
            assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ? AND id = ?",
                    org, id), "acknowledged event " + id);
        }
        for (String id : refused) {
            assertEquals(0, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ? AND id = ?",
                    org, id), "event answered 503 " + id);
        }
    }
}
