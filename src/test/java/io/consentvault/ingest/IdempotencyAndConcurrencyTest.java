package io.consentvault.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Retries by client id and by Idempotency-Key store nothing new, one at a time and all at once. */
@QuarkusTest
class IdempotencyAndConcurrencyTest {

    @Test
    void aRetryWithTheSameClientIdReplaysTheFirstAnswer() {
        String org = Events.unique("org-idem");
        String id = Events.unique("client-id");
        Response first = post(Events.eventWithId(org, "u1", id), null);
        first.then().statusCode(201).body("id", equalTo(id)).header("Idempotent-Replayed", nullValue());
        String receivedAt = first.path("received_at");

        post(Events.eventWithId(org, "u1", id), null).then().statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(id))
                .body("received_at", equalTo(receivedAt));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReplaysTheFirstAnswer() {
        String org = Events.unique("org-idem");
        String key = Events.unique("key");
        Response first = post(Events.event(org, "u1"), key);
        first.then().statusCode(201);
        String id = first.path("id");

        post(Events.event(org, "u1"), key).then().statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(id))
                .body("received_at", equalTo(first.<String>path("received_at")));
        // another key is another event
        post(Events.event(org, "u1"), key + "-2").then().statusCode(201);
        assertEquals(2, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void theSameIdInTwoOrganizationsIsTwoEvents() {
        String id = Events.unique("shared-id");
        post(Events.eventWithId(Events.unique("org-a"), "u", id), null).then().statusCode(201);
        post(Events.eventWithId(Events.unique("org-b"), "u", id), null).then().statusCode(201);
    }

    @Test
    void concurrentDuplicatesAreStoredOnce() throws Exception {
        String org = Events.unique("org-dup");
        String id = Events.unique("dup-id");
        String key = Events.unique("dup-key");
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Response>> byId = new ArrayList<>();
            List<Future<Response>> byKey = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                // different users so the copies land in different lanes and race in the database
                String user = "u" + i;
                byId.add(pool.submit(() -> post(Events.eventWithId(org, user, id), null)));
                byKey.add(pool.submit(() -> post(Events.event(org, user), key)));
            }
            assertOneCreatedRestReplayed(byId);
            assertOneCreatedRestReplayed(byKey);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void aThousandConcurrentSinglePostsAreAllStoredExactlyOnce() throws Exception {
        String org = Events.unique("org-burst");
        ExecutorService pool = Executors.newFixedThreadPool(64);
        Set<String> ids = new HashSet<>();
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String user = "user-" + (i % 200);
                answers.add(pool.submit(() -> post(Events.event(org, user), null)));
            }
            for (Future<Response> answer : answers) {
                Response r = answer.get();
                assertEquals(201, r.statusCode(), r.asString());
                ids.add(r.path("id"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1000, ids.size());
        assertEquals(1000, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
        assertEquals(1000,
                TestDatabase.count("SELECT count(DISTINCT id) FROM events WHERE organization_id = ?", org));
    }

    private static void assertOneCreatedRestReplayed(List<Future<Response>> answers) throws Exception {
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (Future<Response> f : answers) {
            Response r = f.get();
            if (r.statusCode() == 201) {
                created++;
            } else {
                assertEquals(200, r.statusCode(), r.asString());
                assertEquals("true", r.header("Idempotent-Replayed"));
            }
            ids.add(r.path("id"));
        }
        assertEquals(1, created);
        assertEquals(1, ids.size());
    }

    private static String orgOf(String body) {
        int start = body.indexOf("\"organization_id\": \"") + "\"organization_id\": \"".length();
        return body.substring(start, body.indexOf('"', start));
    }

    static Response post(String body, String idempotencyKey) {
        var request = Api.as(orgOf(body)).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.when().post("/v1/consents/events").andReturn();
    }
}
