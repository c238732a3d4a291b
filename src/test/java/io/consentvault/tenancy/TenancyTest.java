package io.consentvault.tenancy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.consentvault.platform.embedded.PostgresCluster;
import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Admin routes, keys, scopes, isolation between organizations, and erasure. */
@QuarkusTest
class TenancyTest {

    static String event(String org, String user) {
        return Events.event(org, user);
    }

    static String key(String org, String... scopes) {
        Api.createOrganization(org);
        return Api.createKey(org, List.of(scopes));
    }

    @Test
    void adminRoutesNeedTheAdminToken() {
        given().contentType(ContentType.JSON).body(Map.of("id", "x", "name", "x"))
                .when().post("/v1/admin/organizations").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong").when().get("/v1/admin/organizations/x/keys")
                .then().statusCode(401);
        given().header("Authorization", "Bearer " + Api.key("org-any")).when().delete("/v1/admin/keys/x")
                .then().statusCode(401);
        // the check follows the route that answers, not the spelling of the path
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("id", "x", "name", "x"))
                .when().post("/v1/%61dmin/organizations").then().statusCode(org.hamcrest.Matchers.oneOf(401, 404));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{}")
                .when().post("/v1/%63onsents/events").then().statusCode(org.hamcrest.Matchers.oneOf(401, 404));
    }

    @Test
    void organizationsAndKeysAreCreatedListedAndRevoked() {
        String org = Events.unique("org-admin").substring(0, 30);
        Api.admin().contentType(ContentType.JSON).body(Map.of("id", org, "name", "Shop"))
                .when().post("/v1/admin/organizations").then().statusCode(201).body("id", equalTo(org));
        Api.admin().contentType(ContentType.JSON).body(Map.of("id", org, "name", "Shop"))
                .when().post("/v1/admin/organizations").then().statusCode(409);
        Api.admin().contentType(ContentType.JSON).body(Map.of("id", "has space", "name", "x"))
                .when().post("/v1/admin/organizations").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/id"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", "k", "scopes", List.of("events:write", "root")))
                .when().post("/v1/admin/organizations/" + org + "/keys").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/scopes/1"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", "k", "scopes", List.of("events:write")))
                .when().post("/v1/admin/organizations/nope-" + org + "/keys").then().statusCode(404);

        var created = Api.admin().contentType(ContentType.JSON)
                .body(Map.of("name", "web sdk", "scopes", List.of("events:write")))
                .when().post("/v1/admin/organizations/" + org + "/keys").then().statusCode(201)
                .body("key", startsWith("cv_live_")).body("scopes", equalTo(List.of("events:write")))
                .extract();
        String id = created.path("id");
        String key = created.path("key");
        Api.admin().when().get("/v1/admin/organizations/" + org + "/keys").then().statusCode(200)
                .body("", hasSize(1)).body("[0].id", equalTo(id)).body("[0].name", equalTo("web sdk"))
                .body("[0].created_at", not(nullValue())).body("[0]", not(hasKey("key")))
                .body("toString()", not(containsString(key.substring(30))));
        // stored only as a hash
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM api_keys WHERE secret_hash LIKE ? OR id = ?",
                "%" + key.substring(25) + "%", key));

        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(event(org, "u"))
                .when().post("/v1/consents/events").then().statusCode(201);
        Api.admin().when().delete("/v1/admin/keys/" + id).then().statusCode(204);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(event(org, "u"))
                .when().post("/v1/consents/events").then().statusCode(401);
        Api.admin().when().delete("/v1/admin/keys/unknown").then().statusCode(404);
    }

    @Test
    void originsAreNormalisedOnWriteAndABadStoredRowNeverStopsTheReload() {
        String org = Events.unique("org-origins").substring(0, 30);
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("id", org, "name", "Shop", "allowed_origins",
                        List.of("https://shop.example", "HTTPS://Shop.Example", "https://shop.example")))
                .when().post("/v1/admin/organizations").then().statusCode(201)
                .body("allowed_origins", equalTo(List.of("https://shop.example")));
        // a row written by hand (or by an older version) that the registry cannot read as it expects
        String broken = Events.unique("org-broken").substring(0, 30);
        TestDatabase.execute("INSERT INTO organizations (id, name, allowed_origins) VALUES ('" + broken
                + "', 'Broken', 'https://a.example   https://a.example')");
        TestDatabase.execute("INSERT INTO api_keys (id, organization_id, name, secret_hash, scopes) VALUES ('"
                + broken + "', '" + broken + "', 'broken', 'not hex', 'events:write events:write')");
        try {
            // every replica keeps reloading: a new key works at once, a revoked one stops at once
            String key = key(org, "events:write");
            given().header("Authorization", "Bearer " + key).header("Origin", "https://shop.example")
                    .contentType(ContentType.JSON).body(event(org, "u")).when().post("/v1/consents/events").then()
                    .statusCode(201);
            String id = Api.admin().when().get("/v1/admin/organizations/" + org + "/keys").then().statusCode(200)
                    .extract().path("[0].id");
            Api.admin().when().delete("/v1/admin/keys/" + id).then().statusCode(204);
            given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(event(org, "u"))
                    .when().post("/v1/consents/events").then().statusCode(401);
        } finally {
            TestDatabase.execute("DELETE FROM api_keys WHERE id = '" + broken + "'");
            TestDatabase.execute("DELETE FROM organizations WHERE id = '" + broken + "'");
        }
    }

    @Test
    void aMissingUnknownOrForgedKeyIs401() {
        String org = "org-auth";
        String key = Api.key(org);
        given().contentType(ContentType.JSON).body(event(org, "u")).when().post("/v1/consents/events")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
        given().header("Authorization", "Bearer nonsense").when().get("/v1/consents/users/u").then().statusCode(401);
        String forged = key.substring(0, key.length() - 4) + "AAAA";
        given().header("Authorization", "Bearer " + forged).when().get("/v1/consents/users/u").then().statusCode(401);
        given().header("Authorization", "Basic " + key).when().get("/v1/consents/users/u").then().statusCode(401);
    }

    @Test
    void eachRouteNeedsItsScope() {
        String org = "org-scopes";
        String writer = key(org, "events:write");
        String reader = key(org, "consents:read");
        given().header("Authorization", "Bearer " + reader).contentType(ContentType.JSON).body(event(org, "u"))
                .when().post("/v1/consents/events").then().statusCode(403);
        given().header("Authorization", "Bearer " + reader).contentType(ContentType.JSON).body("[]")
                .when().post("/v1/consents/events/batch").then().statusCode(403);
        String id = given().header("Authorization", "Bearer " + writer).contentType(ContentType.JSON)
                .body(event(org, "u")).when().post("/v1/consents/events").then().statusCode(201).extract().path("id");
        for (String path : List.of("/v1/consents/events/" + id, "/v1/consents/users/u", "/v1/consents/users/u/events",
                "/v1/consents/users/u/purposes/analytics")) {
            given().header("Authorization", "Bearer " + writer).when().get(path).then().statusCode(403);
            given().header("Authorization", "Bearer " + reader).when().get(path).then().statusCode(200);
        }
        given().header("Authorization", "Bearer " + writer).contentType(ContentType.JSON)
                .body("{\"user_ids\": [\"u\"]}").when().post("/v1/consents/users/lookup").then().statusCode(403);
        given().header("Authorization", "Bearer " + reader).when().delete("/v1/consents/users/u").then()
                .statusCode(403);
    }

    @Test
    void aKeyOfOrganizationBNeverReadsOrWritesOrganizationA() {
        String a = "org-iso-a";
        String b = "org-iso-b";
        String id = Api.as(a).contentType(ContentType.JSON).body(Events.eventWithId(a, "alice", "iso-event"))
                .when().post("/v1/consents/events").then().statusCode(201).extract().path("id");
        // writes naming A with B's key
        Api.as(b).contentType(ContentType.JSON).body(event(a, "alice")).when().post("/v1/consents/events")
                .then().statusCode(403).body("errors[0].pointer", equalTo("/organization_id"));
        Api.as(b).contentType(ContentType.JSON).body("[" + event(a, "alice") + "," + event(b, "bob") + "]")
                .when().post("/v1/consents/events/batch").then().statusCode(200)
                .body("results[0].status", equalTo(403)).body("results[1].id", not(nullValue()));
        // reads of A's ids with B's key look exactly like unknown ids
        Api.as(b).when().get("/v1/consents/events/" + id).then().statusCode(404);
        Api.as(b).when().get("/v1/consents/users/alice").then().statusCode(404);
        Api.as(b).when().get("/v1/consents/users/alice/purposes/analytics").then().statusCode(200)
                .body("enabled", nullValue());
        Api.as(b).when().get("/v1/consents/users/alice/events").then().statusCode(200).body("events", hasSize(0));
        Api.as(b).contentType(ContentType.JSON).body("{\"user_ids\": [\"alice\"]}")
                .when().post("/v1/consents/users/lookup").then().statusCode(200).body("users.alice", nullValue());
        Api.as(b).when().delete("/v1/consents/users/alice").then().statusCode(404);
        // naming A explicitly is refused
        Api.as(b).queryParam("organization_id", a).when().get("/v1/consents/users/alice").then().statusCode(403);
        Api.as(b).contentType(ContentType.JSON).body("{\"organization_id\": \"" + a + "\", \"user_ids\": [\"alice\"]}")
                .when().post("/v1/consents/users/lookup").then().statusCode(403);
        // A still has everything
        Api.as(a).when().get("/v1/consents/users/alice").then().statusCode(200);
        Api.as(a).when().get("/v1/consents/events/" + id).then().statusCode(200);
    }

    @Test
    void originsAreCheckedPerOrganization() {
        String org = Events.unique("org-cors").substring(0, 30);
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("id", org, "name", "Shop", "allowed_origins", List.of("https://shop.example")))
                .when().post("/v1/admin/organizations").then().statusCode(201);
        String key = Api.createKey(org, List.of("events:write"));
        given().header("Origin", "https://shop.example").header("Access-Control-Request-Method", "POST")
                .when().options("/v1/consents/events").then().statusCode(204)
                .header("Access-Control-Allow-Origin", "https://shop.example")
                .header("Access-Control-Allow-Headers", containsString("Authorization"));
        given().header("Authorization", "Bearer " + key).header("Origin", "https://shop.example")
                .contentType(ContentType.JSON).body(event(org, "u")).when().post("/v1/consents/events")
                .then().statusCode(201).header("Access-Control-Allow-Origin", "https://shop.example");
        given().header("Authorization", "Bearer " + key).header("Origin", "https://evil.example")
                .contentType(ContentType.JSON).body(event(org, "u")).when().post("/v1/consents/events")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void erasureLeavesNothingOfTheUserAnywhere() throws Exception {
        String org = "org-erase";
        String user = Events.unique("erase-me");
        for (int i = 0; i < 3; i++) {
            Api.as(org).contentType(ContentType.JSON).body(Events.eventWithId(org, user, user + "-ev" + i))
                    .when().post("/v1/consents/events").then().statusCode(201);
        }
        Api.as(org).when().get("/v1/consents/users/" + user).then().statusCode(200); // now cached
        Api.as(org).when().delete("/v1/consents/users/" + user).then().statusCode(200)
                .body("events_removed", equalTo(3)).body("erasure_id", not(nullValue()))
                .body("erased_at", not(nullValue()));

        Api.as(org).when().get("/v1/consents/users/" + user).then().statusCode(404);
        Api.as(org).when().get("/v1/consents/users/" + user + "/events").then().statusCode(200)
                .body("events", hasSize(0));
        Api.as(org).when().get("/v1/consents/events/" + user + "-ev0").then().statusCode(404);
        Api.as(org).when().get("/v1/consents/users/" + user + "/purposes/analytics").then().body("enabled",
                nullValue());
        Api.as(org).when().delete("/v1/consents/users/" + user).then().statusCode(404);
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM erasures WHERE organization_id = ?", org));

        String dump = dump();
        assertFalse(dump.contains(user), "the database still holds the erased user's id");
        assertFalse(dump.contains(Api.key(org).substring(25)), "the database holds a key in the clear");

        // a later event starts a new history
        Api.as(org).contentType(ContentType.JSON).body(event(org, user)).when().post("/v1/consents/events")
                .then().statusCode(201);
        Api.as(org).when().get("/v1/consents/users/" + user).then().statusCode(200).body("version", equalTo(1));
        Api.as(org).when().get("/v1/consents/users/" + user + "/events").then().body("events", hasSize(1));
    }

    /** The whole database as pg_dump writes it. */
    static String dump() throws Exception {
        PostgresCluster pg = TestDatabase.server();
        Path out = Files.createTempFile("cv-dump", ".sql");
        ProcessBuilder builder = new ProcessBuilder(pg.program("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(pg.settings().port()), "-U", pg.settings().user(), "-f", out.toString(),
                pg.settings().database()).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", pg.password());
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        String text = Files.readString(out);
        Files.delete(out);
        return text;
    }
}
