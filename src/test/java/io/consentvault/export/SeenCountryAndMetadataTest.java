package io.consentvault.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.consentvault.support.Api;
import io.consentvault.support.CountryDatabase;
import io.consentvault.support.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The seed fields filled from what a request and its payload tell, through the API and the export: the connection's
 * country ({@code last_seen_country}) from a trusted proxy's header or the client IP's entry in a country database,
 * and the payload's {@code metadata} and {@code user.metadata} objects. Requests come from 127.0.0.1, a trusted proxy
 * here.
 */
@QuarkusTest
@TestProfile(SeenCountryAndMetadataTest.BehindAnEdgeProxy.class)
class SeenCountryAndMetadataTest {

    static final Path ROOT = Path.of("target", "export-country-test").toAbsolutePath();
    static final Path DATABASE = ROOT.resolve("countries.mmdb");

    public static class BehindAnEdgeProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(ROOT);
                new CountryDatabase().network("198.51.100.0/24", "FR").network("203.0.113.0/24", "JP")
                        .write(DATABASE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("consent.ingest.trusted-proxies", "127.0.0.1/32", "consent.ingest.country-header",
                    "CF-IPCountry", "consent.ingest.country-database", DATABASE.toString(),
                    "consent.export.destination", ROOT.toUri().toString(), "consent.export.poll", "1s",
                    "consent.export.schedule", "off");
        }
    }

    static String post(String org, String body, String... headers) {
        var request = Api.as(org).contentType(ContentType.JSON).body(body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.when().post("/v1/consents/events").then().statusCode(201).extract().path("id");
    }

    static String payload(String org, String user, String createdAt, String extra) {
        return "{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"" + user + "\"" + extra
                + "}, \"regulation\": \"gdpr\", \"created_at\": \"" + createdAt + "\","
                + " \"events\": [{\"action\": \"consent.given\", \"purpose\": \"analytics\"}]";
    }

    @Test
    void theProxysCountryThenTheDatabasesAreKeptWithTheEventAndTheLatestWithTheUser() throws Exception {
        String org = Events.unique("org-seen");
        String first = post(org, payload(org, "ann", "2026-11-01T10:00:00Z", "") + "}", "CF-IPCountry", "be",
                "X-Forwarded-For", "198.51.100.7");
        Api.as(org).when().get("/v1/consents/users/ann").then().statusCode(200)
                .body("last_seen_country", equalTo("BE"));
        // no header (or the proxy's "unknown"): the forwarded client IP's country in the database
        String second = post(org, payload(org, "ann", "2026-11-01T11:00:00Z", "") + "}", "CF-IPCountry", "XX",
                "X-Forwarded-For", "203.0.113.9");
        // an older event received later does not change where the user was last seen
        post(org, payload(org, "ann", "2026-11-01T09:00:00Z", "") + "}", "X-Forwarded-For", "198.51.100.7");
        String unknown = post(org, payload(org, "bob", "2026-11-01T10:00:00Z", "") + "}", "X-Forwarded-For",
                "192.0.2.1");

        Api.as(org).when().get("/v1/consents/events/" + first).then().statusCode(200)
                .body("last_seen_country", equalTo("BE"));
        Api.as(org).when().get("/v1/consents/events/" + second).then().statusCode(200)
                .body("last_seen_country", equalTo("JP"));
        Api.as(org).when().get("/v1/consents/events/" + unknown).then().statusCode(200)
                .body("last_seen_country", equalTo(null));
        Api.as(org).when().get("/v1/consents/users/ann").then().statusCode(200)
                .body("last_seen_country", equalTo("JP"))
                .body("version", equalTo(1));
        Api.as(org).when().get("/v1/consents/users/bob").then().statusCode(200)
                .body("last_seen_country", equalTo(null));

        List<JsonNode>[] lines = export(org);
        JsonNode ann = only(lines[0], "ann");
        assertEquals("JP", ann.path("last_seen_country").asText());
        assertEquals("JP", byId(lines[1], second).path("last_seen_country").asText());
        assertEquals("BE", byId(lines[1], first).path("last_seen_country").asText());
    }

    @Test
    void thePayloadsMetadataObjectsAreTheEventsAndTheLatestUserMetadataIsTheUsers() throws Exception {
        String org = Events.unique("org-meta");
        String tagged = post(org, payload(org, "cy", "2026-11-01T10:00:00Z",
                ", \"metadata\": {\"tier\": \"gold\", \"since\": 2019}")
                + ", \"metadata\": {\"campaign\": \"spring\", \"ab\": [1, 2]}}");
        String later = post(org, payload(org, "cy", "2026-11-01T12:00:00Z", ", \"metadata\": {\"tier\": \"silver\"}")
                + ", \"metadata\": \"not an object: left out\"}");
        String plain = post(org, payload(org, "cy", "2026-11-01T13:00:00Z", "") + "}");

        Api.as(org).when().get("/v1/consents/events/" + tagged).then().statusCode(200)
                .body("metadata.campaign", equalTo("spring"))
                .body("metadata.ab", equalTo(List.of(1, 2)))
                .body("user.metadata.tier", equalTo("gold"))
                .body("user.metadata.since", equalTo(2019));
        Api.as(org).when().get("/v1/consents/events/" + later).then().statusCode(200)
                .body("metadata", equalTo(Map.of()))
                .body("user.metadata.tier", equalTo("silver"));
        Api.as(org).when().get("/v1/consents/events/" + plain).then().statusCode(200)
                .body("metadata", equalTo(Map.of()))
                .body("user.metadata", equalTo(Map.of()));
        // the latest given user.metadata; an event without one keeps it
        Api.as(org).when().get("/v1/consents/users/cy").then().statusCode(200)
                .body("metadata", equalTo(Map.of("tier", "silver")));

        // an unpaired surrogate escape cannot be written as UTF-8: it is replaced, and the user is still answered
        post(org, payload(org, "dee", "2026-11-01T10:00:00Z", ", \"metadata\": {\"tier\": \"\\ud800x\"}") + "}");
        Api.as(org).when().get("/v1/consents/users/dee").then().statusCode(200)
                .body("metadata.tier", equalTo("\ufffdx"));

        List<JsonNode>[] lines = export(org);
        assertEquals("silver", only(lines[0], "cy").path("metadata").path("tier").asText());
        assertEquals("\ufffdx", only(lines[0], "dee").path("metadata").path("tier").asText());
        JsonNode event = byId(lines[1], tagged);
        assertEquals("spring", event.path("metadata").path("campaign").asText());
        assertEquals("gold", event.path("user").path("metadata").path("tier").asText());
    }

    /** Today's export of the organization: its users' lines and its events' lines. */
    @SuppressWarnings("unchecked")
    static List<JsonNode>[] export(String org) throws Exception {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        ExportApiTest.run(org, today);
        Path dir = ROOT.resolve("export-id=" + org).resolve("date=" + today);
        JsonNode manifest = ExportApiTest.read(Files.readString(dir.resolve("manifest.json")));
        return new List[]{ExportApiTest.lines(manifest, dir, "users"), ExportApiTest.lines(manifest, dir, "events")};
    }

    static JsonNode only(List<JsonNode> users, String id) {
        List<JsonNode> found = users.stream().filter(u -> u.path("id").asText().equals(id)).toList();
        assertEquals(1, found.size(), users.toString());
        return found.get(0);
    }

    static JsonNode byId(List<JsonNode> events, String id) {
        return events.stream().filter(e -> e.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no event " + id + " in " + events));
    }
}
