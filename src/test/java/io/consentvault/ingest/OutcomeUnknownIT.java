package io.consentvault.ingest;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.support.CuttingProxy;
import io.consentvault.support.Events;
import io.consentvault.support.PackagedService;
import io.consentvault.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database commits a batch, and the answer to the COMMIT is lost with the connection; the database then stays out
 * of reach past the event's deadline. The event is stored, so the answer must not be 503 ("nothing was stored"): it is
 * 504 naming the event's id, and a retry with the same id is answered with the stored event, never stored twice.
 */
class OutcomeUnknownIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aCommitWhoseAnswerWasLostIsNeverAnsweredAsNothingStored() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(TestDatabase.server().settings().port());
                PackagedService service = PackagedService.start("outcome-unknown",
                        Map.of("QUARKUS_DATASOURCE_REACTIVE_URL",
                                "postgresql://127.0.0.1:" + proxy.port() + "/"
                                        + TestDatabase.server().settings().database(),
                                "CONSENT_INGEST_RETRY_FOR", "PT3S"))) {
            String org = Events.unique("org-unknown");
            String key = service.newKey(org, List.of("events:write", "consents:read"));

            // a client id: the retry with the same body is safe
            String clientId = Events.unique("ev");
            String withId = Events.eventWithId(org, "u1", clientId);
            proxy.armCutAfterCommit();
            PackagedService.Answer first = service.post("/v1/consents/events", key, withId);
            assertEquals(1, proxy.cuts());
            assertEquals(504, first.statusCode(), first.body());
            JsonNode problem = JSON.readTree(first.body());
            assertEquals("https://consent-vault.dev/problems/outcome-unknown", problem.path("type").asText());
            assertTrue(problem.path("detail").asText().contains(clientId), first.body());
            assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE id = ?", clientId));
            proxy.heal();
            PackagedService.Answer retried = service.post("/v1/consents/events", key, withId);
            assertEquals(200, retried.statusCode(), retried.body());
            assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE id = ?", clientId));

            // no client id nor key: the answer names the id it may be stored under, and says a retry is not safe
            proxy.armCutAfterCommit();
            PackagedService.Answer anonymous = service.post("/v1/consents/events", key, Events.event(org, "u2"));
            assertEquals(504, anonymous.statusCode(), anonymous.body());
            String stored = TestDatabase.text("SELECT id FROM events WHERE organization_id = ? AND user_id = 'u2'",
                    org);
            String detail = JSON.readTree(anonymous.body()).path("detail").asText();
            assertTrue(detail.contains(stored) && detail.contains("may store it twice"), anonymous.body());
            proxy.heal();
        }
    }
}
