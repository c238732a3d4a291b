package io.consentvault.ingest;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every rule of the seed schema, one case each: a valid event broken in exactly one place must be a 400 whose problem
 * names that place, and must store nothing; the valid variants around each rule must be 201.
 */
@QuarkusTest
class SchemaRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A valid event using every property of the schema. */
    static ObjectNode full(String org) {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"id": "%s", "organization_id": "%s", "notice_id": "notice-1",
                     "user": {"id": "u-1", "type": "external", "country": "US", "region": "US-CA"},
                     "regulation": "gdpr", "consent_string": "opaque",
                     "events": [{"action": "consent.given", "purpose": "p1", "vendor": "v1", "value": true,
                                 "legal_basis": "consent"}],
                     "source": {"type": "ios", "sdk_version": "1.0", "url": "https://app.example/x?y=1#z"},
                     "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00.5+02:00",
                     "anything_else": {"is": ["allowed"]}}
                    """.formatted(Events.unique("ev"), org));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                // root
                Arguments.of("root is an array", "", "[]"),
                Arguments.of("root is a string", "", "\"event\""),
                // required
                Arguments.of("organization_id is required", "/organization_id", "-organization_id"),
                Arguments.of("user is required", "/user", "-user"),
                Arguments.of("events is required", "/events", "-events"),
                // types of the top-level strings
                Arguments.of("id is a string", "/id", "id=7"),
                Arguments.of("organization_id is a string", "/organization_id", "organization_id=null"),
                Arguments.of("notice_id is a string", "/notice_id", "notice_id=true"),
                Arguments.of("consent_string is a string", "/consent_string", "consent_string={}"),
                // user
                Arguments.of("user is an object", "/user", "user=\"u-1\""),
                Arguments.of("user.id is a string", "/user/id", "user.id=42"),
                Arguments.of("user.type is in its enum", "/user/type", "user.type=\"customer\""),
                Arguments.of("user.country is a string", "/user/country", "user.country=1"),
                Arguments.of("user.region is a string", "/user/region", "user.region=[]"),
                // regulation
                Arguments.of("regulation is in its enum", "/regulation", "regulation=\"GDPR\""),
                Arguments.of("regulation is a string", "/regulation", "regulation=1"),
                // events
                Arguments.of("events is an array", "/events", "events={}"),
                Arguments.of("an item is an object", "/events/0", "events=[1]"),
                Arguments.of("an item needs action", "/events/0/action", "events=[{\"purpose\": \"p\"}]"),
                Arguments.of("action is in its enum", "/events/0/action", "events=[{\"action\": \"consent.maybe\"}]"),
                Arguments.of("purpose is a string", "/events/0/purpose",
                        "events=[{\"action\": \"consent.given\", \"purpose\": 1}]"),
                Arguments.of("vendor is a string", "/events/0/vendor",
                        "events=[{\"action\": \"consent.given\", \"vendor\": 755}]"),
                Arguments.of("value is a boolean", "/events/0/value",
                        "events=[{\"action\": \"consent.given\", \"value\": \"true\"}]"),
                Arguments.of("legal_basis is in its enum", "/events/0/legal_basis",
                        "events=[{\"action\": \"consent.given\", \"legal_basis\": \"li\"}]"),
                Arguments.of("the pointer names the right item", "/events/1/action",
                        "events=[{\"action\": \"consent.given\"}, {\"action\": 3}]"),
                // source
                Arguments.of("source is an object", "/source", "source=\"web\""),
                Arguments.of("source.type is in its enum", "/source/type", "source.type=\"desktop\""),
                Arguments.of("source.sdk_version is a string", "/source/sdk_version", "source.sdk_version=2"),
                Arguments.of("source.url is a string", "/source/url", "source.url=1"),
                // formats
                Arguments.of("url is absolute", "/source/url", "source.url=\"/relative/path\""),
                Arguments.of("url has no spaces", "/source/url", "source.url=\"https://a.example/a b\""),
                Arguments.of("url escapes are well formed", "/source/url", "source.url=\"https://a.example/%zz\""),
                Arguments.of("url is ASCII (an IRI is not a URI)", "/source/url",
                        "source.url=\"https://a.example/caf\u00e9\""),
                Arguments.of("url port is digits", "/source/url", "source.url=\"http://a.example:80a/\""),
                Arguments.of("created_at is a date-time", "/created_at", "created_at=\"2026-11-01\""),
                Arguments.of("created_at needs an offset", "/created_at", "created_at=\"2026-11-01T10:00:00\""),
                Arguments.of("created_at month is valid", "/created_at", "created_at=\"2026-13-01T10:00:00Z\""),
                Arguments.of("created_at day exists", "/created_at", "created_at=\"2026-02-30T10:00:00Z\""),
                Arguments.of("created_at hour is valid", "/created_at", "created_at=\"2026-11-01T24:00:00Z\""),
                Arguments.of("created_at is a string", "/created_at", "created_at=1700000000"),
                Arguments.of("updated_at is a date-time", "/updated_at", "updated_at=\"yesterday\""),
                Arguments.of("updated_at offset is valid", "/updated_at", "updated_at=\"2026-11-01T10:00:00+2:00\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void eachRuleIsEnforcedWithItsPointer(String rule, String pointer, String change) throws Exception {
        String org = Events.unique("org-schema");
        String body = apply(full(org), change);
        Api.as(org).contentType(ContentType.JSON).body(body)
                .when().post("/v1/consents/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.pointer", hasItem(pointer))
                .body("errors.message", not(hasItem((String) null)));
        assertEquals(0,
                TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org), rule);
    }

    @ParameterizedTest(name = "accepted: {0}")
    @ValueSource(strings = {
            "-id", "-notice_id", "-regulation", "-consent_string", "-source", "-created_at", "-updated_at",
            "user={}", "events=[]", "events=[{\"action\": \"preference.shown\"}]",
            "events=[{\"action\": \"preferences.click.savechoices\", \"purpose\": \"p\", \"value\": false}]",
            "regulation=\"chilean-law-25\"", "regulation=\"none\"", "user.type=\"didomi\"",
            "source.type=\"vega-os\"", "source.type=\"react-native\"",
            "source.url=\"urn:isbn:0451450523\"", "source.url=\"http://[2001:db8::1]:8080/p?q=%C3%A9\"",
            "source.url=\"mailto:privacy@example.com\"", "source.url=\"https://user:pw@host.example:443/\"",
            "created_at=\"2026-11-01t10:00:00z\"", "created_at=\"2026-11-01T10:00:00.123456789-05:30\"",
            "created_at=\"2016-12-31T23:59:60Z\"", "created_at=\"2024-02-29T00:00:00Z\"",
            "user.id=\"\u00e9l\u00e8ve-\u6f22\u5b57-\ud83d\ude00\"", "notice_id=\"'; DROP TABLE events; --\"",
            "user.id=\"<script>alert(1)</script>\""})
    void validVariantsAreStored(String change) throws Exception {
        String org = Events.unique("org-valid");
        Api.as(org).contentType(ContentType.JSON).body(apply(full(org), change))
                .when().post("/v1/consents/events")
                .then().statusCode(201)
                .body("id", notNullValue());
    }

    /** "-name" removes, "a.b=json" sets (parents must exist), anything else replaces the whole body. */
    static String apply(ObjectNode event, String change) throws Exception {
        if (change.startsWith("-")) {
            event.remove(change.substring(1));
            return event.toString();
        }
        int eq = change.indexOf('=');
        if (eq < 0) {
            return change;
        }
        String[] path = change.substring(0, eq).split("\\.");
        ObjectNode parent = event;
        for (int i = 0; i < path.length - 1; i++) {
            parent = (ObjectNode) parent.get(path[i]);
        }
        parent.set(path[path.length - 1], JSON.readTree(change.substring(eq + 1)));
        return event.toString();
    }
}
