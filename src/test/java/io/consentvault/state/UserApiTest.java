package io.consentvault.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.Metrics;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The latest-state routes over HTTP, fed by real events through the real ingest path. */
@QuarkusTest
class UserApiTest {

    static String event(String org, String user, String createdAt, String items) {
        return event(org, user, createdAt, items, null);
    }

    static String event(String org, String user, String createdAt, String items, String id) {
        return "{" + (id == null ? "" : "\"id\": \"" + id + "\", ") + "\"organization_id\": \"" + org
                + "\", \"user\": {\"id\": \"" + user + "\", \"country\": \"FR\"}, \"events\": " + items
                + (createdAt == null ? "" : ", \"created_at\": \"" + createdAt + "\"") + "}";
    }

    static String orgOf(String body) {
        int start = body.indexOf("\"organization_id\": \"") + "\"organization_id\": \"".length();
        return body.substring(start, body.indexOf('"', start));
    }

    static void post(String body) {
        Api.as(orgOf(body)).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").then()
                .statusCode(201);
    }

    @Test
    void theUserObjectOfTheBatchExportWithAnETag() {
        String org = Events.unique("org-state");
        post(event(org, "alice", "2026-11-01T10:00:00Z",
                "[{\"action\": \"consent.given\", \"purpose\": \"analytics\"},"
                        + " {\"action\": \"consent.given\", \"vendor\": \"755\"},"
                        + " {\"action\": \"consent.refused\", \"vendor\": \"12\", \"legal_basis\": \"legitimate_interest\"}]"));
        String etag = Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/alice")
                .then().statusCode(200)
                .header("ETag", notNullValue())
                .body("id", equalTo("alice"))
                .body("organization_id", equalTo(org))
                .body("organization_user_id", equalTo("alice"))
                .body("country", equalTo("FR"))
                .body("last_seen_country", nullValue())
                .body("created_at", equalTo("2026-11-01T10:00:00Z"))
                .body("updated_at", equalTo("2026-11-01T10:00:00Z"))
                .body("version", equalTo(1))
                .body("consents.purposes[0].id", equalTo("analytics"))
                .body("consents.purposes[0].enabled", equalTo(true))
                .body("consents.purposes[0].enabled_li", nullValue())
                .body("consents.vendors.enabled", contains("755"))
                .body("consents.vendors.disabled", empty())
                .body("consents.vendors.disabled_li", contains("12"))
                .body("consents.tcfcs", nullValue())
                .extract().header("ETag");

        Api.as(org).queryParam("organization_id", org).header("If-None-Match", etag)
                .when().get("/v1/consents/users/alice").then().statusCode(304).header("ETag", etag);

        post(event(org, "alice", "2026-11-02T10:00:00Z",
                "[{\"action\": \"consent.refused\", \"purpose\": \"analytics\"}]"));
        String changed = Api.as(org).queryParam("organization_id", org).header("If-None-Match", etag)
                .when().get("/v1/consents/users/alice").then().statusCode(200)
                .body("version", equalTo(2))
                .body("consents.purposes[0].enabled", equalTo(false))
                .extract().header("ETag");
        assertNotEquals(etag, changed);
    }

