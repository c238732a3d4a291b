package io.consentvault.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.support.CuttingProxy;
import io.consentvault.support.Events;
import io.consentvault.support.PackagedOnTestDatabase;
import io.consentvault.support.ServiceClient;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database commits a batch, and the answer to the COMMIT is lost with the connection; the database then stays out
 * of reach past the event's deadline. The event is stored, so the answer must not be 503 ("nothing was stored"): it is
 * 504 naming the event's id, and a retry with the same id is answered with the stored event, never stored twice.
 * <p>
 * The cut needs no hold on the service's process, only a {@link CuttingProxy} in this JVM between the packaged
 * artifact and the test database, so this runs as a {@code @QuarkusIntegrationTest}, on a native build too.
 */
@QuarkusIntegrationTest
@TestProfile(OutcomeUnknownIT.BehindACuttingProxy.class)
class OutcomeUnknownIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The packaged artifact reaching the test database only through the proxy, and retrying a write for 3 s. */
    public static class BehindACuttingProxy extends PackagedOnTestDatabase {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("consent.ingest.retry-for", "PT3S");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedDatabase.class));
        }

        /** The global {@code PostgresResource} would point the artifact at the database itself, past the proxy. */
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** Puts a proxy in front of the test database, points the artifact at it, and hands it to the test. */
    public static class ProxiedDatabase implements QuarkusTestResourceLifecycleManager {

        private CuttingProxy proxy;

        @Override
        public Map<String, String> start() {
            try {
                proxy = new CuttingProxy(TestDatabase.server().settings().port());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>(TestDatabase.quarkusConfig());
            config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + "/"
                    + TestDatabase.server().settings().database());
            return config;
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(proxy, new TestInjector.MatchesType(CuttingProxy.class));
        }

        @Override
        public void stop() {
            try {
                if (proxy != null) {
                    proxy.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    CuttingProxy proxy;

    @TestHTTPResource("/")
    URL url;

    @Test
    void aCommitWhoseAnswerWasLostIsNeverAnsweredAsNothingStored() throws Exception {
        ServiceClient service = new ServiceClient(url.toString());
        String org = Events.unique("org-unknown");
        String key = service.newKey(org, List.of("events:write", "consents:read"));

        // a client id: the retry with the same body is safe
        String clientId = Events.unique("ev");
        String withId = Events.eventWithId(org, "u1", clientId);
        proxy.armCutAfterCommit();
        ServiceClient.Answer first = service.post("/v1/consents/events", key, withId);
        assertEquals(1, proxy.cuts());
        assertEquals(504, first.statusCode(), first.body());
        JsonNode problem = JSON.readTree(first.body());
        assertEquals("https://consent-vault.dev/problems/outcome-unknown", problem.path("type").asText());
        assertTrue(problem.path("detail").asText().contains(clientId), first.body());
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE id = ?", clientId));
        proxy.heal();
        ServiceClient.Answer retried = service.post("/v1/consents/events", key, withId);
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE id = ?", clientId));

        // no client id nor key: the answer names the id it may be stored under, and says a retry is not safe
        proxy.armCutAfterCommit();
        ServiceClient.Answer anonymous = service.post("/v1/consents/events", key, Events.event(org, "u2"));
        assertEquals(504, anonymous.statusCode(), anonymous.body());
        String stored = TestDatabase.text("SELECT id FROM events WHERE organization_id = ? AND user_id = 'u2'", org);
        String detail = JSON.readTree(anonymous.body()).path("detail").asText();
        assertTrue(detail.contains(stored) && detail.contains("may store it twice"), anonymous.body());
        proxy.heal();
    }
}
