package io.consentvault.export;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.support.Events;
import io.consentvault.support.PackagedCommand;
import io.consentvault.support.PackagedOnTestDatabase;
import io.consentvault.support.ServiceClient;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's command line, {@code java -jar quarkus-run.jar export --org ID --date D --to URI}, run as a process of
 * its own on the test database (configured by environment variables only), beside the packaged service that takes the
 * events: what it writes and prints, and its exit code, 0 exported, 1 failed, 2 bad arguments.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedOnTestDatabase.class)
class ExportCommandIT {

    static final Path ROOT = Path.of("target", "export-command-it").toAbsolutePath();
    static final String USAGE = "usage: java -jar quarkus-run.jar export --org ID --date YYYY-MM-DD --to URI";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL url;

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    /** An organization with three users who consented today, through the service's API. */
    String organizationWithEvents() {
        ServiceClient service = new ServiceClient(url.toString());
        String org = Events.unique("org-export-cli");
        String key = service.newKey(org, List.of("events:write"));
        for (String user : List.of("u0", "u1", "u2")) {
            assertEquals(201, service.post("/v1/consents/events", key, ExportApiTest.payload(org, user,
                    "[{\"action\": \"consent.given\", \"purpose\": \"analytics\"}]")).statusCode());
        }
        // a banner shown: a row expected, but no event exported
        assertEquals(201, service.post("/v1/consents/events", key,
                ExportApiTest.payload(org, "u1", "[{\"action\": \"preference.shown\"}]")).statusCode());
        return org;
    }

    @Test
    void anExportWritesTheDaysFilesPrintsItsManifestAndExitsZero() throws Exception {
        String org = organizationWithEvents();
        Path out = Files.createDirectories(ROOT).resolve(org);

        PackagedCommand.Result run = PackagedCommand.run(PackagedCommand.testDatabase(), "export", "--org", org,
                "--date", today(), "--to", out.toUri().toString());

        assertEquals(0, run.exitCode(), run.toString());
        Path dir = out.resolve("export-id=" + org).resolve("date=" + today());
        assertEquals(dir.resolve("manifest.json").toUri().toString() + "\n", run.stdout(),
                "standard output: the manifest's URI and nothing else");
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        assertEquals(org, manifest.path("organization_id").asText());
        assertEquals(today(), manifest.path("date").asText());
        assertEquals(3, manifest.path("users").asLong());
        assertEquals(3, manifest.path("events").asLong());
        // each listed part exists with the rows, bytes and SHA-256 the manifest gives
        List<JsonNode> users = ExportApiTest.lines(manifest, dir, "users");
        List<JsonNode> events = ExportApiTest.lines(manifest, dir, "events");
        assertEquals(Set.of("u0", "u1", "u2"), users.stream().map(u -> u.path("id").asText()).collect(
                Collectors.toSet()));
        assertEquals(3, events.size());
        try (Stream<Path> parts = Files.list(dir.resolve("events"))) {
            assertEquals(1, parts.count(), "one part of events, the manifest's");
        }
        // the progress on standard error: a line of its own (not a terminal here), the last one complete
        assertEquals("export " + org + " " + today() + " 100.0% of 7 rows  users 3  events 3  "
                + bytes(manifest), run.lastErrorLine(), run.toString());
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM export_runs WHERE organization_id = ?", org),
                "the command keeps no run in the service's table");
    }

    @Test
    void helpPrintsTheUsageWithNothingConfigured() throws Exception {
        PackagedCommand.Result run = PackagedCommand.run(Map.of(), "export", "--help");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith(USAGE), run.toString());
        assertEquals("", run.stderr());
    }

    /** Refused before anything starts: no database is configured. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--org acme --date 2026-13-01 --to file:///tmp/x|export: --date must be a day, YYYY-MM-DD: '2026-13-01'",
            "--org acme --date 2026-01-01 --to file:///tmp/x --frobnicate|export: unknown option --frobnicate",
            "--org acme --to file:///tmp/x|export: --date is missing",
            "--org acme --date 9999-01-01 --to file:///tmp/x|export: --date 9999-01-01 is after today"})
    void badArgumentsExitTwoWithTheUsage(String arguments, String problem) throws Exception {
        PackagedCommand.Result run = PackagedCommand.run(Map.of(), ("export " + arguments).split(" "));
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.stderr().startsWith(problem), run.toString());
        assertTrue(run.stderr().contains("\n" + USAGE + "\n"), run.toString());
        assertEquals("", run.stdout());
    }

    /** Refused once the process has started: only the database or the destination's factory can tell. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--org org-export-cli-nobody --to file:///tmp/x|export: --org org-export-cli-nobody: no such organization"
                    + " in this database",
            "--org org-export-cli-nobody --to ftp://host/x|export: --to ftp://host/x: an export destination is"
                    + " file:///path or s3://bucket/prefix: ftp://host/x"})
    void argumentsTheStartedCommandRefusesExitTwoWithTheUsage(String arguments, String problem) throws Exception {
        PackagedCommand.Result run = PackagedCommand.run(PackagedCommand.testDatabase(),
                ("export --date " + today() + " " + arguments).split(" "));
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains(problem + "\n" + USAGE + "\n"), run.toString());
        assertEquals("", run.stdout());
    }

    @Test
    void aDestinationItCannotWriteExitsOneSayingWhyInOneLine() throws Exception {
        String org = organizationWithEvents();
        Path file = Files.createDirectories(ROOT).resolve(org + ".file");
        Files.writeString(file, "a file, where the export wants a directory");

        PackagedCommand.Result run = PackagedCommand.run(PackagedCommand.testDatabase(), "export", "--org", org,
                "--date", today(), "--to", file.resolve("exports").toUri().toString());

        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.lastErrorLine().startsWith("export failed: ")
                && run.lastErrorLine().contains(file.resolve("exports").toString()), run.toString());
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run);
        assertEquals("", run.stdout());
    }

    @Test
    void aDatabaseThatDoesNotExistExitsOneSayingSoInOneLine() throws Exception {
        Map<String, String> env = PackagedCommand.testDatabase();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL",
                env.get("QUARKUS_DATASOURCE_REACTIVE_URL").replaceFirst("/[^/]+$", "/no_such_database"));
        Path out = Files.createDirectories(ROOT).resolve("no-database");

        PackagedCommand.Result run = PackagedCommand.run(env, "export", "--org", "acme", "--date", today(), "--to",
                out.toUri().toString());

        assertEquals(1, run.exitCode(), run.toString());
        assertEquals("export failed: FATAL: database \"no_such_database\" does not exist (3D000)",
                run.lastErrorLine(), run.toString());
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run);
        assertFalse(Files.exists(out), "nothing written");
    }

    /** The bytes of every file the manifest lists, as the progress shows a size under 1 KiB. */
    private static String bytes(JsonNode manifest) {
        long total = 0;
        for (JsonNode f : manifest.path("files")) {
            total += f.path("bytes").asLong();
        }
        assertTrue(total < 1024, "a few rows: " + total + " bytes");
        return total + " B";
    }
}
