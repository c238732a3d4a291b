package io.consentvault.core.tcf;

import org.junit.jupiter.api.Test;

import com.iabtcf.utils.BitSetIntIterable;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Consent strings through the API: decoded into state, kept with the event, refused when they do not decode. */
@QuarkusTest
class ConsentStringApiTest {

    static String event(String org, String user, String regulation, String consentString, String items) {
        return "{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"" + user + "\"}, \"regulation\": \""
                + regulation + "\", \"consent_string\": \"" + consentString + "\", \"events\": " + items + "}";
    }

    @Test
    void aTcfStringBecomesStateAndExplicitItemsWin() throws Exception {
        String org = Events.unique("org-tcf");
        String tc = ConsentStringDecoderTest.tcf(4).addPurposesConsent(BitSetIntIterable.from(1, 2, 3))
                .addPurposesLITransparency(BitSetIntIterable.from(7)).addVendorConsent(BitSetIntIterable.from(755))
                .encode();
        String id = Api.as(org).contentType(ContentType.JSON)
                .body(event(org, "u", "tcf", tc, "[{\"action\": \"consent.refused\", \"purpose\": \"3\"}]"))
                .when().post("/v1/consents/events").then().statusCode(201).extract().path("id");
        Api.as(org).when().get("/v1/consents/users/u/purposes/1").then().body("enabled", equalTo(true));
        Api.as(org).when().get("/v1/consents/users/u/purposes/3").then().body("enabled", equalTo(false));
        Api.as(org).when().get("/v1/consents/users/u/purposes/4").then().body("enabled", equalTo(false));
        Api.as(org).when().get("/v1/consents/users/u/purposes/7").then().body("enabled_li", equalTo(true));
        Api.as(org).when().get("/v1/consents/users/u").then().statusCode(200)
                .body("consents.vendors.enabled", equalTo(java.util.List.of("755")))
                .body("consents.vendors.disabled", hasItem("754"))
                .body("consents.tcfcs", equalTo(tc));
        Api.as(org).when().get("/v1/consents/events/" + id).then().statusCode(200)
                .body("consent_string_decoded.cmp_id", equalTo(300))
                .body("consent_string_decoded.policy_version", equalTo(4))
                .body("consent_string_decoded.vendor_consents", equalTo(java.util.List.of(755)))
                .body("consents.tcfcs", equalTo(tc));
    }

    @Test
    void aStringThatDoesNotDecodeIs400ForTcfAndGppOnly() {
        String org = Events.unique("org-tcf-bad");
        for (String regulation : new String[]{"tcf", "gpp"}) {
            Api.as(org).contentType(ContentType.JSON).body(event(org, "u", regulation, "garbage!", "[]"))
                    .when().post("/v1/consents/events").then().statusCode(400)
                    .body("errors[0].pointer", equalTo("/consent_string"));
        }
        Api.as(org).contentType(ContentType.JSON).body(event(org, "u", "gdpr", "garbage!", "[]"))
                .when().post("/v1/consents/events").then().statusCode(201);
        Api.as(org).contentType(ContentType.JSON)
                .body("[" + event(org, "u", "tcf", "garbage!", "[]") + "," + event(org, "u", "none", "x", "[]") + "]")
                .when().post("/v1/consents/events/batch").then().statusCode(200)
                .body("results[0].errors[0].pointer", equalTo("/0/consent_string"))
                .body("results[1].id", not(equalTo(null)));
    }
}
