package io.consentvault.vault;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code GET /v1/vault/users/{user_id}/state?at=}: a vault reader's view of a user's state at an instant, the very
 * answer of {@code GET /v1/consents/users/{user_id}?at=}, under the scope {@code vault:read} alone.
 */
@QuarkusTest
class VaultUserStateTest {

    static void post(String org, String user, String createdAt, String items) {
        Api.as(org).contentType(ContentType.JSON)
                .body("{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"" + user
                        + "\", \"country\": \"FR\"},"
                        + " \"events\": " + items + ", \"created_at\": \"" + createdAt + "\"}")
                .when().post("/v1/consents/events").then().statusCode(201);
    }

    @Test
    void theStateAtAnInstantIsTheLatestStateRoutesAnswerUnderVaultRead() {
        String org = Events.unique("org-vault-state");
        String user = "user-1";
        post(org, user, "2026-11-01T10:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"marketing\"}]");
        post(org, user, "2026-11-02T10:00:00Z", "[{\"action\": \"consent.refused\", \"purpose\": \"marketing\"},"
                + " {\"action\": \"consent.given\", \"vendor\": \"755\"}]");
        String vaultKey = Api.createKey(org, List.of("vault:read"));
        String path = "/v1/vault/users/user-1/state";
        for (String at : List.of("2026-11-01T12:00:00Z", "2026-11-02T11:00:00+01:00", "2026-11-03T00:00:00Z")) {
            var edge = Api.as(org).queryParam("at", at).when().get("/v1/consents/users/user-1").then()
                    .statusCode(200).extract();
            var vault = given().header("Authorization", "Bearer " + vaultKey).queryParam("at", at).when().get(path)
                    .then().statusCode(200).contentType(ContentType.JSON).header("ETag", notNullValue()).extract();
            assertEquals(edge.body().asString(), vault.body().asString(), at);
            assertEquals(edge.header("ETag"), vault.header("ETag"), at);
        }
        given().header("Authorization", "Bearer " + vaultKey).queryParam("at", "2026-11-01T12:00:00Z").when().get(path)
                .then().body("id", equalTo(user)).body("consents.purposes[0].id", equalTo("marketing"))
                .body("consents.purposes[0].enabled", equalTo(true)).body("version", equalTo(1));
        String etag = given().header("Authorization", "Bearer " + vaultKey).queryParam("at", "2026-11-03T00:00:00Z")
                .when().get(path).then().body("consents.purposes[0].enabled", equalTo(false))
                .body("consents.vendors.enabled", equalTo(List.of("755"))).extract().header("ETag");
        given().header("Authorization", "Bearer " + vaultKey).header("If-None-Match", etag)
                .queryParam("at", "2026-11-03T00:00:00Z").when().get(path).then().statusCode(304);
        // the edge route stays consents:read's
        given().header("Authorization", "Bearer " + vaultKey).when().get("/v1/consents/users/user-1").then()
                .statusCode(403);
    }

    @Test
    void anInstantIsRequiredAndBeforeTheFirstEventThereIsNoState() {
        String org = Events.unique("org-vault-state");
        post(org, "u", "2026-11-01T10:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]");
        Api.as(org).when().get("/v1/vault/users/u/state").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].query", equalTo("at"));
        Api.as(org).queryParam("at", "yesterday").when().get("/v1/vault/users/u/state").then().statusCode(400)
                .body("errors[0].query", equalTo("at"));
        Api.as(org).queryParam("at", "2026-11-01T09:59:59Z").when().get("/v1/vault/users/u/state").then()
                .statusCode(404);
        Api.as(org).queryParam("at", "2026-11-01T10:00:00Z").when().get("/v1/vault/users/u/state").then()
                .statusCode(200).body("consents.purposes[0].enabled", equalTo(true));
    }

    @Test
    void itNeedsVaultReadAndStaysInTheKeysOrganization() {
        String org = Events.unique("org-vault-state");
        String other = Events.unique("org-vault-state");
        post(org, "u", "2026-11-01T10:00:00Z", "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]");
        String at = "2026-11-02T00:00:00Z";
        given().queryParam("at", at).when().get("/v1/vault/users/u/state").then().statusCode(401);
        String reader = Api.createKey(org, List.of("consents:read"));
        given().header("Authorization", "Bearer " + reader).queryParam("at", at).when()
                .get("/v1/vault/users/u/state").then().statusCode(403);
        Api.as(other).queryParam("at", at).when().get("/v1/vault/users/u/state").then().statusCode(404);
        Api.as(other).queryParam("at", at).queryParam("organization_id", org).when().get("/v1/vault/users/u/state")
                .then().statusCode(403);
    }

    @Test
    void theOpenApiDocumentDescribesTheRoute() {
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/vault/users/{user_id}/state'.get.security[0].apiKey", notNullValue())
                .body("paths.'/v1/vault/users/{user_id}/state'.get.responses.'200'", notNullValue());
    }
}
