package io.consentvault.export;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.event.ConsentEvent;
import io.consentvault.export.run.ExportRunner;
import io.consentvault.ingest.batch.EventWriter;
import io.consentvault.ingest.model.EventNormalizer;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.Poll;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daily export to a directory, through the API, on the real database: files with every field of the export
 * layout on every line, agreeing with their manifest; erased users absent; a UTC day's bounds; one run of a date at
 * a time, whoever asks; a run left by a replica that died is run again by another.
 */
@QuarkusTest
@TestProfile(ExportApiTest.ToADirectory.class)
class ExportApiTest {

    /** The destination, kept under target/ to be looked at (the profile and the test may be loaded twice). */
    static final Path ROOT = Path.of("target", "export-test").toAbsolutePath();

    public static class ToADirectory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // parts of one row each (a part closes once its gzip output reaches the bound); the runner looks every second
            return Map.of("consent.export.destination", ROOT.toUri().toString(), "consent.export.poll", "1s",
                    "consent.export.schedule", "off", "consent.export.part-max-bytes", "1");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventWriter writer;

    @Inject
    ExportRunner runner;

    static String payload(String org, String user, String items) {
        return "{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"" + user + "\"}, \"regulation\": \"gdpr\","
                + " \"events\": " + items + "}";
    }

    static void post(String org, String body) {
        Api.as(org).contentType(ContentType.JSON).body(body).when().post("/v1/consents/events").then().statusCode(201);
    }

    static JsonNode run(String org, String date) {
        var asked = Api.as(org).contentType(ContentType.JSON).body(Map.of("date", date)).when().post("/v1/exports")
                .then().statusCode(202).extract();
        String location = asked.header("Location");
        assertEquals("/v1/exports/" + asked.path("id"), location);
        return finished(org, location);
    }

