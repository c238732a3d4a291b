package io.consentvault.state;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every user id the schema allows can be read, listed and erased through the routes that take it in their path,
 * percent-encoded as a path segment (RFC 3986: every byte but A-Z a-z 0-9 - . _ ~), whatever the path normalisation
 * of the HTTP layer would make of it.
 */
@QuarkusTest
class UserIdPathTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    static List<String> awkwardIds() {
        return List.of(".", "..", "", "a/b", "../x", "x/..", "a/./b", "a?b#c", "100%", " sp ace ", "é", "a+b", "a;b",
                "%2E", "//", "/");
    }

    @ParameterizedTest
    @MethodSource("awkwardIds")
    void isReadListedAndErasedByItsEncodedId(String userId) throws Exception {
        String org = Events.unique("org-path");
        String body = new ObjectMapper().readTree(Events.event(org, "placeholder")).toString()
                .replace("\"placeholder\"", new ObjectMapper().writeValueAsString(userId));
        Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").then()
                .statusCode(201);
        String key = Api.key(org);
        for (String segment : encodings(userId)) {
            JsonNode user = send("GET", "/v1/consents/users/" + segment, key, 200);
            assertEquals(userId, user.path("id").asText());
            JsonNode decision = send("GET", "/v1/consents/users/" + segment + "/purposes/analytics", key, 200);
            assertEquals(userId, decision.path("user_id").asText());
            assertTrue(decision.path("enabled").asBoolean());
            JsonNode history = send("GET", "/v1/consents/users/" + segment + "/events", key, 200);
            assertEquals(1, history.path("events").size());
            assertEquals(userId, history.path("events").path(0).path("user").path("id").asText());
            JsonNode then = send("GET", "/v1/vault/users/" + segment + "/state?at=2026-11-02T00:00:00Z", key, 200);
            assertEquals(userId, then.path("id").asText());
        }
        assertEquals(1, send("DELETE", "/v1/consents/users/" + encodings(userId).get(0), key, 200)
                .path("events_removed").asInt());
        send("GET", "/v1/consents/users/" + encodings(userId).get(0), key, 404);
    }

    /** A request sent with its path exactly as written (HTTP clients such as RestAssured's collapse "//"). */
    private JsonNode send(String method, String path, String key, int expected) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, answer.statusCode(), method + " " + path + ": " + answer.body());
        return new ObjectMapper().readTree(answer.body());
    }

    /** The id as a path segment: every byte but the unreserved ones as %XX, and with dots encoded too. */
    static List<String> encodings(String id) {
        StringBuilder plain = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0);
            plain.append(unreserved ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
            dots.append(unreserved && c != '.' ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
        }
        return plain.toString().equals(dots.toString())
                ? List.of(plain.toString())
                : List.of(plain.toString(), dots.toString());
    }

}
