package io.consentvault.ingest;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bodies meant to break things get a 4xx, and the service stays healthy. */
@QuarkusTest
class HostileInputTest {

    static Stream<byte[]> hostileBodies() {
        return Stream.of(
                bytes("{\"organization_id\": \"o\", \"user\": {\"id\": \"\u0000"), // truncated
                new byte[]{'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}, // malformed UTF-8
                new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'}, // cut multi-byte sequence
                bytes("[".repeat(100_000)), // deep nesting
                bytes("{\"a\":".repeat(5000) + "1" + "}".repeat(5000)),
                bytes("{\"organization_id\": \"o\", \"user\": {}, \"events\": [], \"x\": " + "9".repeat(5000) + "}"),
                bytes("\"" + "x".repeat(900_000) + "\""),
                bytes("{\"organization_id\": \"o\"} trailing"),
                bytes("{'single': 'quotes'}"),
                bytes("{\"organization_id\": \"o\", \"user\": {}, \"events\": [],}"),
                bytes("NaN"),
                new byte[]{(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'});
    }

    @ParameterizedTest
    @MethodSource("hostileBodies")
    void isRefusedWithAProblemNeverA5xx(byte[] body) {
        Api.as("org-hostile").contentType(ContentType.JSON).body(body)
                .when().post("/v1/consents/events")
                .then().statusCode(lessThan(500))
                .statusCode(equalTo(400))
                .contentType("application/problem+json");
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void awkwardButValidValuesAreStoredIntact() {
        String org = Events.unique("org-awkward");
        String longId = "u".repeat(50_000);
        String body = """
                {"organization_id": "%s", "user": {"id": "%s"},
                 "notice_id": "nul\\u0000inside", "consent_string": "lone \\ud800 surrogate",
                 "events": [{"action": "consent.given", "purpose": "p\\u0000q"}],
                 "source": {"type": "web", "sdk_version": "'); DROP TABLE events; --"}}
                """.formatted(org, longId);
        String id = Api.as(org).contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/consents/events")
                .then().statusCode(201).extract().path("id");
        assertEquals(longId, TestDatabase.text("SELECT user_id FROM events WHERE organization_id = ?", org));
        Api.as(org).when().get("/v1/consents/events/" + id)
                .then().statusCode(200)
                .body("user.id", equalTo(longId))
                .body("source.sdk_version", equalTo("'); DROP TABLE events; --"))
                .body("payload.notice_id", equalTo("nul\u0000inside"));
    }

    @Test
    void anOrganizationIdLongerThanAnyWeIssueIsRefused() {
        Api.as("org-hostile").contentType(ContentType.JSON).body(Events.event("o".repeat(300), "u"))
                .when().post("/v1/consents/events")
                .then().statusCode(400)
                .body("errors[0].pointer", equalTo("/organization_id"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
