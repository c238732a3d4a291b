package io.consentvault.console;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.iabtcf.encoder.TCStringEncoder;
import com.iabtcf.utils.BitSetIntIterable;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console end to end, in Debian's headless Chromium driven by its chromedriver: sign-in (and a wrong key refused),
 * filters and pages, a WHERE clause whose error is shown at its position, a record's proof, a user's timeline at an
 * earlier instant, the erasure receipts, the charts' numbers; on a laptop's width and a phone's, by keyboard, with
 * every control labelled and no Content-Security-Policy violation. Data goes in through the real ingest API. A
 * screenshot of each page is kept under {@code target/console-screenshots/}. One browser for the class.
 * <p>
 * Without Chromium installed the class is skipped on a developer's machine and fails on CI ({@code CI=true}), whose
 * {@code .ci/run} installs it.
 */
@QuarkusTest
class ConsoleBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final String CHROMIUM = System.getProperty("console.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("console.chromedriver", "/usr/bin/chromedriver");
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    static final int BULK_USERS = 24;

    private static ChromeDriver browser;
    private static String org;
    private static String vaultKey;
    private static String tcString;

    @TestHTTPResource("/console/")
    URL console;

    private WebDriverWait wait;

    @BeforeEach
    void openSignedOut() throws IOException {
        seed();
        if (browser == null) {
            browser = startBrowser();
        }
        browser.manage().window().setSize(new Dimension(1280, 900));
        // a bound, not a pause: conditions are polled; the first record view builds the user-agent parser (seconds on
        // a shared CI machine)
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(console.toString());
        browser.executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
    }

    @AfterEach
    void noPolicyViolationNorScriptError() {
        List<String> problems = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            String message = entry.getMessage();
            // refused keys and the deliberate 400s are logged by the browser as failed loads: those are expected
            if (message.contains("Content Security Policy") || message.contains("Uncaught")
                    || message.contains("SyntaxError") || message.contains("TypeError")) {
                problems.add(message);
            }
        }
        assertEquals(List.of(), problems);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    static ChromeDriver startBrowser() {
        boolean installed = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        if (!installed && System.getenv("CI") == null) {
            assumeTrue(false, "Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does)");
        }
        assertTrue(installed, CHROMIUM + " and " + CHROMEDRIVER + " are needed: .ci/run installs them");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=en-US",
                "--window-size=1280,900", "--hide-scrollbars");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * One organization for the class: alice grants marketing on 1 November (with a TCF string) and withdraws it on
     * the 2nd; on the 3rd, 24 users see the banner, one an hour, and agree to all (even hours) or disagree; a 26th user
     * is erased. 51 records.
     */
    static synchronized void seed() {
        if (org != null) {
            return;
        }
        String o = Events.unique("org-console");
        try {
            tcString = TCStringEncoder.newBuilder().version(2).created(java.time.Instant.parse("2026-11-01T08:00:00Z"))
                    .lastUpdated(java.time.Instant.parse("2026-11-01T08:00:00Z")).cmpId(300).cmpVersion(2)
                    .consentScreen(1).consentLanguage("FR").vendorListVersion(150).tcfPolicyVersion(4)
                    .isServiceSpecific(true).publisherCC("FR").addPurposesConsent(BitSetIntIterable.from(1, 2))
                    .addVendorConsent(BitSetIntIterable.from(2)).encode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        post(o, event(o, "alice", "2026-11-01T09:00:00Z", "tcf", "notice-2026-11",
                "[{\"action\": \"preference.shown\"}, {\"action\": \"consent.given\", \"purpose\": \"marketing\"}]",
                tcString));
        post(o, event(o, "alice", "2026-11-02T10:00:00Z", "gdpr", "notice-2026-11",
                "[{\"action\": \"consent.refused\", \"purpose\": \"marketing\"}]", null));
        for (int i = 0; i < BULK_USERS; i++) {
            String click = i % 2 == 0 ? "preferences.click.agreetoall" : "preferences.click.disagreetoall";
            post(o, event(o, String.format("u%02d", i), String.format("2026-11-03T%02d:15:00Z", i), "gdpr", "notice-7",
                    "[{\"action\": \"preference.shown\"}, {\"action\": \"" + click + "\", \"purpose\": \"analytics\"}]",
                    null));
        }
        post(o, event(o, "gone", "2026-10-30T10:00:00Z", "gdpr", "notice-7",
                "[{\"action\": \"consent.given\", \"purpose\": \"analytics\"}]", null));
        Api.as(o).when().delete("/v1/consents/users/gone").then().statusCode(200);
        vaultKey = Api.createKey(o, List.of("vault:read"));
        org = o;
    }

    static String event(String org, String user, String createdAt, String regulation, String notice, String items,
            String consentString) {
        return "{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"" + user + "\", \"country\": \"FR\"},"
                + " \"regulation\": \"" + regulation + "\", \"notice_id\": \"" + notice + "\","
                + " \"source\": {\"type\": \"web\", \"sdk_version\": \"2.1.0\", \"url\": \"https://shop.example/\"},"
                + (consentString == null ? "" : " \"consent_string\": \"" + consentString + "\",")
                + " \"events\": " + items + ", \"created_at\": \"" + createdAt + "\"}";
    }

    static void post(String org, String body) {
        Api.as(org).contentType(ContentType.JSON).header("User-Agent", IPHONE).body(body).when()
                .post("/v1/consents/events").then().statusCode(201);
    }

    // ---- helpers

    private void signIn(String key) {
        WebElement field = browser.findElement(By.id("api-key"));
        field.clear();
        // by keyboard: the key, then Enter submits the form
        field.sendKeys(key, Keys.ENTER);
    }

    private void signedIn() {
        signIn(vaultKey);
        waitForStatus("Page 1: 20 records, newest first.");
    }

    private void go(String hash) {
        browser.get(console + hash);
    }

    private void waitForStatus(String text) {
        wait.until(ExpectedConditions.textToBe(By.id("results-status"), text));
    }

    private List<String> column(String label) {
        return browser.findElements(By.cssSelector("table.records tbody td[data-label='" + label + "']")).stream()
                .map(WebElement::getText).toList();
    }

    private void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private void apply() {
        browser.findElement(By.id("apply")).click();
    }

    /** Every form control has a label (or an accessible name of its own), and nothing sits outside the tab order. */
    private void everyControlIsLabelled() {
        @SuppressWarnings("unchecked")
        List<String> unlabelled = (List<String>) browser.executeScript("""
                return [...document.querySelectorAll('input, select, textarea, button, a, summary')]
                  .filter(e => e.offsetParent !== null)
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                    && !e.textContent.trim())
                  .map(e => e.outerHTML);""");
        assertEquals(List.of(), unlabelled);
        @SuppressWarnings("unchecked")
        List<String> positive = (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex > 0).map(e => e.outerHTML);");
        assertEquals(List.of(), positive);
    }

    private boolean fitsTheWidth() {
        return (Boolean) browser.executeScript(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;");
    }

    /** A screenshot of the whole page, kept under target/console-screenshots/. */
    private void screenshot(String name) throws IOException {
        Dimension before = browser.manage().window().getSize();
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(4000, Math.max(before
                .getHeight(), height + (before.getHeight() - (Long) browser.executeScript("return innerHeight;"))))));
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(before);
    }

    // ---- the console

    @Test
    void aWrongKeyIsRefusedAndTheRightOneSignsIn() throws IOException {
        // signed out: neither the navigation nor the session's controls are shown
        assertFalse(browser.findElement(By.id("sign-out")).isDisplayed());
        assertFalse(browser.findElement(By.id("nav")).isDisplayed());
        everyControlIsLabelled();
        screenshot("sign-in");
        signIn("cv_live_not-a-key");
        wait.until(ExpectedConditions.textToBe(By.id("sign-in-error"),
                "This key was refused: it is unknown or revoked."));
        assertEquals("true", browser.findElement(By.id("api-key")).getAttribute("aria-invalid"));
        String writer = Api.createKey(org, List.of("events:write"));
        signIn(writer);
        wait.until(ExpectedConditions.textToBe(By.id("sign-in-error"), "This key lacks the scope vault:read."));
        screenshot("sign-in-refused");
        assertEquals(null, browser.executeScript("return sessionStorage.getItem('consent-vault.console.key');"));

        signedIn();
        assertTrue(browser.findElement(By.id("sign-out")).isDisplayed());
        // the key is kept for the tab only, and never in its address
        assertEquals(vaultKey, browser.executeScript("return sessionStorage.getItem('consent-vault.console.key');"));
        assertTrue(!browser.getCurrentUrl().contains(vaultKey));
        assertEquals("Organization " + org, browser.findElement(By.id("session-org")).getText());
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.textToBe(By.id("sign-in-error"), "Signed out."));
        assertEquals(null, browser.executeScript("return sessionStorage.getItem('consent-vault.console.key');"));
    }

    @Test
    void recordsNewestFirstTwentyAPageWithFiltersAndPages() throws IOException {
        signedIn();
        assertEquals(20, column("Action").size());
        assertEquals("2026-11-03 23:15:00 UTC", column("Time (UTC)").get(0));
        assertEquals("u23", column("User").get(0));
        assertEquals("preferences.click.disagreetoall", column("Action").get(0));
        everyControlIsLabelled();
        assertTrue(fitsTheWidth());
        screenshot("records");

        // the pages, by keyboard: Tab to "Next page", Enter
        WebElement next = browser.findElement(By.id("next-page"));
        browser.findElement(By.tagName("h1")).click();
        for (int i = 0; i < 120 && !next.equals(browser.switchTo().activeElement()); i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertEquals(next, browser.switchTo().activeElement(), "Next page is reachable by Tab");
        next.sendKeys(Keys.ENTER);
        waitForStatus("Page 2: 20 records, newest first.");
        assertEquals("2026-11-03 13:15:00 UTC", column("Time (UTC)").get(0));
        browser.findElement(By.id("next-page")).click();
        waitForStatus("Page 3: 11 records, newest first.");
        assertEquals(List.of("2026-11-02 10:00:00 UTC", "2026-11-01 09:00:00 UTC", "2026-11-01 09:00:00 UTC"),
                column("Time (UTC)").subList(8, 11));
        assertTrue(!browser.findElement(By.id("next-page")).isEnabled());
        browser.findElement(By.id("previous-page")).click();
        waitForStatus("Page 2: 20 records, newest first.");
        browser.findElement(By.id("first-page")).click();
        waitForStatus("Page 1: 20 records, newest first.");

        // filters
        type("f-purpose", "marketing");
        apply();
        waitForStatus("Page 1: 2 records, newest first.");
        assertEquals(List.of("withdrawn", "granted"), column("Change"));
        assertTrue(browser.getCurrentUrl().contains("purpose=marketing"));
        new Select(browser.findElement(By.id("f-change"))).selectByValue("withdrawn");
        apply();
        waitForStatus("Page 1: 1 record, newest first.");
        assertEquals(List.of("alice"), column("User"));
        browser.findElement(By.id("clear")).click();
        waitForStatus("Page 1: 20 records, newest first.");
        type("f-from", "2026-11-03T22:00:00Z");
        new Select(browser.findElement(By.id("f-action"))).selectByValue("preference.shown");
        apply();
        waitForStatus("Page 1: 2 records, newest first.");
        assertEquals(List.of("u23", "u22"), column("User"));
        type("f-user_id", "u22, u05");
        type("f-from", "");
        apply();
        waitForStatus("Page 1: 2 records, newest first.");
        assertEquals(List.of("u22", "u05"), column("User"));
        screenshot("records-filtered");
    }

    @Test
    void aWhereClauseErrorIsShownAtItsPositionThenAGoodOneFilters() throws IOException {
        signedIn();
        String bad = "purpose = 'marketing' AND colour = 'red'";
        int position = bad.indexOf("colour");
        String message = Api.as(org).queryParam("where", bad).when().get("/v1/vault/records").then().statusCode(400)
                .extract().path("errors[0].message");
        type("f-where", bad);
        browser.findElement(By.id("f-where")).sendKeys(Keys.ENTER);
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".where-message")));
        assertEquals(message + " (at character " + (position + 1) + ")", error.getText());
        String caret = browser.findElement(By.cssSelector(".where-caret")).getText();
        assertEquals(bad + "\n" + " ".repeat(position) + "^", caret);
        assertEquals("c", browser.findElement(By.cssSelector(".where-caret mark")).getText());
        WebElement where = browser.findElement(By.id("f-where"));
        assertEquals(where, browser.switchTo().activeElement(), "the clause has the focus");
        assertEquals((long) position, browser.executeScript("return arguments[0].selectionStart;", where));
        assertEquals("true", where.getAttribute("aria-invalid"));
        screenshot("records-where-error");

        type("f-where", "purpose = 'marketing' AND change IN ('withdrawn', 'renewed')");
        apply();
        waitForStatus("Page 1: 1 record, newest first.");
        assertEquals(List.of("consent.refused"), column("Action"));
        assertTrue(browser.findElements(By.cssSelector(".where-message")).isEmpty());
        screenshot("records-where");
    }

    @Test
    void aRecordShowsItsProof() throws IOException {
        signedIn();
        type("f-purpose", "marketing");
        new Select(browser.findElement(By.id("f-change"))).selectByValue("granted");
        apply();
        waitForStatus("Page 1: 1 record, newest first.");
        browser.findElement(By.cssSelector("a.record-link")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "consent.given, purpose marketing"));
        Map<String, String> facts = facts();
        assertEquals("2026-11-01 09:00:00 UTC", facts.get("Time (UTC)"));
        assertEquals("alice", facts.get("User"));
        assertEquals("notice-2026-11", facts.get("Notice"));
        assertEquals("granted", facts.get("Change"));
        assertEquals("tcf", facts.get("Regulation"));
        assertEquals("127.0.0.1", facts.get("IP as stored"));
        assertEquals(IPHONE, facts.get("User agent"));
        assertEquals("Safari 17.1", facts.get("Browser"));
        assertEquals("iOS 17.1", facts.get("Operating system"));
        assertEquals("Apple iPhone", facts.get("Device"));
        assertEquals("2.1.0", facts.get("SDK version"));
        assertTrue(facts.get("Key").startsWith("test ("), facts.get("Key"));
        assertEquals(tcString, browser.findElement(By.id("consent-string")).getText());
        String decoded = browser.findElement(By.cssSelector("pre[aria-label='Decoded consent string']")).getText();
        assertTrue(decoded.contains("\"cmp_id\": 300"), decoded);
        assertTrue(decoded.contains("\"vendor_consents\": [2]"), decoded);
        String original = browser.findElement(By.cssSelector("pre[aria-label='Original event']")).getText();
        assertTrue(original.contains("\"notice_id\": \"notice-2026-11\""), original);
        assertTrue(original.contains("\"action\": \"preference.shown\""), original);
        everyControlIsLabelled();
        screenshot("record");
    }

    private Map<String, String> facts() {
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        for (WebElement pair : browser.findElements(By.cssSelector("dl.facts > div"))) {
            facts.put(pair.findElement(By.tagName("dt")).getText(), pair.findElement(By.tagName("dd")).getText());
        }
        return facts;
    }

    @Test
    void aUsersTimelineAndTheirStateAtAnEarlierInstant() throws IOException {
        signedIn();
        type("f-user_id", "alice");
        apply();
        waitForStatus("Page 1: 3 records, newest first.");
        browser.findElement(By.linkText("alice")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "User alice"));
        wait.until(ExpectedConditions.textToBe(By.id("history-status"), "3 records, newest first."));
        assertEquals(List.of("withdrawn", "granted", "—"), column("Change"));
        WebElement summary = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("state-summary")));
        assertTrue(summary.getText().startsWith("As it was at "), summary.getText());
        assertEquals("no", purpose("marketing"));

        type("state-at", "2026-11-01T12:00:00Z");
        browser.findElement(By.id("show-state")).click();
        wait.until(ExpectedConditions.textToBe(By.id("state-summary"),
                "As it was at 2026-11-01 12:00:00 UTC: version 1, last changed 2026-11-01 09:00:00 UTC."));
        assertEquals("yes", purpose("marketing"));
        // the TCF string's purposes, decided by the same merge
        assertEquals("yes", purpose("1"));
        assertEquals("no", purpose("3"));
        everyControlIsLabelled();
        screenshot("user-timeline");

        type("state-at", "2026-11-01T08:59:59Z");
        browser.findElement(By.id("show-state")).click();
        wait.until(ExpectedConditions.textToBe(By.id("state-summary"),
                "No event of this user by 2026-11-01 08:59:59 UTC: no consent known then."));
        type("state-at", "last tuesday");
        browser.findElement(By.id("show-state")).click();
        wait.until(ExpectedConditions.textToBe(By.id("state-at-error"), "must be an RFC 3339 date-time"));
        // a record's own "State then"
        browser.findElements(By.cssSelector("a.state-link")).get(0).click();
        wait.until(ExpectedConditions.textToBe(By.id("state-summary"),
                "As it was at 2026-11-02 10:00:00 UTC: version 2, last changed 2026-11-02 10:00:00 UTC."));
        assertEquals("no", purpose("marketing"));
    }

    private String purpose(String id) {
        return browser.findElement(By.xpath("//table[@id='state-purposes']//th[@scope='row'][text()='" + id
                + "']/following-sibling::td[1]")).getText();
    }

    @Test
    void theErasureReceipts() throws IOException {
        signedIn();
        browser.findElement(By.linkText("Erasures")).click();
        wait.until(ExpectedConditions.textToBe(By.id("erasures-status"), "1 receipt."));
        assertEquals("1", browser.findElement(By.cssSelector("td[data-label='Events removed']")).getText());
        assertEquals("page", browser.findElement(By.linkText("Erasures")).getAttribute("aria-current"));
        everyControlIsLabelled();
        screenshot("erasures");
    }

    @Test
    void theChartsAndTheirNumbers() throws IOException {
        signedIn();
        browser.findElement(By.linkText("Analytics")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Analytics"));
        type("a-from", "2026-10-30");
        type("a-to", "2026-11-04");
        browser.findElement(By.id("analytics-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("analytics-summary"),
                "26 events from 2026-10-30 to 2026-11-04 (exclusive)."));
        // opt-in rate per purpose per day: a line a purpose, a point a day with a decision
        assertEquals(3, browser.findElements(By.cssSelector("#opt-in-chart svg circle")).size());
        assertEquals(List.of("analytics", "marketing"), browser.findElements(By.cssSelector("#opt-in .legend li"))
                .stream().map(WebElement::getText).toList());
        everyControlIsLabelled();
        assertTrue(fitsTheWidth());
        screenshot("analytics");
        browser.findElement(By.id("opt-in-numbers-toggle")).click();
        assertEquals(List.of("Day", "analytics", "marketing"), header("opt-in-table"));
        assertEquals(List.of("2026-11-01", "—", "100.0% (1 of 1)"), row("opt-in-table", 2));
        assertEquals(List.of("2026-11-02", "—", "0.0% (0 of 1)"), row("opt-in-table", 3));
        assertEquals(List.of("2026-11-03", "50.0% (12 of 24)", "—"), row("opt-in-table", 4));
        // banner conversion: the numbers beside the bars, and per day in the table
        assertEquals(List.of("25", "12 (48.0% of shown)", "12 (48.0% of shown)", "0 (0.0% of shown)"),
                browser.findElements(By.cssSelector("#conversion-chart svg text.value")).stream()
                        .map(WebElement::getText).toList());
        browser.findElement(By.id("conversion-numbers-toggle")).click();
        assertEquals(List.of("2026-11-03", "24", "12", "12", "0", "100.0%"), row("conversion-table", 4));
        assertEquals(List.of("Total", "25", "12", "12", "0", "96.0%"), row("conversion-table", 5));
        // events per hour: a bar an hour of the period
        assertEquals(5 * 24, browser.findElements(By.cssSelector("#per-hour-chart svg rect.bar")).size());
        browser.findElement(By.id("per-hour-numbers-toggle")).click();
        assertEquals(List.of("2026-11-03 05:00", "1", "1"), row("per-hour-table", 4 * 24 + 5));
        assertEquals(List.of("2026-11-03 04:00", "1", "1"), row("per-hour-table", 4 * 24 + 4));
        assertEquals(List.of("2026-11-01 10:00", "0", "0"), row("per-hour-table", 2 * 24 + 10));
    }

    /** A table's column headers. */
    private List<String> header(String table) {
        return browser.findElements(By.cssSelector("#" + table + " thead th")).stream().map(WebElement::getText)
                .toList();
    }

    /** A table's row (0-based), its header cell first. */
    private List<String> row(String table, int index) {
        WebElement row = browser.findElements(By.cssSelector("#" + table + " tbody tr")).get(index);
        return row.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).toList();
    }

    @Test
    void onAPhoneTheRecordsAreCardsAndNothingOverflows() throws IOException {
        browser.manage().window().setSize(new Dimension(375, 812));
        signedIn();
        assertTrue(fitsTheWidth(), "no horizontal scrolling at 375 px");
        // each record a card whose cells name their column
        assertEquals("block", browser.findElement(By.cssSelector("table.records tr")).getCssValue("display"));
        assertEquals("absolute", browser.findElement(By.cssSelector("table.records thead")).getCssValue("position"));
        screenshot("records-phone");
        browser.findElement(By.cssSelector("a.record-link")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "preferences.click.disagreetoall, purpose analytics"));
        assertTrue(fitsTheWidth(), "no horizontal scrolling at 375 px");
        screenshot("record-phone");
    }
}