    static JsonNode finished(String org, String location) {
        JsonNode[] run = new JsonNode[1];
        Poll.until("the export run finished", Duration.ofSeconds(60), () -> {
            run[0] = read(Api.as(org).when().get(location).then().statusCode(200).extract().asString());
            String status = run[0].path("status").asText();
            return status.equals("succeeded") || status.equals("failed");
        });
        assertEquals("succeeded", run[0].path("status").asText(), run[0].toString());
        return run[0];
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a test reads an export's files from: a file's bytes by its path relative to the manifest. */
    interface Stored {
        byte[] read(String path) throws Exception;
    }

    /** The lines of every file of a kind the manifest lists, after checking each file's rows, bytes and SHA-256. */
    static List<JsonNode> lines(JsonNode manifest, Path dir, String kind) throws Exception {
        return lines(manifest, path -> Files.readAllBytes(dir.resolve(path)), kind);
    }

    static List<JsonNode> lines(JsonNode manifest, Stored stored, String kind) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (JsonNode f : manifest.path("files")) {
            if (!f.path("kind").asText().equals(kind)) {
                continue;
            }
            String file = f.path("path").asText();
            byte[] bytes = stored.read(file);
            assertEquals(f.path("bytes").asLong(), bytes.length, file);
            assertEquals(f.path("sha256").asText(),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), file);
            long rows = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(new ByteArrayInputStream(bytes)), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(JSON.readTree(line));
                    rows++;
                }
            }
            assertEquals(f.path("rows").asLong(), rows, file);
        }
        return lines;
    }

    /** The export layout's fields of one object kind ("user" or "events"), as paths below it. */
    static List<String> fields(String kind) throws IOException {
        List<String> paths = new ArrayList<>();
        try (InputStream in = ExportApiTest.class.getResourceAsStream("/export-fields.txt");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith(kind + ".")) {
                    paths.add(line.substring(kind.length() + 1));
                }
            }
        }
        return paths;
    }

    /** Whether {@code path} is present in {@code node}, in every element of every array it crosses. */
    static boolean present(JsonNode node, String path) {
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (!present(element, path)) {
                    return false;
                }
            }
            return true;
        }
        if (!node.isObject() || !node.has(head)) {
            return false;
        }
        JsonNode child = node.get(head);
        return dot < 0 || present(child, path.substring(dot + 1));
    }

    static void everyField(List<JsonNode> lines, String kind) throws IOException {
        List<String> paths = fields(kind);
        assertTrue(paths.size() > 20, "the field list of " + kind);
        for (JsonNode line : lines) {
            for (String path : paths) {
                assertTrue(present(line, path), kind + "." + path + " missing in " + line);
            }
        }
    }

    @Test
    void anExportOfTodayHasEveryFieldOnEveryLineAgreesWithItsManifestAndLeavesErasedUsersOut() throws Exception {
        String org = Events.unique("org-export");
        for (int i = 0; i < 6; i++) {
            post(org, payload(org, "u" + i, "[{\"action\": \"consent.given\", \"purpose\": \"analytics\"},"
                    + " {\"action\": \"consent.refused\", \"vendor\": \"755\"}]"));
        }
        post(org, payload(org, "u1", "[{\"action\": \"preference.shown\"}]")); // a banner shown: no event exported
        post(org, payload(org, "u1", "[{\"action\": \"consent.refused\", \"purpose\": \"analytics\"}]"));
        Api.as(org).when().delete("/v1/consents/users/u2").then().statusCode(200);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode run = run(org, today);
        assertEquals(5, run.path("progress").path("users_written").asLong());
        assertEquals(6, run.path("progress").path("events_written").asLong());
        assertEquals(100.0, run.path("progress").path("percent").asDouble());

        Path dir = ROOT.resolve("export-id=" + org).resolve("date=" + today);
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        assertEquals(org, manifest.path("organization_id").asText());
        assertEquals(today, manifest.path("date").asText());
        assertEquals(run.path("id").asText(), manifest.path("run_id").asText());
        assertEquals(run.path("cutoff_at").asText(), manifest.path("cutoff_at").asText());
        List<JsonNode> users = lines(manifest, dir, "users");
        List<JsonNode> events = lines(manifest, dir, "events");
        assertEquals(5, manifest.path("users").asLong());
        assertEquals(users.size(), manifest.path("users").asLong());
        assertEquals(events.size(), manifest.path("events").asLong());
        assertTrue(manifest.path("files").size() > 2, "parts of a bounded size: " + manifest);
        everyField(users, "user");
        everyField(events, "events");

        List<String> ids = users.stream().map(u -> u.path("id").asText()).sorted().toList();
        assertEquals(List.of("u0", "u1", "u3", "u4", "u5"), ids, "the erased user is not exported");
        assertFalse(events.stream().anyMatch(e -> e.path("user").path("id").asText().equals("u2")));
        JsonNode u1 = users.stream().filter(u -> u.path("id").asText().equals("u1")).findFirst().orElseThrow();
        assertEquals(2, u1.path("version").asInt());
        assertEquals(List.of(1, 2), events.stream().filter(e -> e.path("user").path("id").asText().equals("u1"))
                .map(e -> e.path("version").asInt()).sorted().toList(), "each event with its user's version after it");
        // the users file agrees with the read API
        JsonNode api = read(Api.as(org).when().get("/v1/consents/users/u1").then().statusCode(200).extract()
                .asString());
        assertEquals(api.path("consents"), u1.path("consents"));
    }

    @Test
    void aDayEndsAtUtcMidnight() throws Exception {
        String org = Events.unique("org-export");
        Api.key(org);
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        Instant midnight = yesterday.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        store(org, "late", midnight.minusNanos(1_000));
        store(org, "early", midnight);
        JsonNode before = run(org, yesterday.toString());
        assertEquals(1, before.path("progress").path("events_written").asLong());
        Path dir = ROOT.resolve("export-id=" + org);
        List<JsonNode> events = lines(JSON.readTree(dir.resolve("date=" + yesterday).resolve("manifest.json")
                .toFile()), dir.resolve("date=" + yesterday), "events");
        assertEquals("late", events.get(0).path("user").path("id").asText());
        JsonNode after = run(org, yesterday.plusDays(1).toString());
        assertEquals(1, after.path("progress").path("events_written").asLong());
    }

    void store(String org, String user, Instant receivedAt) throws Exception {
        JsonNode node = JSON.readTree(payload(org, user, "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        ConsentEvent event = EventNormalizer.normalize(node, node.toString(),
                new RequestContext(receivedAt, "203.0.113.9", "test", null, null), null, null);
        writer.write(List.of(event), false, 0).toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void twoAsksOfOneDateAtOnceMakeOneRun() throws Exception {
        String org = Events.unique("org-export");
        post(org, payload(org, "u", "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (Connection blocker = TestDatabase.connect()) {
            // the users' table held: a run cannot finish, so both asks meet a run that is queued or running
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("LOCK TABLE consent_state IN ACCESS EXCLUSIVE MODE");
            List<Future<Integer>> asks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                asks.add(clients.submit(() -> Api.as(org).contentType(ContentType.JSON).body(Map.of("date", today))
                        .when().post("/v1/exports").statusCode()));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> ask : asks) {
                codes.add(ask.get());
            }
            assertEquals(List.of(202, 409), codes.stream().sorted().toList());
            blocker.rollback();
        } finally {
            clients.shutdownNow();
        }
        String id = read(Api.as(org).when().get("/v1/exports").then().statusCode(200).extract().asString())
                .path("runs").get(0).path("id").asText();
        finished(org, "/v1/exports/" + id);
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM export_runs WHERE organization_id = ?", org));
    }

    @Test
    void aRunLeftRunningByAReplicaThatDiedIsRunAgainByAnother() throws Exception {
        String org = Events.unique("org-export");
        post(org, payload(org, "u", "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]"));
        String id = "exp_dead_" + org;
        try (Connection replica = TestDatabase.connect()) {
            // another replica took the run: its lock, and the run marked running
            replica.createStatement().execute("SELECT pg_advisory_lock(hashtextextended('export-run:" + id + "', 0))");
            replica.createStatement().execute("INSERT INTO export_runs (id, organization_id, date, trigger, status,"
                    + " created_at, started_at, attempts) VALUES ('" + id + "', '" + org + "', current_date,"
                    + " 'on_demand', 'running', now(), now(), 1)");
            runner.sweepNow();
            assertEquals(1, TestDatabase.count("SELECT attempts FROM export_runs WHERE id = ?", id),
                    "a run whose replica holds its lock is left to it");
        } // the replica dies: its session, and the lock, are gone
        runner.sweepNow();
        JsonNode run = finished(org, "/v1/exports/" + id);
        assertEquals(1, run.path("progress").path("users_written").asLong());
        assertEquals(2, TestDatabase.count("SELECT attempts FROM export_runs WHERE id = ?", id));
    }

    @Test
    void aBadDateIsA400NamingIt() {
        String org = Events.unique("org-export");
        Api.as(org).contentType(ContentType.JSON).body(Map.of("date", "2026-13-01")).when().post("/v1/exports")
                .then().statusCode(400).body("errors[0].pointer", equalTo("/date"));
        Api.as(org).contentType(ContentType.JSON)
                .body(Map.of("date", LocalDate.now(ZoneOffset.UTC).plusDays(1).toString())).when()
                .post("/v1/exports").then().statusCode(400);
        Api.as(org).when().get("/v1/exports/exp_unknown").then().statusCode(404);
    }

    /**
     * The round trip: every events file of an export, turned back into events (by {@link #asEvent}) and posted to an
     * empty organization through the batch route, gives the users that the export's users file holds.
     */
    @Test
    void theEventsFilesTurnedBackIntoEventsGiveTheUsersFile() throws Exception {
        String org = Events.unique("org-export");
        post(org, payload(org, "a", "[{\"action\": \"consent.given\", \"purpose\": \"analytics\"},"
                + " {\"action\": \"consent.refused\", \"vendor\": \"755\"},"
                + " {\"action\": \"consent.given\", \"purpose\": \"ads\", \"legal_basis\": \"legitimate_interest\"}]"));
        post(org, payload(org, "a", "[{\"action\": \"consent.refused\", \"purpose\": \"analytics\"},"
                + " {\"action\": \"consent.given\", \"vendor\": \"12\", \"legal_basis\": \"legitimate_interest\"}]"));
        post(org, payload(org, "b", "[{\"action\": \"preferences.click.agreetoall\"},"
                + " {\"action\": \"consent.given\", \"purpose\": \"p1\"}, {\"action\": \"consent.given\", \"purpose\": \"p2\"}]"));
        post(org, payload(org, "c", "[{\"action\": \"consent.given\", \"purpose\": \"ads\", \"value\": false}]"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        run(org, today);
        Path dir = ROOT.resolve("export-id=" + org).resolve("date=" + today);
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        List<JsonNode> users = lines(manifest, dir, "users");
        List<JsonNode> events = new ArrayList<>(lines(manifest, dir, "events"));
        events.sort(java.util.Comparator.comparing((JsonNode e) -> e.path("created_at").asText()));

        String copy = Events.unique("org-export-copy");
        var batch = JSON.createArrayNode();
        events.forEach(e -> batch.add(asEvent(copy, e)));
        Api.as(copy).contentType(ContentType.JSON).body(batch.toString()).when().post("/v1/consents/events/batch")
                .then().statusCode(200);
        assertEquals(3, users.size());
        for (JsonNode user : users) {
            JsonNode again = read(Api.as(copy).when().get("/v1/consents/users/" + user.path("id").asText()).then()
                    .statusCode(200).extract().asString());
            assertEquals(user.path("consents"), again.path("consents"), user.path("id").asText());
        }
    }

    /** An exported event as a consent event again: each decision it holds as an item, its string, its time. */
    static JsonNode asEvent(String org, JsonNode exported) {
        var event = JSON.createObjectNode();
        event.put("organization_id", org);
        event.putObject("user").put("id", exported.path("user").path("id").asText());
        event.put("created_at", exported.path("created_at").asText());
        var items = event.putArray("events");
        JsonNode consents = exported.path("consents");
        for (JsonNode p : consents.path("purposes")) {
            if (!p.path("enabled").isNull()) {
                items.addObject().put("action", p.path("enabled").asBoolean() ? "consent.given" : "consent.refused")
                        .put("purpose", p.path("id").asText());
            }
            if (!p.path("enabled_li").isNull()) {
                items.addObject().put("action", p.path("enabled_li").asBoolean() ? "consent.given" : "consent.refused")
                        .put("purpose", p.path("id").asText()).put("legal_basis", "legitimate_interest");
            }
        }
        for (String list : List.of("enabled", "disabled", "enabled_li", "disabled_li")) {
            for (JsonNode v : consents.path("vendors").path(list)) {
                var item = items.addObject().put("action", list.startsWith("enabled")
                        ? "consent.given"
                        : "consent.refused").put("vendor", v.asText());
                if (list.endsWith("_li")) {
                    item.put("legal_basis", "legitimate_interest");
                }
            }
        }
        if (!consents.path("tcfcs").isNull()) {
            event.put("regulation", "tcf");
            event.put("consent_string", consents.path("tcfcs").asText());
        }
        return event;
    }
}