    @Test
    void anUnknownUserIs404() {
        Api.as("org-nobody").when().get("/v1/consents/users/nobody")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theOrganizationComesFromTheKeyAndAQueryMayOnlyRepeatIt() {
        String org = Events.unique("org-scope");
        post(event(org, "zoe", null, "[{\"action\": \"consent.given\", \"purpose\": \"p\"}]"));
        Api.as(org).when().get("/v1/consents/users/zoe").then().statusCode(200);
        Api.as(org).queryParam("organization_id", "someone-else").when().get("/v1/consents/users/zoe")
                .then().statusCode(403).body("errors[0].query", equalTo("organization_id"));
    }

    @Test
    void aPurposeDecisionIsTrueFalseOrNull() {
        String org = Events.unique("org-decision");
        post(event(org, "bob", "2026-11-01T10:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"ads\"},"
                + " {\"action\": \"consent.refused\", \"purpose\": \"perso\"}]"));
        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/bob/purposes/ads")
                .then().statusCode(200)
                .body("user_id", equalTo("bob"))
                .body("purpose", equalTo("ads"))
                .body("enabled", equalTo(true))
                .body("enabled_li", nullValue())
                .body("updated_at", equalTo("2026-11-01T10:00:00Z"));
        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/bob/purposes/perso")
                .then().statusCode(200).body("enabled", equalTo(false));
        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/bob/purposes/unknown")
                .then().statusCode(200).body("enabled", nullValue()).body("updated_at", nullValue());
        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/nobody/purposes/ads")
                .then().statusCode(200).body("enabled", nullValue());
    }

    @Test
    void theSingleUserReadsNegotiateAndAnswerProblemsLikeEveryRoute() {
        String org = Events.unique("org-edge");
        post(event(org, "dan", null, "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        for (String path : List.of("/v1/consents/users/dan", "/v1/consents/users/dan/purposes/ads")) {
            Api.as(org).accept("text/html").when().get(path).then().statusCode(406)
                    .contentType("application/problem+json").body("status", equalTo(406));
            Api.as(org).accept("application/json;q=0, text/html").when().get(path).then().statusCode(406);
            Api.as(org).accept("text/html, application/*;q=0.2").when().get(path).then().statusCode(200);
            Api.as(org).accept("*/*").when().get(path).then().statusCode(200);
            io.restassured.RestAssured.given().when().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer").contentType("application/problem+json");
            io.restassured.RestAssured.given().header("Authorization", "Bearer cv_live_0000000000000000_forged").when()
                    .get(path).then()
                    .statusCode(401);
        }
        String etag = Api.as(org).when().head("/v1/consents/users/dan").then().statusCode(200)
                .header("ETag", notNullValue()).extract().header("ETag");
        Api.as(org).when().get("/v1/consents/users/dan").then().statusCode(200).header("ETag", etag);
        Api.as(org).contentType(ContentType.JSON).body("{}").when().post("/v1/consents/users/dan/purposes/ads")
                .then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS")
                .contentType("application/problem+json");
        Api.as(org).when().put("/v1/consents/users/dan").then().statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void aUserIdWithReservedCharactersIsReadBackWhole() {
        String org = Events.unique("org-odd-id");
        String id = "a/b c?d&e#f%g+h\u00e9";
        post(event(org, id, null, "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        String encoded = java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        Api.as(org).urlEncodingEnabled(false).when().get("/v1/consents/users/" + encoded).then().statusCode(200)
                .body("id", equalTo(id));
        Api.as(org).urlEncodingEnabled(false).when().get("/v1/consents/users/" + encoded + "/purposes/ads").then()
                .statusCode(200).body("user_id", equalTo(id)).body("enabled", equalTo(true));
        // the metrics name the route, never the user
        String metrics = io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .extract().asString();
        assertFalse(metrics.contains(encoded) || metrics.contains("a/b c"),
                "a user id in the metrics");
        assertTrue(
                metrics.contains("uri=\"/v1/consents/users/{user_id}/purposes/{purpose_id}\""));
    }

    @Test
    void aBulkLookupAnswersNullForUnknownUsers() {
        String org = Events.unique("org-bulk");
        post(event(org, "u1", null, "[{\"action\": \"consent.given\", \"purpose\": \"p\"}]"));
        post(event(org, "u2", null, "[{\"action\": \"consent.refused\", \"purpose\": \"p\"}]"));
        Api.as(org).contentType(ContentType.JSON).queryParam("organization_id", org)
                .body("{\"user_ids\": [\"u1\", \"ghost\", \"u2\"]}")
                .when().post("/v1/consents/users/lookup")
                .then().statusCode(200)
                .body("users.u1.consents.purposes[0].enabled", equalTo(true))
                .body("users.u2.consents.purposes[0].enabled", equalTo(false))
                .body("users.containsKey('ghost')", equalTo(true))
                .body("users.ghost", nullValue());
        List<String> tooMany = Collections.nCopies(1001, "x");
        Api.as(org).contentType(ContentType.JSON).queryParam("organization_id", org)
                .body(java.util.Map.of("user_ids", tooMany))
                .when().post("/v1/consents/users/lookup")
                .then().statusCode(400).body("errors[0].pointer", equalTo("/user_ids"));
    }

    @Test
    void theStateAtAnInstantCountsEventsUpToThatInstantIncluded() {
        String org = Events.unique("org-at");
        post(event(org, "carol", "2026-10-01T10:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"p\"}]"));
        post(event(org, "carol", "2026-10-02T10:00:00Z", "[{\"action\": \"consent.refused\", \"purpose\": \"p\"}]"));
        Api.as(org).queryParam("organization_id", org).queryParam("at", "2026-10-01T09:59:59.999999Z")
                .when().get("/v1/consents/users/carol").then().statusCode(404);
        Api.as(org).queryParam("organization_id", org).queryParam("at", "2026-10-01T10:00:00Z")
                .when().get("/v1/consents/users/carol").then().statusCode(200)
                .body("consents.purposes[0].enabled", equalTo(true)).body("version", equalTo(1));
        Api.as(org).queryParam("organization_id", org).queryParam("at", "2026-10-02T09:59:59.999999Z")
                .when().get("/v1/consents/users/carol").then().statusCode(200)
                .body("consents.purposes[0].enabled", equalTo(true));
        Api.as(org).queryParam("organization_id", org).queryParam("at", "2026-10-02T12:00:00+02:00")
                .when().get("/v1/consents/users/carol").then().statusCode(200)
                .body("consents.purposes[0].enabled", equalTo(false)).body("version", equalTo(2));
        Api.as(org).queryParam("organization_id", org).queryParam("at", "yesterday")
                .when().get("/v1/consents/users/carol").then().statusCode(400)
                .body("errors[0].query", equalTo("at"));
    }

    @Test
    void historyPagesNewestFirstAcrossPages() {
        String org = Events.unique("org-history");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = "h" + i;
            ids.add(id);
            post(event(org, "dave", null, "[{\"action\": \"consent.given\", \"purpose\": \"p" + i + "\"}]", id));
        }
        Collections.reverse(ids);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = Api.as(org).queryParam("organization_id", org).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when().get("/v1/consents/users/dave/events").then().statusCode(200).extract();
            seen.addAll(page.path("events.id"));
            cursor = page.path("next_cursor");
            pages++;
        } while (cursor != null);
        assertEquals(ids, seen);
        assertEquals(3, pages);
        Api.as(org).queryParam("organization_id", org).queryParam("cursor", "not-a-cursor")
                .when().get("/v1/consents/users/dave/events").then().statusCode(400);
        Api.as(org).queryParam("organization_id", org).queryParam("limit", 0)
                .when().get("/v1/consents/users/dave/events").then().statusCode(400);
    }

    @Test
    void outOfOrderAndDuplicatedDeliveryConvergesInTheDatabase() {
        String org = Events.unique("org-converge");
        Random random = new Random(7);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String action = random.nextBoolean() ? "consent.given" : "consent.refused";
            events.add(event(org, "erin", String.format("2026-10-01T10:00:%02dZ", i),
                    "[{\"action\": \"" + action + "\", \"purpose\": \"p" + (i % 3) + "\"},"
                            + " {\"action\": \"" + action + "\", \"vendor\": \"v" + (i % 2) + "\"}]",
                    "conv-" + i));
        }
        // the expected state: every event once, in time order, for a second user
        for (String e : events) {
            post(e.replace("\"erin\"", "\"frank\"").replace("conv-", "frank-"));
        }
        List<String> delivery = new ArrayList<>(events);
        delivery.addAll(events.subList(0, 5));
        Collections.shuffle(delivery, random);
        Set<String> sent = new HashSet<>();
        for (String e : delivery) {
            Api.as(org).contentType(ContentType.JSON).body(e).when().post("/v1/consents/events").then()
                    .statusCode(sent.add(e) ? 201 : 200);
        }
        var expected = Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/frank")
                .then().statusCode(200).extract().jsonPath();
        var actual = Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/erin")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(expected.getList("consents.purposes"), actual.getList("consents.purposes"));
        assertEquals(expected.getMap("consents.vendors"), actual.getMap("consents.vendors"));
        assertEquals(expected.getString("updated_at"), actual.getString("updated_at"));
        assertNull(actual.get("consents.tcfcs"));
        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/erin/events")
                .then().body("events", hasSize(12));
    }

    /**
     * Another replica (here: a write behind this replica's back) changed a user this replica holds in its cache. The
     * next event must merge onto the stored state, not the cached one: the guarded write notices and the batch is
     * written again under row locks.
     */
    @Test
    void anEventMergesOntoTheStoredStateWhenTheCachedOneIsStale() {
        String org = Events.unique("org-stale");
        post(event(org, "gus", "2026-11-01T10:00:00Z",
                "[{\"action\": \"consent.given\", \"purpose\": \"analytics\"}]"));
        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/gus").then()
                .body("version", equalTo(1));
        // as if five changes had been committed elsewhere (each bumping the revision), not announced here yet
        TestDatabase.execute("UPDATE consent_state SET version = 6, revision = revision + 5,"
                + " decisions = jsonb_set(decisions, '{p,ads}',"
                + " '[false, 0, null, -1]') WHERE organization_id = '" + org + "' AND user_key = 'gus'");
        double staleBefore = Metrics.value("consent_state_stale_merges_total");

        post(event(org, "gus", "2026-11-01T11:00:00Z", "[{\"action\": \"consent.given\", \"vendor\": \"755\"}]"));

        assertEquals(staleBefore + 1, Metrics.value("consent_state_stale_merges_total"));
        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/gus").then()
                .body("version", equalTo(7))
                .body("consents.purposes.id", contains("ads", "analytics"))
                .body("consents.vendors.enabled", contains("755"));
        assertEquals(7, TestDatabase.count("SELECT version FROM consent_state WHERE organization_id = ? AND"
                + " user_key = 'gus'", org));
    }

    /** The row vanished under a cached state (erased elsewhere): the old decisions must not come back. */
    @Test
    void anEventAfterARowVanishedDoesNotBringBackTheCachedDecisions() {
        String org = Events.unique("org-vanished");
        post(event(org, "hal", "2026-11-01T10:00:00Z",
                "[{\"action\": \"consent.given\", \"purpose\": \"analytics\"}]"));
        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/hal").then()
                .body("version", equalTo(1));
        TestDatabase.execute("DELETE FROM consent_state WHERE organization_id = '" + org + "' AND user_key = 'hal'");

        post(event(org, "hal", "2026-11-01T11:00:00Z", "[{\"action\": \"consent.refused\", \"purpose\": \"ads\"}]"));

        Api.as(org).queryParam("organization_id", org).when().get("/v1/consents/users/hal").then()
                .body("version", equalTo(1))
                .body("consents.purposes.id", contains("ads"));
    }
}
