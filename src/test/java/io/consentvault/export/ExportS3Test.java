package io.consentvault.export;

import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.S3Resource;
import io.consentvault.support.S3Server;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static io.consentvault.export.ExportApiTest.everyField;
import static io.consentvault.export.ExportApiTest.lines;
import static io.consentvault.export.ExportApiTest.payload;
import static io.consentvault.export.ExportApiTest.post;
import static io.consentvault.export.ExportApiTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daily export to S3, through the API, on the real database and a real S3-compatible server ({@link S3Server}):
 * the manifest and every part it lists read back from the bucket, agreeing in rows, bytes and SHA-256; nothing else
 * left under the export's prefix, no upload left open; a rerun numbers its parts after the first run's.
 */
@QuarkusTest
@TestProfile(ExportS3Test.ToABucket.class)
class ExportS3Test {

    static final String PREFIX = "daily/exports";

    public static class ToABucket implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // parts of one row each (a part closes once its gzip output reaches the bound); the runner looks every second
            return Map.of("consent.export.destination", "s3://" + S3Resource.BUCKET + "/" + PREFIX,
                    "consent.export.poll", "1s", "consent.export.schedule", "off", "consent.export.part-max-bytes",
                    "1");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3Resource.class));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    S3Client s3;

    @BeforeEach
    void reader() {
        // the server the application was given, whichever class loader started it
        s3 = S3Server.client(URI.create(ConfigProvider.getConfig().getValue("consent.export.s3-endpoint",
                String.class)));
    }

    @AfterEach
    void close() {
        s3.close();
    }

    byte[] object(String key) {
        return s3.getObjectAsBytes(r -> r.bucket(S3Resource.BUCKET).key(key)).asByteArray();
    }

    /** The objects under a prefix, without the directories S3Proxy's filesystem backend shows as keys ending in /. */
    List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(S3Resource.BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).filter(k -> !k.endsWith("/")).forEach(keys::add);
        return keys;
    }

    @Test
    void anExportToS3IsReadBackFromTheBucketAsItsManifestLists() throws Exception {
        String org = Events.unique("org-export-s3");
        for (int i = 0; i < 4; i++) {
            post(org, payload(org, "u" + i, "[{\"action\": \"consent.given\", \"purpose\": \"analytics\"},"
                    + " {\"action\": \"consent.refused\", \"vendor\": \"755\"}]"));
        }
        post(org, payload(org, "u1", "[{\"action\": \"preference.shown\"}]")); // a banner shown: no event exported
        Api.as(org).when().delete("/v1/consents/users/u2").then().statusCode(200);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode run = run(org, today);
        String dir = PREFIX + "/export-id=" + org + "/date=" + today;
        assertEquals("export-id=" + org + "/date=" + today + "/manifest.json", run.path("manifest").asText());

        JsonNode manifest = JSON.readTree(object(PREFIX + "/" + run.path("manifest").asText()));
        assertEquals(org, manifest.path("organization_id").asText());
        assertEquals(run.path("id").asText(), manifest.path("run_id").asText());
        List<JsonNode> users = lines(manifest, path -> object(dir + "/" + path), "users");
        List<JsonNode> events = lines(manifest, path -> object(dir + "/" + path), "events");
        assertEquals(3, manifest.path("users").asLong());
        assertEquals(3, users.size());
        assertEquals(3, events.size());
        assertEquals(List.of("u0", "u1", "u3"), users.stream().map(u -> u.path("id").asText()).sorted().toList(),
                "the erased user is not exported");
        everyField(users, "user");
        everyField(events, "events");
        long bytes = 0;
        for (JsonNode f : manifest.path("files")) {
            bytes += f.path("bytes").asLong();
        }
        assertEquals(bytes, run.path("progress").path("bytes_written").asLong());

        List<String> expected = new ArrayList<>();
        manifest.path("files").forEach(f -> expected.add(dir + "/" + f.path("path").asText()));
        expected.add(dir + "/manifest.json");
        assertEquals(expected.stream().sorted().toList(), keys(dir + "/").stream().sorted().toList(),
                "the manifest's files, and nothing else, under the export's prefix");
        assertTrue(s3.listMultipartUploads(r -> r.bucket(S3Resource.BUCKET).prefix(dir)).uploads().isEmpty(),
                "no upload left open");

        // a rerun writes new part numbers beside the first run's, which the first manifest still lists
        JsonNode again = run(org, today);
        JsonNode second = JSON.readTree(object(PREFIX + "/" + again.path("manifest").asText()));
        assertEquals(again.path("id").asText(), second.path("run_id").asText());
        assertEquals(3, lines(second, path -> object(dir + "/" + path), "users").size());
        List<String> before = paths(manifest);
        for (String path : paths(second)) {
            assertFalse(before.contains(path), path + " was written by the first run already");
        }
        lines(manifest, path -> object(dir + "/" + path), "users"); // the first run's parts are still whole
    }

    static List<String> paths(JsonNode manifest) {
        List<String> paths = new ArrayList<>();
        manifest.path("files").forEach(f -> paths.add(f.path("path").asText()));
        return paths;
    }
}
