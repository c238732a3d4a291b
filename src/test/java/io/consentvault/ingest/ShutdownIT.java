package io.consentvault.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.consentvault.support.Burst;
import io.consentvault.support.Events;
import io.consentvault.support.PackagedService;
import io.consentvault.support.Poll;
import io.consentvault.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service (java -jar target/quarkus-app/quarkus-run.jar, configured only by environment variables) is
 * stopped in the middle of a burst, by SIGTERM and by SIGKILL: every event it acknowledged is stored.
 * <p>
 * Not a {@code @QuarkusIntegrationTest}: the test sends the signal itself, at a moment of its choosing, and waits for
 * the process to exit. The artifact such a test runs on is Quarkus's process, stopped only by Quarkus, once the tests
 * that share it are done.
 */
class ShutdownIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void noAcknowledgedEventIsLostWhenTheServiceStopsMidBurst(String signal) throws Exception {
        PackagedService packaged = PackagedService.start(signal, java.util.Map.of());
        Process service = packaged.process;
        String base = packaged.base;
        Path log = packaged.log;
        try {
            String org = Events.unique("org-" + signal.toLowerCase());
            Set<String> acknowledged;
            String key = packaged.newKey(org, java.util.List.of("events:write"));
            try (Burst burst = Burst.start(base, org, key, 16, 5000, true)) {
                Poll.until("part of the burst acknowledged", Duration.ofSeconds(60),
                        () -> burst.acknowledged.size() >= 500);
                if ("SIGTERM".equals(signal)) {
                    service.destroy();
                } else {
                    service.destroyForcibly();
                }
                assertTrue(service.waitFor(60, TimeUnit.SECONDS), "the service exits");
                // the service is gone: whatever a sender still waits for was never acknowledged
                burst.stopNow();
                acknowledged = burst.acknowledged;
            }

            java.util.Set<String> stored = TestDatabase.texts("SELECT id FROM events WHERE organization_id = ?", org);
            for (String id : acknowledged) {
                assertTrue(stored.contains(id), "acknowledged event " + id + " lost after " + signal);
            }
            assertEquals(stored.size(),
                    TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org),
                    "an event stored twice");
            if ("SIGTERM".equals(signal)) {
                String output = Files.readString(log);
                assertTrue(output.contains("queued events flushed"), "the drain ran:\n" + tail(output));
            }
        } finally {
            service.destroyForcibly();
        }
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
