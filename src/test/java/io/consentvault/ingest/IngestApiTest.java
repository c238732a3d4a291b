package io.consentvault.ingest;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.PostgresResource;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The single-event route and the stored-event route, over real HTTP against a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class IngestApiTest {

    @Test
    void storesAnEventAndAnswersCreatedOnceCommitted() {
        String org = Events.unique("org");
        String id = Api.as(org).contentType(ContentType.JSON).body(Events.event(org, "u-1"))
                .header("User-Agent", "ConsentSDK/2.1 (iPhone)")
                .when().post("/v1/consents/events")
                .then().statusCode(201)
                .header("Location", startsWith("/v1/consents/events/"))
                .body("id", notNullValue())
                .body("received_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"))
                .extract().path("id");
        // the acknowledgement means committed: the row is there as soon as the answer is
        assertEquals(1,
                TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ? AND id = ?", org, id));

        Api.as(org).when().get("/v1/consents/events/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("organization_id", equalTo(org))
                .body("user.id", equalTo("u-1"))
                .body("user.organization_user_id", equalTo("u-1"))
                .body("country", equalTo("FR"))
                .body("created_at", equalTo("2026-11-01T10:00:00Z"))
                .body("received_at", notNullValue())
                .body("ip", equalTo("127.0.0.1"))
                .body("user_agent", equalTo("ConsentSDK/2.1 (iPhone)"))
                .body("source.type", equalTo("web"))
                .body("source.sdk_version", equalTo("2.1.0"))
                .body("source.url", equalTo("https://shop.example/checkout"))
                .body("consents.purposes[0].id", equalTo("analytics"))
                .body("consents.purposes[0].enabled", equalTo(true))
                .body("consents.vendors.disabled_li", hasItem("755"))
                .body("payload.user.id", equalTo("u-1"));
    }

    @Test
    void anUntrustedPeerCannotChooseItsIpWithXForwardedFor() {
        String org = "org-xff";
        String id = Api.as(org).contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.7")
                .body(Events.event(org, "u")).when().post("/v1/consents/events")
                .then().statusCode(201).extract().path("id");
        Api.as(org).when().get("/v1/consents/events/" + id).then().statusCode(200).body("ip", equalTo("127.0.0.1"));
    }

    @Test
    void unknownEventIs404Problem() {
        Api.as("org-misc").when().get("/v1/consents/events/does-not-exist")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", notNullValue());
    }

    @Test
    void otherContentTypesAre415Problem() {
        Api.as("org-misc").contentType(ContentType.TEXT).body(Events.event("org-misc", "u"))
                .when().post("/v1/consents/events")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
    }

    @Test
    void theEventRouteNegotiatesLikeEveryRoute() {
        String org = Events.unique("org-negotiate");
        Api.as(org).contentType("application/json; charset=UTF-8").body(Events.event(org, "u"))
                .when().post("/v1/consents/events").then().statusCode(201);
        Api.as(org).contentType(ContentType.JSON).accept("text/html").body(Events.event(org, "u"))
                .when().post("/v1/consents/events").then().statusCode(406).contentType("application/problem+json");
        Api.as(org).noContentType().body(Events.event(org, "u").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/v1/consents/events").then().statusCode(415);
        io.restassured.RestAssured.given().contentType(ContentType.JSON).body(Events.event(org, "u"))
                .when().post("/v1/consents/events").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        Api.as(org).when().get("/v1/consents/events").then().statusCode(405).header("Allow", "POST, OPTIONS")
                .contentType("application/problem+json");
        Api.as(org).contentType(ContentType.JSON).header("Idempotency-Key", "").body(Events.event(org, "u"))
                .when().post("/v1/consents/events").then().statusCode(400)
                .body("errors[0].header", equalTo("Idempotency-Key"));
        // only the valid posts were stored
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void aClientIdIsAnsweredEscapedAndLocatedEncoded() {
        String org = Events.unique("org-client-id");
        String id = "a\\\"b/c d\u00e9"; // a, backslash, quote, b, slash, space, an accent
        String json = Events.event(org, "u").replaceFirst("\\{",
                java.util.regex.Matcher.quoteReplacement("{\"id\": \"a\\\\\\\"b/c d\u00e9\", "));
        Api.as(org).contentType(ContentType.JSON).body(json).when().post("/v1/consents/events").then()
                .statusCode(201).body("id", equalTo(id))
                .header("Location", equalTo("/v1/consents/events/a%5C%22b%2Fc%20d%C3%A9"));
        Api.as(org).contentType(ContentType.JSON).body(json).when().post("/v1/consents/events").then()
                .statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(id));
    }

    @Test
    void aChunkedBodyPastTheLimitIsRefusedAndNotStored() {
        String org = Events.unique("org-chunked");
        String big = "{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"u\"}, \"events\": [],"
                + " \"notice_id\": \"" + "x".repeat(1024 * 1024) + "\"}";
        java.io.InputStream chunked = new java.io.ByteArrayInputStream(
                big.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Api.as(org).contentType(ContentType.JSON).body(chunked).when().post("/v1/consents/events").then()
                .statusCode(413);
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void bodiesOverOneMebibyteAre413() {
        String big = "{\"organization_id\": \"o\", \"user\": {}, \"events\": [], \"notice_id\": \""
                + "x".repeat(1024 * 1024) + "\"}";
        Api.as("org-misc").contentType(ContentType.JSON).body(big)
                .when().post("/v1/consents/events")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
    }

    @Test
    void malformedJsonIs400NamingTheBody() {
        Api.as("org-misc").contentType(ContentType.JSON).body("{\"organization_id\": \"o\", ")
                .when().post("/v1/consents/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].pointer", equalTo(""))
                .body("errors[0].message", containsString("not valid JSON"));
    }
}
