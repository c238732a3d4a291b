package io.consentvault.ingest;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Probes, the OpenAPI document and the metrics SREs scrape. */
@QuarkusTest
class OperationsTest {

    @Test
    void probesAreUpWhenTheDatabaseAnswers() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().log().ifValidationFails().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("ingest"))
                .body("checks.name", hasItem("database"));
    }

    @Test
    void theOpenApiDocumentDescribesTheRoutes() {
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/consents/events'.post.responses.'201'.description", equalTo("Stored"))
                .body("paths.'/v1/consents/events/batch'.post", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/v1/consents/events/{id}'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/v1/consents/users/{user_id}'.get.responses.'304'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/v1/consents/users/{user_id}'.delete", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/v1/consents/users/{user_id}/purposes/{purpose_id}'.get.security[0].apiKey",
                        org.hamcrest.Matchers.notNullValue())
                .body("paths.'/v1/consents/users/lookup'.post", org.hamcrest.Matchers.notNullValue());
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void ingestIsMeasured() {
        Api.as("org-metrics").contentType(ContentType.JSON).body(Events.event("org-metrics", "u"))
                .when().post("/v1/consents/events").then().statusCode(201);
        Api.as("org-metrics").contentType(ContentType.JSON).body("{}").when().post("/v1/consents/events").then()
                .statusCode(400);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("consent_events_accepted_total"))
                .body(containsString("consent_events_rejected_total{reason=\"invalid\"}"))
                .body(containsString("consent_events_rejected_total{reason=\"unavailable\"}"))
                .body(containsString("consent_ingest_batch_size_count"))
                .body(containsString("consent_ingest_lane_depth{lane=\"0\"}"))
                .body(containsString("consent_ingest_commit_seconds_count"));
    }
}
