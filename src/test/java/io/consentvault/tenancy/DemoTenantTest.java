package io.consentvault.tenancy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.consentvault.tenancy.auth.ApiKeys;
import io.consentvault.tenancy.auth.KeyRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The embedded default's demo tenant: the database decides whether its keys exist. A kept key that was revoked, or
 * whose secret is not the one stored, is replaced at the next start, and the keys kept (and printed) work.
 */
@QuarkusTest
@TestProfile(DemoTenantTest.WithDemoKeys.class)
class DemoTenantTest {

    // the profile and the test are loaded by different class loaders: one path per JVM, kept where both see it
    static final Path KEYS_FILE = Path.of(System.getProperties().computeIfAbsent("consent.test.demo-keys-file",
            k -> System.getProperty("java.io.tmpdir") + "/cv-demo-keys-" + UUID.randomUUID() + ".properties")
            .toString());

    public static class WithDemoKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("consent.demo.keys-file", KEYS_FILE.toString());
        }
    }

    @Inject
    DemoTenant demoTenant;

    @Inject
    KeyRegistry registry;

    @AfterAll
    static void deleteKeysFile() throws IOException {
        Files.deleteIfExists(KEYS_FILE);
    }

    @Test
    void keptKeysThatTheDatabaseDoesNotHoldAreReplaced() throws Exception {
        Properties kept = load();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(KEYS_FILE)));
        assertLive(kept.getProperty("sdk"));
        assertLive(kept.getProperty("server"));
        assertAccepted(kept.getProperty("sdk"));

        // the SDK key is revoked; the file holds the server key's id with another secret
        TestDatabase.execute("UPDATE api_keys SET revoked_at = now() WHERE id = '"
                + ApiKeys.parse(kept.getProperty("sdk"))[0] + "'");
        String otherSecret = ApiKeys.PREFIX + ApiKeys.parse(kept.getProperty("server"))[0] + "_"
                + ApiKeys.parse(ApiKeys.generate().key())[1];
        kept.setProperty("server", otherSecret);
        try (var out = Files.newBufferedWriter(KEYS_FILE)) {
            kept.store(out, null);
        }

        demoTenant.onStart(null); // the next start

        Properties after = load();
        assertNotEquals(kept.getProperty("sdk"), after.getProperty("sdk"), "the revoked key is replaced");
        assertNotEquals(otherSecret, after.getProperty("server"), "the key with a wrong secret is replaced");
        assertLive(after.getProperty("sdk"));
        assertLive(after.getProperty("server"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(KEYS_FILE)));
        registry.reload().toCompletionStage().toCompletableFuture().join();
        assertAccepted(after.getProperty("sdk"));
    }

    private static Properties load() throws IOException {
        Properties keys = new Properties();
        try (Reader in = Files.newBufferedReader(KEYS_FILE)) {
            keys.load(in);
        }
        return keys;
    }

    /** The database holds the key for the demo organization, not revoked, with this secret. */
    private static void assertLive(String key) {
        assertNotNull(key);
        String[] idAndSecret = ApiKeys.parse(key);
        assertEquals(ApiKeys.hash(idAndSecret[1]), TestDatabase.text("SELECT secret_hash FROM api_keys"
                + " WHERE id = ? AND organization_id = 'demo' AND revoked_at IS NULL", idAndSecret[0]),
                "a live demo key: " + idAndSecret[0]);
    }

    private static void assertAccepted(String key) {
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Events.event("demo", Events.unique("user"))).when().post("/v1/consents/events").then()
                .statusCode(201);
    }
}
