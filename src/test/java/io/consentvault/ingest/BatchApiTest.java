package io.consentvault.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The batch route: JSON arrays and NDJSON, valid events stored and invalid ones reported by index. */
@QuarkusTest
class BatchApiTest {

    @Test
    void aJsonArrayStoresTheValidEventsAndReportsTheInvalidOnes() {
        String org = Events.unique("org-batch");
        String body = "[" + Events.event(org, "u1") + ", {\"organization_id\": \"" + org + "\"}, "
                + Events.event(org, "u2") + ", 42]";
        Api.as(org).contentType(ContentType.JSON).body(body)
                .when().post("/v1/consents/events/batch")
                .then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(2))
                .body("results[0].index", equalTo(0))
                .body("results[0].id", notNullValue())
                .body("results[1].index", equalTo(1))
                .body("results[1].status", equalTo(400))
                .body("results[1].id", nullValue())
                .body("results[1].errors.pointer", hasItem("/1/user"))
                .body("results[1].errors.pointer", hasItem("/1/events"))
                .body("results[2].id", notNullValue())
                .body("results[3].status", equalTo(400))
                .body("results[3].errors[0].pointer", equalTo("/3"));
        assertEquals(2, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    /** Proof keeps what was sent: each element's bytes, spacing and all, with nothing around it. */
    @Test
    void eachEventOfAnArrayIsStoredAsItsOwnBytesAsSent() {
        String org = Events.unique("org-bytes");
        String first = Events.event(org, "u1").strip().replace("{", "{  ");
        String second = "{\"organization_id\":\"" + org + "\",\"user\":{\"id\":\"u2\"},\"events\":"
                + "[{\"action\":\"consent.given\",\"purpose\":\"caf\u00e9\",\"value\":true}]}";
        String body = "[\n  " + first + " ,\n\t" + second + "\n]  ";
        Api.as(org).contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/consents/events/batch")
                .then().statusCode(200)
                .body("accepted", equalTo(2));
        assertEquals(first, TestDatabase.text("SELECT payload FROM events WHERE organization_id = ? AND user_id = 'u1'",
                org));
        assertEquals(second, TestDatabase.text(
                "SELECT payload FROM events WHERE organization_id = ? AND user_id = 'u2'", org));
    }

    @Test
    void anArrayFollowedByMoreIsRefused() {
        String org = Events.unique("org-trailing");
        Api.as(org).contentType(ContentType.JSON).body("[" + Events.event(org, "u1") + "] []")
                .when().post("/v1/consents/events/batch")
                .then().statusCode(400);
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void ndjsonIsOneEventALine() {
        String org = Events.unique("org-ndjson");
        String body = Events.event(org, "u1").replace("\n", " ") + "\n\n"
                + "{not json}\n"
                + Events.event(org, "u2").replace("\n", " ") + "\r\n";
        Api.as(org).contentType("application/x-ndjson").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/v1/consents/events/batch")
                .then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(1))
                .body("results[1].status", equalTo(400))
                .body("results[1].errors[0].pointer", equalTo("/1"));
        assertEquals(2, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void aThousandEventsFitAndOneMoreDoesNot() {
        String org = Events.unique("org-1000");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(Events.event(org, "u" + i));
        }
        Api.as(org).contentType(ContentType.JSON).body("[" + String.join(",", events) + "]")
                .when().post("/v1/consents/events/batch")
                .then().statusCode(200)
                .body("accepted", equalTo(1000));
        assertEquals(1000, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));

        events.add(Events.event(org, "one-too-many"));
        Api.as(org).contentType(ContentType.JSON).body("[" + String.join(",", events) + "]")
                .when().post("/v1/consents/events/batch")
                .then().statusCode(413)
                .contentType("application/problem+json");
        assertEquals(1000, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void anNdjsonBatchOfMoreThanAThousandLinesIsRefusedWhole() {
        String org = Events.unique("org-1000-ndjson");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            // blank lines and CRLF endings hold no event, so they do not count
            lines.append(Events.event(org, "u" + i).replace("\n", " ")).append(i % 100 == 0 ? "\r\n\n \n" : "\n");
        }
        Api.as(org).contentType("application/x-ndjson").body(lines.toString().getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/consents/events/batch")
                .then().statusCode(200)
                .body("accepted", equalTo(1000));
        assertEquals(1000, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));

        // one more valid event, on line 1,001: the whole batch is refused, none of it stored
        String oneMore = lines + Events.event(org, "one-too-many").replace("\n", " ") + "\n";
        Api.as(org).contentType("application/x-ndjson").body(oneMore.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/consents/events/batch")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("title", equalTo("Too many events"))
                .body("detail", equalTo("a batch holds at most 1000 events; this one has 1001"));
        // lines that are not even JSON count as lines
        Api.as(org).contentType("application/x-ndjson")
                .body((lines + "{not json\n[\n").getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/consents/events/batch")
                .then().statusCode(413)
                .body("detail", equalTo("a batch holds at most 1000 events; this one has 1002"));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ? AND user_id = ?",
                org, "one-too-many"));
        assertEquals(1000, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void aRetriedBatchStoresNothingNew() {
        String org = Events.unique("org-batch-retry");
        String id = Events.unique("ev");
        String body = "[" + Events.eventWithId(org, "u1", id) + "," + Events.event(org, "u2") + "]";
        String key = Events.unique("batch-key");
        String first = Api.as(org).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/v1/consents/events/batch")
                .then().statusCode(200).body("accepted", equalTo(2)).extract().path("results[1].id");
        Api.as(org).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/v1/consents/events/batch")
                .then().statusCode(200)
                .body("results[0].id", equalTo(id))
                .body("results[0].replayed", equalTo(true))
                .body("results[1].id", equalTo(first))
                .body("results[1].replayed", equalTo(true));
        assertEquals(2, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }

    @Test
    void anEmptyArrayIsAcceptedAndAnObjectIsNot() {
        Api.as("org-batch-misc").contentType(ContentType.JSON).body("[]")
                .when().post("/v1/consents/events/batch")
                .then().statusCode(200).body("accepted", equalTo(0)).body("rejected", equalTo(0));
        Api.as("org-batch-misc").contentType(ContentType.JSON).body("{}")
                .when().post("/v1/consents/events/batch")
                .then().statusCode(400).contentType("application/problem+json");
        Api.as("org-batch-misc").contentType(ContentType.XML).body("<events/>")
                .when().post("/v1/consents/events/batch")
                .then().statusCode(415).contentType("application/problem+json");
    }
}
