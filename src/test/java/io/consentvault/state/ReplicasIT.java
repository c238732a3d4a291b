package io.consentvault.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Events;
import io.consentvault.support.PackagedService;
import io.consentvault.support.Poll;
import io.consentvault.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged replicas on one database: a value cached by the second follows a write made on the first, also after
 * the second's listening connection was cut.
 * <p>
 * Not a {@code @QuarkusIntegrationTest}: it needs two processes of the service at once, and Quarkus launches one
 * artifact at a time.
 */
class ReplicasIT {

    static String event(String org, String user, String action, String createdAt) {
        return "{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"" + user + "\"}, \"created_at\": \""
                + createdAt + "\", \"events\": [{\"action\": \"" + action + "\", \"purpose\": \"ads\"}]}";
    }

    @Test
    void aCachedValueOnOneReplicaFollowsAWriteOnTheOther() throws Exception {
        try (PackagedService first = PackagedService.start("replica-a", Map.of());
                PackagedService second = PackagedService.start("replica-b", Map.of())) {
            String org = Events.unique("org-replicas");
            String key = first.newKey(org, java.util.List.of("events:write", "consents:read"));
            String decision = "/v1/consents/users/%s/purposes/ads?organization_id=" + org;
            List<Long> staleMillis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String user = "user-" + i;
                assertEquals(201, first.post("/v1/consents/events", key,
                        event(org, user, "consent.given", "2026-11-01T10:00:00Z")).statusCode());
                // the second replica loads and caches the value
                Poll.until("replica b to see the grant", Duration.ofSeconds(5),
                        () -> second.get(decision.formatted(user), key).body().contains("\"enabled\":true"));
                assertEquals(201, first.post("/v1/consents/events", key,
                        event(org, user, "consent.refused", "2026-11-01T11:00:00Z")).statusCode());
                long written = System.nanoTime();
                Poll.until("replica b to follow the withdrawal", Duration.ofSeconds(5),
                        () -> second.get(decision.formatted(user), key).body().contains("\"enabled\":false"));
                staleMillis.add((System.nanoTime() - written) / 1_000_000);
            }
            Collections.sort(staleMillis);
            long worst = staleMillis.get(staleMillis.size() - 1);
            System.out.printf("replica b served a stale value for at most %d ms (median %d ms)%n", worst,
                    staleMillis.get(staleMillis.size() / 2));
            assertTrue(worst < 500, "stale for " + staleMillis);

            // cut the second replica's listening connection: it reconnects and drops what it may have missed
            String user = "user-cut";
            assertEquals(201, first.post("/v1/consents/events", key,
                    event(org, user, "consent.given", "2026-11-01T10:00:00Z")).statusCode());
            Poll.until("replica b to cache the grant", Duration.ofSeconds(5),
                    () -> second.get(decision.formatted(user), key).body().contains("\"enabled\":true"));
            TestDatabase
                    .count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
            assertEquals(201, first.post("/v1/consents/events", key,
                    event(org, user, "consent.refused", "2026-11-01T11:00:00Z")).statusCode());
            Poll.until("replica b to follow after reconnecting", Duration.ofSeconds(10),
                    () -> second.get(decision.formatted(user), key).body().contains("\"enabled\":false"));
            Poll.until("both listeners back", Duration.ofSeconds(10), () -> TestDatabase
                    .count("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'") == 2);

            // a key revoked on the first replica stops working on the second within a second
            String doomed = first.newKey(org, java.util.List.of("consents:read"));
            Poll.until("the new key to reach replica b", Duration.ofSeconds(5),
                    () -> second.get(decision.formatted("user-0"), doomed).statusCode() == 200);
            String doomedId = doomed.substring("cv_live_".length(), "cv_live_".length() + 16);
            assertEquals(204, first.send("DELETE", "/v1/admin/keys/" + doomedId, null, "test-admin-token")
                    .statusCode());
            long revoked = System.nanoTime();
            Poll.until("the revocation to reach replica b", Duration.ofSeconds(5),
                    () -> second.get(decision.formatted("user-0"), doomed).statusCode() == 401);
            long tookMillis = (System.nanoTime() - revoked) / 1_000_000;
            System.out.printf("revocation reached replica b after %d ms%n", tookMillis);
            assertTrue(tookMillis < 1000, "revocation took " + tookMillis + " ms");
        }
    }
}
