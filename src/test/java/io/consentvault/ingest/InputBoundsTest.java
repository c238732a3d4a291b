package io.consentvault.ingest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.StringJoiner;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input that is valid, or nearly, but reaches a limit of the storage or of an answer: every such request is stored or
 * refused with a 4xx naming the field, never a 5xx, and what is stored reads back as valid JSON.
 */
@QuarkusTest
class InputBoundsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNulInAnIdOfAPathOrACursorIsAnswerNotAFailure() {
        String org = Events.unique("org-nul");
        String user = "a\u0000b";
        String body = Events.event(org, "a\\u0000b").replaceFirst("\\{", "{\"id\": \"x\\\\u0000y\", ");
        Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").then()
                .statusCode(201);
        // what was stored under ids holding U+0000 is found by those same ids
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + Api.key(org))
                .when().get("/v1/consents/events/x%00y").then().statusCode(200).body("user.id", equalTo("a\uFFFDb"));
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + Api.key(org))
                .when().get("/v1/consents/events/nothing%00here").then().statusCode(404);
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + Api.key(org))
                .when().get("/v1/consents/users/a%00b").then().statusCode(200).body("id", equalTo("a\uFFFDb"));
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + Api.key(org))
                .when().get("/v1/consents/users/a%00b/events").then().statusCode(200).body("events", hasSize(1));
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + Api.key(org))
                .when().get("/v1/consents/users/a%00b/purposes/analytics").then().statusCode(200)
                .body("enabled", equalTo(true));
        String cursor = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("2026-11-01T10:00:00Z|k\u0000".getBytes(StandardCharsets.UTF_8));
        Api.as(org).queryParam("cursor", cursor).when().get("/v1/consents/users/" + user + "/events").then()
                .statusCode(400).body("errors[0].query", equalTo("cursor"));
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + Api.key(org))
                .when().delete("/v1/consents/users/a%00b").then().statusCode(200).body("events_removed", equalTo(1));
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + Api.key(org))
                .when().delete("/v1/admin/keys/x%00y").then().statusCode(401);
        Api.admin().urlEncodingEnabled(false).when().delete("/v1/admin/keys/x%00y").then()
                .statusCode(oneOf(400, 404)).contentType("application/problem+json");
        Api.admin().urlEncodingEnabled(false).when().get("/v1/admin/organizations/x%00y/keys").then()
                .statusCode(oneOf(400, 404)).contentType("application/problem+json");
    }

    @Test
    void aProblemListsAtMostAHundredErrorsAndCountsTheRest() {
        StringJoiner numbers = new StringJoiner(",");
        for (int i = 0; i < 200_000; i++) {
            numbers.add("1");
        }
        String org = Events.unique("org-errors");
        Response answer = Api.as(org).contentType(ContentType.JSON)
                .body("{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"u\"}, \"events\": [" + numbers
                        + "]}")
                .when().post("/v1/consents/events").andReturn();
        assertEquals(400, answer.statusCode());
        assertTrue(answer.asByteArray().length < 20_000, "problem of " + answer.asByteArray().length + " bytes");
        answer.then().contentType("application/problem+json").body("errors", hasSize(100))
                .body("errors[0].pointer", equalTo("/events/0")).body("omitted_errors", equalTo(199_900));
    }

    @Test
    void aBodyThatStartsWithAByteOrderMarkIsStoredWithoutItAndReadsBackAsJson() throws Exception {
        String org = Events.unique("org-bom");
        // one line, for the NDJSON batch below
        byte[] event = JSON.readTree(Events.event(org, "u-bom")).toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[event.length + 3];
        body[0] = (byte) 0xef;
        body[1] = (byte) 0xbb;
        body[2] = (byte) 0xbf;
        System.arraycopy(event, 0, body, 3, event.length);
        String id = Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").then()
                .statusCode(201).extract().path("id");
        String view = Api.as(org).when().get("/v1/consents/events/" + id).then().statusCode(200).extract().asString();
        assertEquals(org, JSON.readTree(view).path("payload").path("organization_id").asText());
        byte[] lines = new byte[body.length + 1 + event.length];
        System.arraycopy(body, 0, lines, 0, body.length);
        lines[body.length] = '\n';
        System.arraycopy(event, 0, lines, body.length + 1, event.length);
        String batch = Api.as(org).contentType("application/x-ndjson").body(lines)
                .when().post("/v1/consents/events/batch").then().statusCode(200).body("accepted", equalTo(2))
                .extract().path("results[0].id");
        String batchView = Api.as(org).when().get("/v1/consents/events/" + batch).then().statusCode(200).extract()
                .asString();
        assertEquals(org, JSON.readTree(batchView).path("payload").path("organization_id").asText());
        assertEquals(0, TestDatabase.count(
                "SELECT count(*) FROM events WHERE organization_id = ? AND left(payload, 1) = chr(65279)", org));
    }

    @Test
    void aLongClientIdIsStoredAndReplayedNeverA503() {
        String org = Events.unique("org-long-id");
        StringBuilder id = new StringBuilder();
        SecureRandom random = new SecureRandom();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!*'()";
        for (int i = 0; i < 3000; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String clientId = id.toString();
        String body = Events.eventWithId(org, "u", clientId);
        Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").then()
                .statusCode(201).body("id", equalTo(clientId));
        Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").then()
                .statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(clientId));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void aSingleEventsIdempotencyKeyNeverCollidesWithABatchKeyAndIndex() {
        String org = Events.unique("org-keys");
        String single = Api.as(org).contentType(ContentType.JSON).header("Idempotency-Key", "k#0")
                .body(Events.event(org, "u1")).when().post("/v1/consents/events").then().statusCode(201).extract()
                .path("id");
        String batched = Api.as(org).contentType(ContentType.JSON).header("Idempotency-Key", "k")
                .body("[" + Events.event(org, "u2") + "]").when().post("/v1/consents/events/batch").then()
                .statusCode(200).body("accepted", equalTo(1)).extract().path("results[0].id");
        assertNotEquals(single, batched);
        assertEquals(2, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }
}
