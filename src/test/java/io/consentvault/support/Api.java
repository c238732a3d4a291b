package io.consentvault.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/**
 * Requests as a given organization: the organization and a key with every scope are created through the admin API the
 * first time they are needed.
 */
public final class Api {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final List<String> ALL_SCOPES = List.of("events:write", "consents:read", "consents:erase",
            "vault:read", "exports:manage");
    private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

    private Api() {
    }

    /** A request authenticated with a key of {@code org} holding every scope. */
    public static RequestSpecification as(String org) {
        return given().header("Authorization", "Bearer " + key(org));
    }

    public static String key(String org) {
        return KEYS.computeIfAbsent(org, o -> {
            createOrganization(o);
            return createKey(o, ALL_SCOPES);
        });
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    public static void createOrganization(String org) {
        int status = admin().contentType(ContentType.JSON).body(Map.of("id", org, "name", "Test " + org))
                .when().post("/v1/admin/organizations").statusCode();
        if (status != 201 && status != 409) {
            throw new IllegalStateException("cannot create organization " + org + ": " + status);
        }
    }

    /** A new key of {@code org} with these scopes. */
    public static String createKey(String org, List<String> scopes) {
        return admin().contentType(ContentType.JSON).body(Map.of("name", "test", "scopes", scopes))
                .when().post("/v1/admin/organizations/" + org + "/keys")
                .then().statusCode(201).extract().path("key");
    }
}
