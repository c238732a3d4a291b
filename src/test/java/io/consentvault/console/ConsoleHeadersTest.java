package io.consentvault.console;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The console is served by the service itself, every file of it under a strict Content-Security-Policy. */
@QuarkusTest
class ConsoleHeadersTest {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Test
    void consoleWithoutASlashIsSentToTheConsole() {
        given().redirects().follow(false).when().get("/console").then().statusCode(301)
                .header("Location", equalTo("/console/")).header("Content-Security-Policy", equalTo(CSP));
    }

    @Test
    void everyFileOfTheConsoleCarriesTheStrictPolicy() {
        // revalidated on every load, and said once (the static handler's own caching header is replaced)
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("no-cache"),
                given().when().get("/console/").then().extract().headers().getValues("Cache-Control"));
        given().when().get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", equalTo(CSP)).header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("no-referrer")).header("X-Frame-Options", equalTo("DENY"))
                .body(containsString("<script type=\"module\" src=\"js/app.js\"></script>"));
        for (String file : new String[]{"js/app.js", "js/api.js", "js/dom.js", "js/records.js", "js/users.js",
                "js/analytics.js", "js/charts.js", "js/erasures.js"}) {
            given().when().get("/console/" + file).then().statusCode(200)
                    .contentType(containsString("javascript")).header("Content-Security-Policy", equalTo(CSP))
                    .header("X-Content-Type-Options", equalTo("nosniff"));
        }
        given().when().get("/console/console.css").then().statusCode(200).contentType(containsString("text/css"))
                .header("Content-Security-Policy", equalTo(CSP));
        given().when().get("/console/icon.svg").then().statusCode(200).header("Content-Security-Policy", equalTo(CSP));
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() {
        String html = given().when().get("/console/").then().statusCode(200).extract().asString();
        // the policy would block them; the page must not need them
        org.junit.jupiter.api.Assertions.assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), html);
        org.junit.jupiter.api.Assertions.assertFalse(html.contains("<style"), html);
        org.junit.jupiter.api.Assertions.assertFalse(html.contains("style=\""), html);
        org.junit.jupiter.api.Assertions.assertFalse(html.matches("(?s).*\\son[a-z]+=.*"), html);
    }

    @Test
    void theApiIsNotUnderThePolicy() {
        given().when().get("/v1/vault/records").then().statusCode(401).header("Content-Security-Policy", nullValue());
    }
}
