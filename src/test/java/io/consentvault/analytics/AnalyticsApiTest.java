package io.consentvault.analytics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/analytics/consents} over HTTP, on events sent through the real ingest API whose counts are known by
 * construction (the comments of {@link #seed} give each event's changes), beside another organization's events that
 * must never be counted.
 */
@QuarkusTest
class AnalyticsApiTest {

    static final String ORG = Events.unique("org-analytics");
    static final String OTHER = Events.unique("org-analytics-other");

    static final String SHOWN = "{\"action\": \"preference.shown\"}";
    static final String AGREE = "{\"action\": \"preferences.click.agreetoall\"}";
    static final String DISAGREE = "{\"action\": \"preferences.click.disagreetoall\"}";
    static final String SAVE = "{\"action\": \"preferences.click.savechoices\"}";

    static String granted(String purpose) {
        return "{\"action\": \"consent.given\", \"purpose\": \"" + purpose + "\"}";
    }

    static String refusal(String purpose) {
        return "{\"action\": \"consent.refused\", \"purpose\": \"" + purpose + "\"}";
    }

    static void post(String org, String user, String createdAt, String... items) {
        String body = "{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"" + user + "\"},"
                + " \"events\": [" + String.join(", ", items) + "], \"created_at\": \"" + createdAt + "\"}";
        Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").then()
                .statusCode(201);
    }

    private static boolean seeded;

    /**
     * Once, before the first test (the test port is known only then): posted in this order, each change follows from
     * the user's state at the time.
     */
    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        seeded = true;
        // 2026-03-01: 5 events, users u1 u2 u3, shown 2, agree 1, disagree 1, save 1;
        // ads granted 2, withdrawn 1, refused 1 (rate 0.5); analytics granted 1, refused 1 (rate 0.5)
        post(ORG, "u1", "2026-03-01T00:00:00Z", SHOWN); // exactly at the bucket's start
        post(ORG, "u1", "2026-03-01T00:00:05Z", AGREE, granted("ads"), granted("analytics")); // ads, analytics granted
        post(ORG, "u2", "2026-03-01T10:30:00Z", SHOWN, DISAGREE, refusal("ads")); // ads refused
        post(ORG, "u1", "2026-03-01T23:59:59.999Z", refusal("ads")); // ads withdrawn
        post(ORG, "u3", "2026-03-02T00:00:00+02:00", SAVE, granted("ads"), refusal("analytics")); // 22:00Z
        // 2026-03-02: nothing
        // 2026-03-03: 6 events, users u1 u2 u4 u5; ads granted 1, renewed 1 (rate 1.0); analytics granted 1
        post(ORG, "u1", "2026-03-03T00:00:00Z", granted("ads")); // granted: false before
        post(ORG, "u1", "2026-03-03T08:00:00Z", granted("ads")); // renewed
        post(ORG, "u1", "2026-03-03T07:00:00Z", refusal("ads")); // late: superseded, not counted
        post(ORG, "u2", "2026-03-03T09:00:00Z", granted("analytics")); // granted
        post(ORG, "u4", "2026-03-03T12:00:00Z"); // no items: an event and a user, nothing else
        post(ORG, "u5", "2026-03-03T13:00:00Z", "{\"action\": \"consent.given\", \"vendor\": \"755\"}"); // no purpose
        // 2026-03-04, 00:00Z: ads withdrawn (rate 0.0), outside any range that ends at 2026-03-04
        post(ORG, "u1", "2026-03-04T00:00:00Z", refusal("ads"));
        // another organization, on the same days and the same users: never in ORG's counts
        for (String day : List.of("2026-03-01", "2026-03-02", "2026-03-03")) {
            post(OTHER, "u1", day + "T06:00:00Z", SHOWN, AGREE, granted("ads"), granted("other-purpose"));
            post(OTHER, "u9", day + "T07:00:00Z", SHOWN, DISAGREE, refusal("analytics"));
        }
    }

    static ExtractableResponse<Response> analytics(String org, String query) {
        return Api.as(org).when().get("/v1/analytics/consents" + query).then().log().ifValidationFails()
                .statusCode(200).extract();
    }

    static void assertBucket(Map<String, Object> bucket, String start, int events, int users, int shown, int agree,
            int disagree, int save) {
        assertEquals(start, bucket.get("start"));
        assertEquals(List.of(events, users, shown, agree, disagree, save),
                List.of(bucket.get("events"), bucket.get("users"), bucket.get("shown"), bucket.get("agree_to_all"),
                        bucket.get("disagree_to_all"), bucket.get("save_choices")),
                "events, users, shown, agree_to_all, disagree_to_all, save_choices of " + start);
    }

    /** granted, renewed, withdrawn, refused, opt_in_rate (null included: the key is always there). */
    static void assertPurpose(Map<String, Object> bucket, String purpose, int granted, int renewed, int withdrawn,
            int refused, Double rate) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = ((Map<String, Map<String, Object>>) bucket.get("purposes")).get(purpose);
        assertTrue(p != null && p.containsKey("opt_in_rate"), purpose + " in " + bucket);
        assertEquals(List.of(granted, renewed, withdrawn, refused),
                List.of(p.get("granted"), p.get("renewed"), p.get("withdrawn"), p.get("refused")),
                "granted, renewed, withdrawn, refused of " + purpose + " at " + bucket.get("start"));
        Object actual = p.get("opt_in_rate");
        if (rate == null) {
            assertNull(actual);
        } else {
            assertEquals(rate, ((Number) actual).doubleValue(), 1e-6); // the test's JSON reader keeps floats
        }
    }

    @Test
    void eachCountAndTheOptInRatePerDayEmptyDaysIncludedToExclusive() {
        var answer = analytics(ORG, "?from=2026-03-01&to=2026-03-04&interval=day");
        assertEquals("day", answer.path("interval"));
        List<Map<String, Object>> buckets = answer.path("buckets");
        assertEquals(3, buckets.size());
        assertBucket(buckets.get(0), "2026-03-01T00:00:00Z", 5, 3, 2, 1, 1, 1);
        assertPurpose(buckets.get(0), "ads", 2, 0, 1, 1, 0.5);
        assertPurpose(buckets.get(0), "analytics", 1, 0, 0, 1, 0.5);
        assertBucket(buckets.get(1), "2026-03-02T00:00:00Z", 0, 0, 0, 0, 0, 0);
        assertPurpose(buckets.get(1), "ads", 0, 0, 0, 0, null);
        assertPurpose(buckets.get(1), "analytics", 0, 0, 0, 0, null);
        // the event at 2026-03-04T00:00:00Z is at to, which is exclusive
        assertBucket(buckets.get(2), "2026-03-03T00:00:00Z", 6, 4, 0, 0, 0, 0);
        assertPurpose(buckets.get(2), "ads", 1, 1, 0, 0, 1.0);
        assertPurpose(buckets.get(2), "analytics", 1, 0, 0, 0, 1.0);
        for (Map<String, Object> b : buckets) {
            assertEquals(List.of("ads", "analytics"), List.copyOf(((Map<?, ?>) b.get("purposes")).keySet()),
                    "the same purposes in every bucket, the other organization's never");
        }

        // a day later, the event at its start is in
        List<Map<String, Object>> four = analytics(ORG, "?from=2026-03-01&to=2026-03-05").path("buckets");
        assertEquals(4, four.size());
        assertBucket(four.get(3), "2026-03-04T00:00:00Z", 1, 1, 0, 0, 0, 0);
        assertPurpose(four.get(3), "ads", 0, 0, 1, 0, 0.0);
        assertPurpose(four.get(3), "analytics", 0, 0, 0, 0, null);
    }

    @Test
    void bucketsAreUtcDaysWhateverTheOffsetsOfFromAndTo() {
        // 00:00Z to 22:00Z: e1 to e3; the event at 22:00Z (sent as 2026-03-02T00:00:00+02:00) is at to
        List<Map<String, Object>> one = Api.as(ORG).queryParam("from", "2026-03-01T02:00:00+02:00")
                .queryParam("to", "2026-03-02T00:00:00+02:00").when().get("/v1/analytics/consents").then()
                .statusCode(200).extract().path("buckets");
        assertEquals(1, one.size());
        assertBucket(one.get(0), "2026-03-01T00:00:00Z", 3, 2, 2, 1, 1, 0);
        assertPurpose(one.get(0), "ads", 1, 0, 0, 1, 0.5);
        assertPurpose(one.get(0), "analytics", 1, 0, 0, 0, 1.0);
        // from 10:00Z (12:00+02:00): the bucket still starts at 00:00Z, and holds only what is from 10:00Z on
        List<Map<String, Object>> cut = Api.as(ORG).queryParam("from", "2026-03-01T12:00:00+02:00")
                .queryParam("to", "2026-03-02T10:00:00-05:00").when().get("/v1/analytics/consents").then()
                .statusCode(200).extract().path("buckets");
        assertEquals(2, cut.size());
        assertBucket(cut.get(0), "2026-03-01T00:00:00Z", 3, 3, 1, 0, 1, 1);
        assertBucket(cut.get(1), "2026-03-02T00:00:00Z", 0, 0, 0, 0, 0, 0);
    }

    @Test
    void hoursAreUtcHoursWithTheirEdges() {
        var answer = analytics(ORG, "?from=2026-03-01T00:00:00Z&to=2026-03-01T03:00:00Z&interval=hour");
        assertEquals("hour", answer.path("interval"));
        List<Map<String, Object>> buckets = answer.path("buckets");
        assertEquals(List.of("2026-03-01T00:00:00Z", "2026-03-01T01:00:00Z", "2026-03-01T02:00:00Z"),
                buckets.stream().map(b -> b.get("start")).toList());
        assertBucket(buckets.get(0), "2026-03-01T00:00:00Z", 2, 1, 1, 1, 0, 0);
        assertPurpose(buckets.get(0), "ads", 1, 0, 0, 0, 1.0);
        assertBucket(buckets.get(1), "2026-03-01T01:00:00Z", 0, 0, 0, 0, 0, 0);
        // the last two hours of the day: 22:00Z and 23:59:59.999Z, each in its own hour
        List<Map<String, Object>> late = analytics(ORG, "?from=2026-03-01T22:00:00Z&to=2026-03-02&interval=hour")
                .path("buckets");
        assertEquals(2, late.size());
        assertBucket(late.get(0), "2026-03-01T22:00:00Z", 1, 1, 0, 0, 0, 1);
        assertPurpose(late.get(0), "analytics", 0, 0, 0, 1, 0.0);
        assertBucket(late.get(1), "2026-03-01T23:00:00Z", 1, 1, 0, 0, 0, 0);
        assertPurpose(late.get(1), "ads", 0, 0, 1, 0, 0.0);
    }

    @Test
    void partsOfAnHourAtEitherEndAreCountedFromTheEventsAndTheWholeHoursFromTheRollup() {
        // 00:00:03Z to 23:59:59.999Z: 00:00:05 (in hour 00, a part), 10:30 and 22:00 (whole hours); the events at
        // 00:00:00 and 23:59:59.999 are outside
        List<Map<String, Object>> day = Api.as(ORG).queryParam("from", "2026-03-01T00:00:03Z")
                .queryParam("to", "2026-03-01T23:59:59.999Z").when().get("/v1/analytics/consents").then()
                .statusCode(200).extract().path("buckets");
        assertEquals(1, day.size());
        assertBucket(day.get(0), "2026-03-01T00:00:00Z", 3, 3, 1, 1, 1, 1);
        assertPurpose(day.get(0), "ads", 2, 0, 0, 1, 2.0 / 3);
        assertPurpose(day.get(0), "analytics", 1, 0, 0, 1, 0.5);
        // within one hour, no whole hour: all of it from the events
        List<Map<String, Object>> seconds = Api.as(ORG).queryParam("from", "2026-03-01T00:00:01Z")
                .queryParam("to", "2026-03-01T00:00:10Z").queryParam("interval", "hour").when()
                .get("/v1/analytics/consents").then().statusCode(200).extract().path("buckets");
        assertEquals(1, seconds.size());
        assertBucket(seconds.get(0), "2026-03-01T00:00:00Z", 1, 1, 0, 1, 0, 0);
        assertPurpose(seconds.get(0), "ads", 1, 0, 0, 0, 1.0);
    }

    @Test
    void theRollupKeptAtIngestSumsToWhatItsRebuildFromTheEventsCounts() {
        String sums = """
                SELECT string_agg(row, ' ' ORDER BY row) FROM (
                  SELECT hour || ' ' || sum(events) || ' ' || sum(shown) || ' ' || sum(agree_to_all) || ' '
                         || sum(disagree_to_all) || ' ' || sum(save_choices) AS row
                  FROM consent_counts WHERE organization_id = ? GROUP BY hour
                  UNION ALL
                  SELECT hour || ' ' || purpose || ' ' || sum(granted) || ' ' || sum(renewed) || ' ' || sum(withdrawn)
                         || ' ' || sum(refused)
                  FROM purpose_counts WHERE organization_id = ? GROUP BY hour, purpose) r
                """;
        String kept = TestDatabase.text(sums, ORG, ORG);
        assertTrue(kept != null && kept.contains(" ads "), kept);
        TestDatabase.execute("SELECT rebuild_consent_counts()");
        assertEquals(kept, TestDatabase.text(sums, ORG, ORG));
    }

    @Test
    void anErasedUsersEventsLeaveTheCounts() {
        String org = Events.unique("org-analytics-erased");
        post(org, "stays", "2026-05-01T09:15:00Z", SHOWN, AGREE, granted("ads"));
        post(org, "goes", "2026-05-01T09:45:00Z", SHOWN, DISAGREE, refusal("ads"));
        post(org, "goes", "2026-05-02T10:00:00Z", granted("ads"), granted("only-erased"));
        String range = "?from=2026-05-01&to=2026-05-03";
        List<Map<String, Object>> before = analytics(org, range).path("buckets");
        assertBucket(before.get(0), "2026-05-01T00:00:00Z", 2, 2, 2, 1, 1, 0);
        assertPurpose(before.get(0), "ads", 1, 0, 0, 1, 0.5);
        assertBucket(before.get(1), "2026-05-02T00:00:00Z", 1, 1, 0, 0, 0, 0);

        Api.as(org).when().delete("/v1/consents/users/goes").then().statusCode(200).body("events_removed",
                equalTo(2));

        List<Map<String, Object>> after = analytics(org, range).path("buckets");
        assertBucket(after.get(0), "2026-05-01T00:00:00Z", 1, 1, 1, 1, 0, 0);
        assertPurpose(after.get(0), "ads", 1, 0, 0, 0, 1.0);
        assertBucket(after.get(1), "2026-05-02T00:00:00Z", 0, 0, 0, 0, 0, 0);
        assertPurpose(before.get(1), "only-erased", 1, 0, 0, 0, 1.0);
        assertPurpose(after.get(1), "ads", 0, 0, 0, 0, null);
        for (Map<String, Object> b : after) {
            assertEquals(List.of("ads"), List.copyOf(((Map<?, ?>) b.get("purposes")).keySet()),
                    "a purpose whose every record was erased is not shown");
        }
    }

    @Test
    void purposeLimitsOnlyThePurposesMap() {
        List<Map<String, Object>> buckets = analytics(ORG,
                "?from=2026-03-01&to=2026-03-04&purpose=analytics&purpose=never-seen").path("buckets");
        assertBucket(buckets.get(0), "2026-03-01T00:00:00Z", 5, 3, 2, 1, 1, 1);
        for (Map<String, Object> b : buckets) {
            assertEquals(List.of("analytics", "never-seen"), List.copyOf(((Map<?, ?>) b.get("purposes")).keySet()));
            assertPurpose(b, "never-seen", 0, 0, 0, 0, null);
        }
        assertPurpose(buckets.get(0), "analytics", 1, 0, 0, 1, 0.5);
    }

    @Test
    void anotherOrganizationCountsOnlyItsOwn() {
        List<Map<String, Object>> buckets = analytics(OTHER, "?from=2026-03-01&to=2026-03-04").path("buckets");
        for (int day = 0; day < 3; day++) {
            assertBucket(buckets.get(day), "2026-03-0" + (day + 1) + "T00:00:00Z", 2, 2, 2, 1, 1, 0);
            assertEquals(List.of("ads", "analytics", "other-purpose"),
                    List.copyOf(((Map<?, ?>) buckets.get(day).get("purposes")).keySet()));
        }
        assertPurpose(buckets.get(0), "ads", 1, 0, 0, 0, 1.0);
        assertPurpose(buckets.get(1), "ads", 0, 1, 0, 0, 1.0);
        assertPurpose(buckets.get(0), "analytics", 0, 0, 0, 1, 0.0);
        // naming the other organization is refused, and nothing of it is counted for a key of ORG
        Api.as(OTHER).when().get("/v1/analytics/consents?from=2026-03-01&to=2026-03-04&organization_id=" + ORG)
                .then().statusCode(403);
        Api.as(ORG).when().get("/v1/analytics/consents?from=2026-03-01&to=2026-03-04&organization_id=" + ORG)
                .then().statusCode(200).body("buckets[0].events", equalTo(5));
    }

    @Test
    void withoutFromAndToTheLast30DaysOrThe48HoursUpToNow() {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        List<Map<String, Object>> days = analytics(ORG, "").path("buckets");
        assertEquals(30, days.size());
        assertEquals(today.toString(), days.get(29).get("start"));
        assertEquals(today.minus(29, ChronoUnit.DAYS).toString(), days.get(0).get("start"));
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<Map<String, Object>> hours = analytics(ORG, "?interval=hour").path("buckets");
        assertEquals(48, hours.size());
        assertTrue(hours.get(47).get("start").equals(hour.toString())
                || hours.get(47).get("start").equals(hour.plus(1, ChronoUnit.HOURS).toString()), "the current hour");
        // from alone: up to the end of today
        List<Map<String, Object>> since = analytics(ORG,
                "?from=" + today.minus(2, ChronoUnit.DAYS).toString().substring(0, 10)).path("buckets");
        assertEquals(3, since.size());
        // to alone: the 30 days before it
        List<Map<String, Object>> before = analytics(ORG, "?to=2026-03-04").path("buckets");
        assertEquals(30, before.size());
        assertEquals("2026-02-02T00:00:00Z", before.get(0).get("start"));
        assertBucket(before.get(29), "2026-03-03T00:00:00Z", 6, 4, 0, 0, 0, 0);
    }

    @Test
    void badParametersAre400NamingThem() {
        // 400 days is the most; 401 is one too many, in days or in hours
        Api.as(ORG).when().get("/v1/analytics/consents?from=2025-01-01&to=2026-02-05").then().statusCode(200)
                .body("buckets", hasSize(400));
        refused("?from=2025-01-01&to=2026-02-06", "from");
        refused("?from=2026-03-01&to=2026-03-17T17:00:00Z&interval=hour", "from");
        refused("?interval=week", "interval");
        refused("?interval=DAY", "interval");
        refused("?from=2026-03-02&to=2026-03-02", "to");
        refused("?from=2026-03-03&to=2026-03-02", "to");
        refused("?from=yesterday", "from");
        refused("?to=2026-02-30", "to");
        refused("?from=2026-03-01T00:00:00", "from");
    }

    static void refused(String query, String parameter) {
        Api.as(ORG).when().get("/v1/analytics/consents" + query).then().log().ifValidationFails().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400))
                .body("errors", hasSize(1)).body("errors[0].query", equalTo(parameter));
    }

    @Test
    void aKeyWithoutVaultReadIs403AndNoKeyIs401() {
        String reader = Api.createKey(ORG, List.of("consents:read", "events:write"));
        given().header("Authorization", "Bearer " + reader).when().get("/v1/analytics/consents").then()
                .statusCode(403);
        String vault = Api.createKey(ORG, List.of("vault:read"));
        given().header("Authorization", "Bearer " + vault).when()
                .get("/v1/analytics/consents?from=2026-03-01&to=2026-03-02")
                .then().statusCode(200).body("buckets[0].events", equalTo(5));
        given().when().get("/v1/analytics/consents").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer nonsense").when().get("/v1/analytics/consents").then().statusCode(401);
    }

    @Test
    void theOpenApiDocumentDescribesTheRoute() {
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/analytics/consents'.get.security[0].apiKey", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/v1/analytics/consents'.get.responses.'400'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/v1/analytics/consents'.get.responses.'200'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/ConsentAnalytics"))
                .body("components.schemas.ConsentAnalyticsBucket.properties.keySet()", org.hamcrest.Matchers.contains(
                        "start", "events", "users", "shown", "agree_to_all", "disagree_to_all", "save_choices",
                        "purposes"))
                .body("components.schemas.ConsentAnalyticsPurpose.properties.opt_in_rate.type",
                        org.hamcrest.Matchers.hasItem("null"));
    }
}
