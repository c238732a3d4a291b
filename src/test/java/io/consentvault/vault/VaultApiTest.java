package io.consentvault.vault;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.consentvault.vault.repository.Cursors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vault over HTTP, fed by real events through the real ingest path: records are searchable once acknowledged. */
@QuarkusTest
class VaultApiTest {

    static String event(String org, String user, String createdAt, String items) {
        return "{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"" + user + "\", \"country\": \"FR\"},"
                + " \"regulation\": \"gdpr\", \"notice_id\": \"notice-7\", \"source\": {\"type\": \"web\"},"
                + " \"events\": " + items + ", \"created_at\": \"" + createdAt + "\"}";
    }

    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

    static String post(String org, String body) {
        return Api.as(org).contentType(ContentType.JSON).header("User-Agent", IPHONE).body(body)
                .when().post("/v1/consents/events").then().statusCode(201).extract().path("id");
    }

    static ExtractableResponse<Response> records(String org, String query) {
        return Api.as(org).when().get("/v1/vault/records" + query).then().statusCode(200).extract();
    }

    @Test
    void everyItemIsARecordWithWhatItChangedTheMomentItIsAcknowledged() {
        String org = Events.unique("org-vault");
        String user = "u1";
        post(org, event(org, user, "2026-11-01T10:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"ads\"},"
                + " {\"action\": \"preference.shown\"}]"));
        post(org, event(org, user, "2026-11-01T11:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        post(org,
                event(org, user, "2026-11-01T12:00:00Z", "[{\"action\": \"consent.refused\", \"purpose\": \"ads\"}]"));
        // late: older than the decision held, no effect
        post(org, event(org, user, "2026-11-01T09:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        post(org, event(org, user, "2026-11-01T13:00:00Z", "[{\"action\": \"consent.refused\", \"purpose\": \"ads\"},"
                + " {\"action\": \"consent.given\", \"value\": true, \"purpose\": \"mail\","
                + " \"legal_basis\": \"legitimate_interest\"},"
                + " {\"action\": \"consent.given\", \"value\": false, \"purpose\": \"mail\","
                + " \"legal_basis\": \"legitimate_interest\"}]"));

        var page = records(org, "?order=asc");
        assertEquals(
                java.util.Arrays.asList("superseded", "granted", null, "renewed", "withdrawn", "refused", "superseded",
                        "refused"),
                page.path("records.change"));
        assertEquals(List.of("consent.given", "consent.given", "preference.shown", "consent.given",
                "consent.refused", "consent.refused", "consent.given", "consent.given"), page.path("records.action"));
        assertEquals(java.util.Arrays.asList(null, null, null, null, null, null, true, false),
                page.path("records.value"));
        assertEquals(List.of(0, 0, 1, 0, 0, 0, 1, 2), page.path("records.event_index"));
        Map<String, Object> first = page.path("records[1]");
        assertEquals(org, first.get("organization_id"));
        assertEquals("u1", first.get("user_id"));
        assertEquals("u1", first.get("organization_user_id"));
        assertEquals(true, first.get("decision"));
        assertNull(first.get("value"));
        assertEquals("gdpr", first.get("regulation"));
        assertEquals("notice-7", first.get("notice_id"));
        assertEquals("FR", first.get("country"));
        assertEquals("web", first.get("source_type"));
        assertEquals("2026-11-01T10:00:00Z", first.get("created_at"));
        assertNotEquals(null, first.get("api_key_id"));
        assertNull(page.path("next_cursor"));
        // newest first by default
        assertEquals("2026-11-01T13:00:00Z", records(org, "").path("records[0].created_at"));
        // a duplicated event (the same client id sent again) is the stored one: no record of its own
        String withId = event(org, user, "2026-11-01T14:00:00Z",
                "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]").replaceFirst("\\{", "{\"id\": \"dup-1\", ");
        Api.as(org).contentType(ContentType.JSON).body(withId).when().post("/v1/consents/events").then()
                .statusCode(201);
        Api.as(org).contentType(ContentType.JSON).body(withId).when().post("/v1/consents/events").then()
                .statusCode(200);
        assertEquals(List.of("granted"), records(org, "?from=2026-11-01T14:00:00Z").path("records.change"));
    }

    @Test
    void filtersAndAWhereClauseNarrowAndCursorsPage() {
        String org = Events.unique("org-vault");
        for (int i = 0; i < 5; i++) {
            post(org, event(org, "p" + i, "2026-11-0" + (i + 1) + "T10:00:00Z",
                    "[{\"action\": \"consent.given\", \"purpose\": \"ads\"},"
                            + " {\"action\": \"consent.refused\", \"purpose\": \"analytics\"}]"));
        }
        Api.as(org).when().get("/v1/vault/records?purpose=analytics&change=refused&from=2026-11-02&to=2026-11-04")
                .then().statusCode(200).body("records.user_id", contains("p2", "p1"));
        Api.as(org).when().get("/v1/vault/records?user_id=p3&user_id=p4&action=consent.given").then().statusCode(200)
                .body("records.user_id", contains("p4", "p3"));
        Api.as(org).queryParam("where", "purpose = 'ads' AND (user_id LIKE 'p_' AND NOT user_id IN (\"p0\", 'p1'))")
                .when().get("/v1/vault/records").then().statusCode(200).body("records.user_id", contains("p4", "p3",
                        "p2"));

        String cursor = records(org, "?limit=4").path("next_cursor");
        Api.as(org).queryParam("limit", 4).queryParam("cursor", cursor).when().get("/v1/vault/records").then()
                .statusCode(200).body("records", hasSize(4)).body("next_cursor", notNullValue());
        String second = Api.as(org).queryParam("limit", 4).queryParam("cursor", cursor).when()
                .get("/v1/vault/records").then().extract().path("next_cursor");
        Api.as(org).queryParam("limit", 4).queryParam("cursor", second).when().get("/v1/vault/records").then()
                .statusCode(200).body("records", hasSize(2)).body("next_cursor", nullValue())
                .body("records.user_id", contains("p0", "p0"));
        // another query, or an altered cursor, is refused
        Api.as(org).queryParam("limit", 5).queryParam("cursor", cursor).when().get("/v1/vault/records").then()
                .statusCode(400).body("errors[0].query", equalTo("cursor"));
        String altered = cursor.substring(0, 5) + (cursor.charAt(5) == 'A' ? 'B' : 'A') + cursor.substring(6);
        Api.as(org).queryParam("limit", 4).queryParam("cursor", altered).when().get("/v1/vault/records").then()
                .statusCode(400).body("errors[0].query", equalTo("cursor"));
    }

    @Test
    void aBadClauseIsA400AtItsPosition() {
        String org = Events.unique("org-vault");
        Api.as(org).queryParam("where", "purpose = 'ads' AND nope = 1").when().get("/v1/vault/records").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].query", equalTo("where"))
                .body("errors[0].position", equalTo(20));
        Api.as(org).queryParam("where", "purpose = 'ads'; DROP TABLE events").when().get("/v1/vault/records").then()
                .statusCode(400).body("errors[0].position", equalTo(15));
    }

    @Test
    void anotherOrganizationsRecordsAreNeverReached() {
        String org = Events.unique("org-vault");
        String other = Events.unique("org-vault");
        post(other, event(other, "x", "2026-11-01T10:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"a\"}]"));
        String id = records(other, "").path("records[0].id");
        Api.as(org).queryParam("where", "organization_id = '" + other + "' OR purpose = 'a'").when()
                .get("/v1/vault/records").then().statusCode(200).body("records", hasSize(0));
        Api.as(org).when().get("/v1/vault/records/" + id).then().statusCode(404);
        Api.as(org).when().get("/v1/vault/records?organization_id=" + other).then().statusCode(403);
    }

    @Test
    void aRecordShowsItsProofAndTheKeyThatSentIt() {
        String org = Events.unique("org-vault");
        String eventId = post(org, event(org, "v", "2026-11-01T10:00:00Z",
                "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        String id = records(org, "").path("records[0].id");
        Api.as(org).when().get("/v1/vault/records/" + id).then().statusCode(200)
                .body("record.id", equalTo(id)).body("record.event_id", equalTo(eventId))
                .body("event.id", equalTo(eventId)).body("event.user_agent", equalTo(IPHONE))
                .body("event.payload.user.id", equalTo("v")).body("event.notice_id", equalTo("notice-7"))
                .body("api_key.id", notNullValue()).body("api_key.name", equalTo("test"))
                .body("user_agent.browser", equalTo("Safari")).body("user_agent.browser_version", equalTo("17.1"))
                .body("user_agent.os", equalTo("iOS")).body("user_agent.os_version", equalTo("17.1"))
                .body("user_agent.device", equalTo("Apple iPhone"));
        Api.as(org).when().get("/v1/vault/records/not-a-record").then().statusCode(404);
    }

    @Test
    void erasureTakesTheRecordsAndLeavesAReceipt() {
        String org = Events.unique("org-vault");
        post(org, event(org, "gone", "2026-11-01T10:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"a\"}]"));
        post(org, event(org, "kept", "2026-11-01T10:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"a\"}]"));
        Api.as(org).when().delete("/v1/consents/users/gone").then().statusCode(200);
        Api.as(org).when().get("/v1/vault/records").then().statusCode(200).body("records.user_id", contains("kept"));
        Api.as(org).when().get("/v1/vault/erasures").then().statusCode(200).body("erasures", hasSize(1))
                .body("erasures[0].events_removed", equalTo(1)).body("erasures[0].erasure_id", notNullValue());
    }

    static ExtractableResponse<Response> search(String org, Map<String, Object> body) {
        return Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/vault/search").then()
                .extract();
    }

    @Test
    void theSearchFormSelectsCountsOrdersAndPagesWithACursor() {
        String org = Events.unique("org-vault");
        for (int i = 0; i < 5; i++) {
            post(org, event(org, "s" + i, "2026-10-0" + (i + 1) + "T10:00:00+02:00",
                    "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        }
        var counted = search(org, Map.of("query", "select count(*) from consent_records where created_at >= "
                + "'2026-10-02T08:00:00Z' AND created_at < '2026-10-04'"));
        assertEquals(200, counted.statusCode());
        assertEquals(List.of(Map.of("count", 2)), counted.path("results"));
        assertEquals(2, (int) counted.path("total_count"));

        var listed = search(org, Map.of("query", "SELECT user_id, created_at FROM consent_records WHERE"
                + " purpose = \"ads\" ORDER BY created_at ASC START 1 LIMIT 2"));
        assertEquals(200, listed.statusCode());
        assertEquals(List.of(Map.of("user_id", "s1", "created_at", "2026-10-02T08:00:00Z"),
                Map.of("user_id", "s2", "created_at", "2026-10-03T08:00:00Z")), listed.path("results"));
        assertEquals(2, (int) listed.path("objects_count"));
        assertEquals(5, (int) listed.path("total_count"));
        assertNull(listed.path("next_cursor_id"));

        var first = search(org, Map.of("query", "SELECT * FROM consent_records ORDER BY created_at DESC LIMIT 2",
                "open_cursor", true));
        assertEquals(List.of("s4", "s3"), first.path("results.user_id"));
        String cursor = first.path("next_cursor_id");
        var second = search(org, Map.of("cursor_id", cursor));
        assertEquals(List.of("s2", "s1"), second.path("results.user_id"));
        var third = search(org, Map.of("cursor_id", second.path("next_cursor_id")));
        assertEquals(List.of("s0"), third.path("results.user_id"));
        assertNull(third.path("next_cursor_id"));
        // a cursor is the organization's own, and cannot be altered
        assertEquals(400, search(Events.unique("org-vault"), Map.of("cursor_id", cursor)).statusCode());
        String altered = cursor.substring(0, 8) + (cursor.charAt(8) == 'A' ? 'B' : 'A') + cursor.substring(9);
        assertEquals(400, search(org, Map.of("cursor_id", altered)).statusCode());

        var bad = search(org, Map.of("query", "SELECT * FROM consent_records WHERE purpose = 'ads' LIMIT 0"));
        assertEquals(400, bad.statusCode());
        assertEquals("/query", bad.path("errors[0].pointer"));
        assertEquals(58, (int) bad.path("errors[0].position"));
        assertEquals(400, search(org, Map.of("query", "SELECT secret FROM consent_records")).statusCode());
        assertEquals(400, search(org, Map.of("query", "SELECT * FROM events")).statusCode());
    }

    @Inject
    Cursors cursors;

    /**
     * A replica is a service on the same database: a second {@link Cursors} over a pool of its own. A cursor one gives,
     * the other opens; a cursor that has passed its 5 minutes (its content as the service seals it, with an expiry in
     * the past: no waiting) is refused with the reason.
     */
    @Test
    void aSearchCursorWorksOnAnyReplicaUntilItExpires() throws Exception {
        String org = Events.unique("org-vault");
        for (int i = 0; i < 3; i++) {
            post(org, event(org, "r" + i, "2026-10-0" + (i + 1) + "T10:00:00Z",
                    "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        }
        String cursor = search(org, Map.of("query", "SELECT user_id FROM consent_records ORDER BY created_at LIMIT 1",
                "open_cursor", true)).path("next_cursor_id");
        Map<String, String> db = TestDatabase.quarkusConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(db.get("quarkus.datasource.reactive.url"))
                .setUser(db.get("quarkus.datasource.username")).setPassword(db.get("quarkus.datasource.password"));
        io.vertx.mutiny.sqlclient.Pool other = io.vertx.mutiny.sqlclient.Pool
                .newInstance(PgBuilder.pool().connectingTo(options).build());
        try {
            Cursors replica = new Cursors(other);
            String content = replica.open(cursor);
            assertNotNull(content, "another replica opens the cursor");
            assertEquals(cursors.open(cursor), content);
            String[] parts = content.split("\n", 4);
            String expired = replica.seal(parts[0] + "\n" + parts[1] + "\n"
                    + (System.currentTimeMillis() - 1) + "\n" + parts[3]);
            var refused = search(org, Map.of("cursor_id", expired));
            assertEquals(400, refused.statusCode());
            assertEquals("/cursor_id", refused.path("errors[0].pointer"));
            assertTrue(refused.path("errors[0].message").toString().contains("expired"), refused.asString());
            // the same content, still in its time, pages on
            var next = search(org, Map.of("cursor_id", replica.seal(content)));
            assertEquals(List.of("r1"), next.path("results.user_id"));
        } finally {
            other.closeAndAwait();
        }
    }
}
